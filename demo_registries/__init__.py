"""The demo stand-in for the state registries: seeded `reg_*` tables and an adapter over them.

Not part of the production package: `portal.core.registries` holds the contract (a Protocol) and
imports `demo_registries.local.LocalRegistries` only when no other adapter is configured
(`make run`, the tests, the demo). A production adapter for the e-government gateway implements
the same Protocol and passes tests/integration/test_registries_contract.py.
"""

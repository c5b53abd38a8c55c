"""Test helpers shared by the suites (fixtures registered through tests/conftest.py)."""

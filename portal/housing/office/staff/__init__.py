"""The provider's staff: accounts, two-factor sign-in, staff sessions and the audit trail.

Services here take plain values (no Flask request); the request glue is
portal.housing.office.staff.access.
"""

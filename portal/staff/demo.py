"""Two demo staff accounts with fixed passwords and TOTP secrets, for `flask demo seed` only.

They are printed in the README so a visitor can try the office; never in production (the
caller seeds them only in demo mode).
"""

from __future__ import annotations

from . import accounts

DEMO_STAFF = (
    # login, full name, role, settlements, password, TOTP secret (base32)
    ("officer", "Айгүл Серікқызы Нұрланова", "officer", ["almaty"],
     "demo-officer-2026", "JBSWY3DPEHPK3PXPOFFICERA"),
    ("head", "Ерлан Бақытұлы Омаров", "head", ["almaty", "astana", "shymkent", "karaganda"],
     "demo-head-2026", "JBSWY3DPEHPK3PXPHEADHEAD"),
)


def seed_demo_staff() -> int:
    """Create the demo staff that are missing; returns how many were created."""
    created = 0
    for login, name, role, settlements, password, secret in DEMO_STAFF:
        if accounts.by_login(login) is None:
            accounts.add(login, name, role, settlements, password, totp_secret=secret)
            created += 1
    return created

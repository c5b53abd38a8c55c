"""Server nonces for sign-in by ЭЦП: the pure part (format and expiry).

Design (the database part comes with the signing core): the server issues a nonce, stores
(nonce, issued_at, used_at NULL) and puts it in the text to sign (`canonical.sign_in_text`). On
return it consumes the nonce once with a conditional update
`UPDATE ... SET used_at = now WHERE nonce = :n AND used_at IS NULL AND issued_at > now - lifetime`
and accepts only if exactly one row changed: single use even under concurrent requests.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

NONCE_LIFETIME = timedelta(minutes=5)  # long enough to pick a key and type its password
NONCE_BYTES = 24  # 192 bits of randomness
_NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")  # token_urlsafe(24): 32 characters


def new_nonce() -> str:
    return secrets.token_urlsafe(NONCE_BYTES)


def is_well_formed(nonce: object) -> bool:
    return isinstance(nonce, str) and bool(_NONCE_RE.fullmatch(nonce))


def expires_at(issued_at: datetime, lifetime: timedelta = NONCE_LIFETIME) -> datetime:
    return issued_at + lifetime


def is_expired(issued_at: datetime, now: datetime, lifetime: timedelta = NONCE_LIFETIME) -> bool:
    """Expired from the very instant `issued_at + lifetime` (4:59.999 is fine, 5:00 is not)."""
    return now >= expires_at(issued_at, lifetime)

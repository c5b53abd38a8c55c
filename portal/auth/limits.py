"""Per-address limits on signing in, and what the sign-in page tells about an IIN.

Per-IP limits are generous on purpose: a mobile carrier puts thousands of phones behind one
public address, and a ЦОН hall is one address too. They only stop a machine. The real work is
done per person, in the database (portal.core.services.codes): 5 tries per code, at most 10 codes an
hour per IIN and 3 per asking session and address, a cooldown between codes, one live code shared
by whoever holds the phone until one is killed (then codes are bound to the session asking).
(A kiosk, when it exists, is to be limited by its own identity, not its address.)

What /sign-in discloses, and why. The answer differs for an IIN that is not valid (a checksum
anyone can compute: discloses nothing), one the population registry does not know, one without a
phone in the mobile citizens' database, and one that gets a code. The last three differences tell
whether a person exists and has a phone; we keep them because a citizen who mistyped the IIN or
never linked a phone must learn what to do. To keep that from becoming a directory:

- DISCLOSURES_PER_IP: the "unknown" and "no phone" answers are rationed per address (an honest
  crowd rarely gets them); past the ration the answer is "too many attempts", saying nothing;
- DISTINCT_IINS_PER_IP: how many different IINs one address may ask about; an IIN already asked
  about in the last hour does not count again;
- a successful answer sends an SMS to the person (or points to the code they already have), so
  probing for people with phones wakes those people up, and 3 codes an hour per IIN and address
  is the most.

Counters live in Flask-Limiter's storage (Redis in production), keyed by the address and a keyed
hash of the IIN (no IIN is stored in them).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from limits import parse

from portal.channels import client_key
from portal.extensions import limiter

SIGN_IN_PER_IP = "100/minute;1000/hour"  # a crowd of 50 signing in within a minute passes
CODE_PER_IP = "100/minute;1000/hour"
RESEND_PER_IP = "30/minute;300/hour"
DISTINCT_IINS_PER_IP = "60/minute;300/hour"
DISCLOSURES_PER_IP = "20/hour"
_SEEN = parse("1/hour")


def _iin_tag(iin: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"rate:{iin}".encode(), hashlib.sha256).hexdigest()[:20]


def _hit_all(spec: str, *identifiers: str) -> bool:
    """Count one against every limit in `spec`; False when one of them is already used up."""
    items = [parse(part) for part in spec.split(";")]
    if not all(limiter.limiter.test(item, *identifiers) for item in items):
        return False
    return all([limiter.limiter.hit(item, *identifiers) for item in items])


def may_look_up(iin: str) -> bool:
    """May this address ask about this IIN? New IINs count against DISTINCT_IINS_PER_IP."""
    if not limiter.enabled:
        return True
    ip = client_key()
    tag = _iin_tag(iin)
    if not limiter.limiter.test(_SEEN, "sign-in-seen", ip, tag):
        return True  # asked about within the hour: not a new IIN
    if not _hit_all(DISTINCT_IINS_PER_IP, "sign-in-iins", ip):
        return False
    limiter.limiter.hit(_SEEN, "sign-in-seen", ip, tag)
    return True


def may_disclose() -> bool:
    """May this address be told that an IIN is unknown or has no phone? Counts one if so."""
    return not limiter.enabled or _hit_all(DISCLOSURES_PER_IP, "sign-in-disclosed",
                                           client_key())

"""What the citizen reads about one-time codes and signatures: one set of texts for every code
(sign-in, signing an application, the owner's consent), keyed by the stable reason codes of
portal.core.services.signing.CodeRejected / Refused. Numbers come from the refusal's context or the
configured lifetime, never written into a sentence."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.core.services import codes
from portal.core.services.errors import Refused, text_for


def _minutes(seconds: int = 0, **_context) -> int:
    return max(1, (int(seconds) + 59) // 60)


# A draft sent to be signed (SMS code, ЭЦП, any journey) before every step was answered
# (portal.core.services.catalogue.Incomplete): shown on the step it was sent back to, whose heading
# names what is missing.
INCOMPLETE = _l("This application cannot be signed yet: an answer is missing. Answer this "
                "step, then sign again.")

# Sending a code was refused (codes.CodeRefused reasons).
SEND_REFUSALS = {
    "cooldown": lambda seconds=0, **_c: _(
        "You can ask for a new code in %(seconds)d seconds.", seconds=seconds),
    "locked": lambda **c: _(
        "Too many wrong codes. For your security, try again in %(minutes)d minutes.",
        minutes=_minutes(**c)),
    "too_many": lambda **c: _(
        "Too many codes were sent to this phone. Try again in %(minutes)d minutes.",
        minutes=_minutes(**c)),
    "used": _l("This code has already been used. Ask for a new code."),
}

# A typed code was not accepted (codes.Check results, plus "missing").
CHECK_REFUSALS = {
    "wrong": lambda attempts_left=0, **_c: _(
        "The code is wrong. Tries left: %(left)d.", left=attempts_left),
    "expired": _l("The code has expired. Ask for a new code."),
    "missing": _l("The code has expired. Ask for a new code."),
    "used": _l("This code has already been used. Ask for a new code."),
    "locked": _l("Too many wrong codes: this code no longer works. Ask for a new code later."),
    # The owner's code from 1414 (portal.residence.consent.routes) cannot be sent again: once
    # locked, the owner
    # answers by signing in. Typed with the IIN at /consent, a wrong code and an IIN with no
    # waiting request read the same, so the page discloses nothing about who was asked.
    "locked_sign_in": _l("Too many wrong codes: this request can no longer be answered with a "
                         "code. Sign in to the portal to answer it."),
    # Also after the tries are used up: told apart, a lock would show that the IIN has a
    # waiting request (hardening item 10).
    "no_request": _l("We found no request for this IIN and code that can be answered with a "
                     "code. Check both; the request may have expired or been answered "
                     "already, and after too many wrong codes it can only be answered by "
                     "signing in to the portal."),
}

ECP_REFUSED = _l("The electronic signature could not be accepted. Try again, or sign with a "
                 "code from an SMS.")


def send_refusal(refused: Refused) -> str:
    return text_for(refused, SEND_REFUSALS)


def check_refusal(refused: Refused) -> str:
    return text_for(refused, CHECK_REFUSALS)


def signature_refusal(refused: Refused) -> str:
    """ЭЦП refusals ("ecp_<reason>"): one text for now; portal.ecp may give finer ones."""
    if refused.reason.startswith("ecp_"):
        return str(ECP_REFUSED)
    return check_refusal(refused)


def code_sent(phone: str, minutes: int) -> str:
    """The line above the code field, with the lifetime filled from the setting."""
    return ngettext("We have sent a 6-digit code to %(phone)s. It is valid for %(num)d minute.",
                    "We have sent a 6-digit code to %(phone)s. It is valid for %(num)d minutes.",
                    minutes, phone=phone)


# The sign-in and application-signing pages' messages for portal.core.services.codes' results.

def refusal_message(refused: codes.CodeRefused) -> str:
    """Why no code was sent, and how long to wait (shared with application signing)."""
    minutes = max(1, (refused.seconds + 59) // 60)
    if refused.reason == "cooldown":
        return ngettext("You can ask for a new code in %(num)d second.",
                        "You can ask for a new code in %(num)d seconds.", refused.seconds)
    if refused.reason == "used":
        return _("This code has already been used. Ask for a new code.")
    return ngettext("Too many codes were sent to this phone. Try again in %(num)d minute.",
                    "Too many codes were sent to this phone. Try again in %(num)d minutes.",
                    minutes)


def code_error(result: codes.CheckResult) -> str:
    """The message for a code that was not accepted (shared with application signing)."""
    if result.check == codes.Check.WRONG:
        return ngettext("The code is wrong. You have %(num)d try left.",
                        "The code is wrong. You have %(num)d tries left.", result.attempts_left)
    if result.check == codes.Check.EXPIRED:
        return _("The code has expired. Ask for a new code.")
    if result.check == codes.Check.USED:
        return _("This code has already been used. Ask for a new code.")
    return _("Too many wrong codes: this code no longer works. Ask for a new code later.")

"""Translated names for the office: audit actions, kinds of work."""

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in refused"),
    "lockout": _l("Account locked after too many attempts"),
    "sign_out": _l("Signed out"),
    "totp_setup": _l("Authenticator app set up"),
}

KINDS = {
    "emergency_review": _l("Emergency review"),
    "hearing": _l("Hearing"),
    "complaint": _l("Complaint"),
}

ROLES = {"officer": _l("Officer"), "head": _l("Head of the provider")}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))

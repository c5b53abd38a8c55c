"""The one form and page description for typing a one-time code (sign-in, signing, consent).

A blueprint builds a CodePage (what its page says and where its buttons go) and renders
templates/signing/code.html with `page`, `form` and, inside a wizard, the step indicator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Regexp

from portal.domain.phones import mask_phone
from portal.services.signing import CodeState
from portal.signing_texts import code_sent


@dataclass(frozen=True)
class EcpOffer:
    """What templates/signing/_ecp.html needs (made by portal.ecp_web for the citizens'
    journeys, by the office for staff decisions)."""

    action: str
    nonce: str
    text: str
    text_b64: str
    language: str
    purpose: str  # "sign" | "auth" (data-ecp-purpose: which key NCALayer offers)
    iin: str
    ncalayer_url: str
    fields: tuple[tuple[str, str], ...] = ()  # more hidden fields posted with the CMS
    sms_fallback: bool = True  # citizens may use an SMS code instead; staff may not


def ecp_offer_for(application):
    """The ЭЦП form for this draft (templates/signing/_ecp.html's `ecp`), or None when ЭЦП is
    off or its service does not sign with ЭЦП. portal.ecp_web provides it at start-up, so a
    journey offers ЭЦП without importing another blueprint."""
    provider = current_app.extensions.get("ecp_offer")
    return provider(application) if provider else None


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from the SMS"),
        validators=[InputRequired(_l("Enter the code from the SMS")),
                    Regexp(r"^\s*\d{6}\s*$", message=_l("The code is 6 digits"))],
    )


@dataclass(frozen=True)
class CodePage:
    """What differs between the code pages; everything else is the same page."""

    title: Any  # h1 and <title>: "Enter the code", "Sign the application"
    submit_label: Any  # "Sign in", "Sign and submit"
    action: str  # where the code is posted
    resend_action: str  # where "Send a new code" posts
    back_url: str
    back_label: Any  # "Use another IIN", "Back to your answers"
    state: CodeState
    restart_url: str | None = None  # shown instead of the form once the code is locked

    @property
    def sent_text(self) -> str:
        return code_sent(mask_phone(self.state.phone), self.state.lifetime_minutes)

"""The one form and page description for typing a one-time code: sign-in, signing an
application, the owner's consent (portal.residence.consent.routes).

A blueprint builds a CodePage (what its page says and where its buttons go) and renders
templates/signing/code.html with `page`, `form` and, inside a wizard, the step indicator. A code
this portal sent (sign-in, signing) comes with its CodeState: the phone it went to, its lifetime,
"Send a new code". A code sent some other way (the owner's 1414 SMS) has none: the page may then
name what is being confirmed (an `intro` template), ask for other fields first (the owner's IIN),
offer several answers (Agree / Refuse) and end with an outcome instead of the form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Regexp

from portal.core.inputs import HiddenField, StringField
from portal.core.services.signing import CodeState
from portal.core.signing_texts import code_sent
from portal.domain.phones import mask_phone


@dataclass(frozen=True)
class EcpOffer:
    """What templates/signing/_ecp.html needs (made by portal.ecp.routes for the citizens'
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

    @classmethod
    def of(cls, action: str, challenge, language: str, iin: str, purpose: str = "sign",
           **more) -> EcpOffer:
        """The form for a challenge (portal.ecp.signing.Challenge: nonce, text, text_b64)."""
        return cls(action=action, nonce=challenge.nonce, text=challenge.text,
                   text_b64=challenge.text_b64, language=language, purpose=purpose, iin=iin,
                   ncalayer_url=current_app.config["NCALAYER_URL"], **more)


def ecp_offer_for(application):
    """The ЭЦП form for this draft (templates/signing/_ecp.html's `ecp`), or None when ЭЦП is
    off or its service does not sign with ЭЦП. portal.ecp.routes provides it at start-up, so a
    journey offers ЭЦП without importing another blueprint."""
    provider = current_app.extensions.get("ecp_offer")
    return provider(application) if provider else None


class EcpForm(FlaskForm):
    """What templates/signing/_ecp.html posts: the nonce, the text's language, the CMS."""

    nonce = HiddenField()
    lang = HiddenField()
    cms = HiddenField()


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from the SMS"),
        validators=[InputRequired(_l("Enter the code from the SMS")),
                    Regexp(r"^\s*\d{6}\s*$", message=_l("The code is 6 digits"))],
    )


@dataclass(frozen=True)
class Choice:
    """One of several submit buttons, posted as name=value (consent: decision=agree|refuse)."""

    label: Any
    name: str
    value: str
    warning: bool = False  # styled as the cautious choice


@dataclass(frozen=True)
class Outcome:
    """How the request ended, shown instead of the form: one notice."""

    text: Any
    kind: str = ""  # "" | "success" | "warning" (the notice's style)
    alert: bool = False  # role="alert": the reader must not miss it


@dataclass(frozen=True)
class CodePage:
    """What differs between the code pages; everything else is the same page."""

    title: Any  # h1 and <title>: "Enter the code", "Sign the application"
    action: str  # where the code is posted
    submit_label: Any = None  # "Sign in", "Sign and submit" (unless `choices`)
    resend_action: str | None = None  # where "Send a new code" posts; None: no new code
    back_url: str | None = None
    back_label: Any = None  # "Use another IIN", "Back to your answers"
    state: CodeState | None = None  # the code this portal sent; None: it came another way
    restart_url: str | None = None  # shown instead of the form once the code is locked
    lead: Any = None  # a line above the form when no CodeState says where the code went
    intro: str | None = None  # a template naming what is confirmed (the page's context)
    code_label: Any = None  # the code field's label, if not the form's "Code from the SMS"
    ask_code: bool = True  # False: the signed-in owner answers without a code
    fields: tuple[str, ...] = ()  # the form's other fields, before the code (the owner's IIN)
    choices: tuple[Choice, ...] = ()  # several answers instead of the one submit_label
    outcome: Outcome | None = None  # the request has ended: this notice, no form

    @property
    def sent_text(self) -> str:
        if self.state is None:
            return ""
        return code_sent(mask_phone(self.state.phone), self.state.lifetime_minutes)

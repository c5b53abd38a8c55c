"""SMS texts, from the message catalogues like every other string.

An SMS is written in its recipient's language when the portal knows it (the applicant's, from
the request they made: the route hands it down as a plain argument, see
portal.core.services.requester); otherwise (an owner, a sign-in: the phone's reader is
unknown) it goes in Kazakh and Russian, as 1414 messages do. Short texts put both languages in
one SMS; the owner's consent request is long (address, names, how to answer, the deadline, the
link), so it goes as one SMS per language, each within three UCS-2 parts (MAX_CHARS).

The journeys' own texts are theirs (portal.residence.services.residence_sms,
portal.housing.services.housing_sms): the core knows no journey.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.domain.languages import KAZAKH, LANGUAGES, RUSSIAN

__all__ = ["LANGUAGES", "MAX_CHARS", "MAX_PARTS", "SIGN_APPLICATION", "SIGN_IN", "UNKNOWN",
           "SmsText", "parts"]

UNKNOWN = (KAZAKH, RUSSIAN)  # the languages of an SMS to a reader whose language is not known
UCS2_SINGLE, UCS2_PART = 70, 67
MAX_PARTS = 3
MAX_CHARS = MAX_PARTS * UCS2_PART  # 201: three concatenated UCS-2 parts


def parts(text: str) -> int:
    """How many SMS parts a Cyrillic (UCS-2) text takes; astral characters count double."""
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
    return 1 if units <= UCS2_SINGLE else -(-units // UCS2_PART)


class SmsText:
    """One catalogue message; `render` gives it in one language, `format` in kk and ru."""

    def __init__(self, message):
        self.message = message

    def render(self, lang: str, **values) -> str:
        with force_locale(lang):
            return str(self.message) % {
                name: value.fn(lang) if isinstance(value, Localized) else value
                for name, value in values.items()}

    def texts(self, lang: str | None = None, **values) -> list[str]:
        """One text per language to send: [lang] when known, else Kazakh and Russian."""
        return [self.render(language, **values) for language in ((lang,) if lang else UNKNOWN)]

    def format(self, lang: str | None = None, **values) -> str:
        """One SMS body; both languages joined when the reader's language is not known."""
        return " / ".join(self.texts(lang, **values))

    def to(self, lang: str | None) -> Worded:
        """This text for a reader whose language is `lang` (None: unknown, kk and ru), for the
        code services that fill in only the code."""
        return Worded(self, lang)


@dataclass(frozen=True)
class Worded:
    """A text and the language its reader reads: `format` fills in the values."""

    text: SmsText
    lang: str | None

    def format(self, **values) -> str:
        return self.text.format(self.lang, **values)


SIGN_IN = SmsText(_l("Mekenjai: your sign-in code is %(code)s. Do not tell anyone this code."))

# Whoever holds the phone signs in, so the sign-in code goes in kk and ru; the signing code goes
# to the signed-in applicant who asked for it, in the language of their page.
SIGN_APPLICATION = SmsText(_l(
    "Mekenjai: the code to sign your application is %(code)s. Do not tell anyone this code."))


class Localized:
    """A value an SMS text writes in its own language (a date, a list's name): SmsText.render
    calls `fn(lang)` for the language it renders, under that locale."""

    def __init__(self, fn):
        self.fn = fn


"""SMS texts, from the message catalogues like every other string.

An SMS is written in its recipient's language when the portal knows it: the applicant's, from
the request they made (the route hands it down as a plain argument, see
portal.core.services.requester) and kept with the application for the notices that come later,
when someone else (an owner, a job, the office) makes them happen. An owner gets the language
of the applicant who knows them (`owner_languages`: Kazakh or Russian; the registries hold no
language of their own for a person), and Kazakh and Russian, one SMS each, when the applicant
wrote in English. A sign-in code goes to whoever holds the phone, so it is in Kazakh and
Russian in one short SMS.

Length: Cyrillic makes an SMS UCS-2 (70 characters in one part, 67 in each part of a longer
one); plain Latin stays GSM-7 (160, 153). Every text is held to at most MAX_PARTS parts
(tests/integration/test_sms_parts.py renders each in every language with the longest real
values), and to TARGET_PARTS (two) wherever the content allows: only the owner's request
(names, address, the code twice, the deadline, the link) and the notices that must carry a
date, a time and a way (a hearing) or two complaint routes may take a third part.

The journeys' own texts are theirs (portal.residence.services.residence_sms,
portal.housing.services.housing_sms): the core knows no journey.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.domain.languages import KAZAKH, LANGUAGES, RUSSIAN

__all__ = ["LANGUAGES", "MAX_CHARS", "MAX_PARTS", "SIGN_APPLICATION", "SIGN_IN", "TARGET_PARTS",
           "UNKNOWN", "SmsText", "fits", "is_gsm7", "owner_languages", "parts"]

UNKNOWN = (KAZAKH, RUSSIAN)  # the languages of an SMS to a reader whose language is not known
UCS2_SINGLE, UCS2_PART = 70, 67
GSM7_SINGLE, GSM7_PART = 160, 153
MAX_PARTS = 3
TARGET_PARTS = 2
MAX_CHARS = MAX_PARTS * UCS2_PART  # 201: three concatenated UCS-2 parts

# The GSM 03.38 default alphabet, and its extension table (each of those takes two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def parts(text: str) -> int:
    """How many SMS parts a text takes: GSM-7 when every character is in the GSM alphabet
    (extension characters count two), else UCS-2 (characters beyond the BMP count two)."""
    if is_gsm7(text):
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, part = UCS2_SINGLE, UCS2_PART
    return 1 if units <= single else -(-units // part)


def fits(text: str, max_parts: int = MAX_PARTS) -> bool:
    return parts(text) <= max_parts


def owner_languages(applicant_lang: str | None) -> tuple[str, ...]:
    """The languages of the SMS to an owner: the applicant's when it is Kazakh or Russian (the
    applicant knows the owner), else Kazakh and Russian, one SMS each."""
    return (applicant_lang,) if applicant_lang in UNKNOWN else UNKNOWN


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


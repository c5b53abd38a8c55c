"""Every SMS text the portal sends, in every language, rendered with the longest realistic
values, fits the SMS limits (portal.core.services.sms_texts): never more than three parts, and
two (134 UCS-2 characters, 306 GSM-7) for every text whose content allows it. Parts are counted
as the network does: UCS-2 (70 in one part, 67 per part) as soon as one character is outside
the GSM 03.38 alphabet, else GSM-7 (160, 153), extension characters counting two.

The texts allowed a third part, and why: the owner's request (two names, the address, the code
twice, the deadline, the link; a longer address is shortened to fit, see
consent.owner_texts), the registration on the list (the category's name can be 55 characters),
the preliminary refusal (the hearing's date, time and way, 002 p.17) and the refusal after the
hearing (two complaint routes with their working days, 002 p.18), the complaint forwarded to
the quality authority (its name)."""

from __future__ import annotations

import pytest

from portal.core.services import sms_texts
from portal.housing.office.services import complaints, hearings, housing_office
from portal.housing.services import housing_sms
from portal.residence.services import consent, residence_sms
from tests.unit.test_words import forbidden_in

# The longest realistic values: a 12-character number, a long status link of the real length
# (token_urlsafe(16) for housing, the consent link's token_urlsafe(6)), the longest category
# name, a Kazakh month name, a long hearing place, masked names of long surnames.
LONG = dict(
    number="H-2026-000123", code="123456", deadline="23:59",
    link="https://mekenjai.kz/s/AbCdEfGhIjKlMnOpQrStUv",  # status.show: token_urlsafe(16)
    applicant="Ә*********** Б.", person="Н************ С.",
    list="Мүгедектігі бар балаларды тәрбиелеп отырған отбасылар", queue_number=123456,
    date="30 қыркүйек", time="18:29", due="30 қыркүйек",
    way="онлайн: оған дейін бетте қарсылық білдіріңіз", head=5, authority=15, days=10)
ADDRESS = {
    "kk": "Алматы облысы, Қонаев қаласы, Сұлтанмахмұт Торайғыров көшесі, 118А үй, 145 пәтер",
    "ru": "Алматинская область, г. Конаев, улица Султанмахмута Торайгырова, дом 118А, кв. 145",
    "en": "Almaty region, Konaev, Sultanmakhmut Toraigyrov street, 118A, flat 145",
}

THREE_PARTS = {
    id(residence_sms.CONSENT_REQUEST), id(residence_sms.CONSENT_REQUEST_FOR),
    id(housing_sms.DECISIONS["in_queue"]), id(housing_office.SMS_REGISTERED),
    id(housing_sms.DECISIONS["preliminary_refusal"]), id(hearings.SMS_PRELIMINARY),
    id(housing_sms.REFUSED), id(complaints.SMS_COMPLAINT_FORWARDED),
}

TEXTS = {
    "sign in": sms_texts.SIGN_IN, "sign an application": sms_texts.SIGN_APPLICATION,
    "sign a housing application": housing_sms.SIGN,
    "registered": residence_sms.REGISTERED, "rejected": residence_sms.REJECTED_OTHER,
    **{f"rejected: {outcome}": text for outcome, text in residence_sms.REJECTED.items()},
    **{f"reply: {outcome}": text for outcome, text in residence_sms.REPLIES.items()},
    **{f"housing: {status}": text for status, text in housing_sms.DECISIONS.items()},
    "housing: refused": housing_sms.REFUSED,
    "office: registered": housing_office.SMS_REGISTERED,
    "office: preliminary": hearings.SMS_PRELIMINARY,
    "office: complaint answered": complaints.SMS_COMPLAINT_ANSWERED,
    "office: complaint forwarded": complaints.SMS_COMPLAINT_FORWARDED,
    "office: entry changed": housing_office.SMS_ENTRY,
}


def limit(text) -> int:
    return sms_texts.MAX_PARTS if id(text) in THREE_PARTS else sms_texts.TARGET_PARTS


@pytest.mark.parametrize("lang", sms_texts.LANGUAGES)
@pytest.mark.parametrize("name", TEXTS)
def test_every_sms_text_fits_its_parts_in_every_language(app, name, lang):
    text = TEXTS[name]
    if text in (residence_sms.CONSENT_REQUEST, residence_sms.CONSENT_REQUEST_FOR):
        pytest.skip("the request shortens its address: test_owner_request_fits_... below")
    body = text.render(lang, **LONG, address=ADDRESS[lang])
    assert sms_texts.parts(body) <= limit(text), (name, lang, len(body), body)


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("name", TEXTS)
def test_every_sms_text_uses_the_glossary_terms(app, name, lang):
    body = TEXTS[name].render(lang, **LONG, address=ADDRESS[lang])
    assert not forbidden_in(lang, body), (name, body)
    assert body != TEXTS[name].render("en", **LONG, address=ADDRESS["en"])  # translated


@pytest.mark.parametrize("lang", ["kk", "ru", "en", None])
@pytest.mark.parametrize("person", [None, LONG["person"]])
def test_owner_request_fits_three_parts_with_the_address_in_its_language(app, person, lang):
    bodies = consent.owner_texts(applicant=LONG["applicant"], person=person,
                                 address=ADDRESS.__getitem__, code="123456", deadline="23:59",
                                 link="https://mekenjai.kz/c/AbCdEfGh", lang=lang)
    for language, body in bodies:
        assert sms_texts.parts(body) <= sms_texts.MAX_PARTS, (language, len(body), body)
        assert ADDRESS[language][:12] in body  # the address in the SMS's own language
    # One SMS when the applicant wrote in Kazakh or Russian; else one in each.
    assert len(bodies) == (1 if lang in ("kk", "ru") else 2)


@pytest.mark.parametrize("name", [n for n in TEXTS if n.startswith("reply: ")])
def test_a_reply_to_an_owner_of_unknown_language_fits_in_kazakh_and_russian(app, name):
    """An owner asked in kk and ru (an English applicant's) gets the answer in both, in one
    SMS: still within three parts."""
    body = TEXTS[name].format(None, **dict(LONG, link="https://mekenjai.kz/"))  # the portal
    assert " / " in body and sms_texts.parts(body) <= sms_texts.MAX_PARTS, (len(body), body)


def test_parts_count_gsm7_and_ucs2():
    assert sms_texts.parts("a" * 160) == 1 and sms_texts.parts("a" * 161) == 2
    assert sms_texts.parts("a" * 306) == 2 and sms_texts.parts("a" * 307) == 3
    assert sms_texts.parts("{" * 80) == 1 and sms_texts.parts("{" * 81) == 2  # two septets each
    assert sms_texts.parts("a" * 159 + "я") == 3  # one Cyrillic letter: the whole SMS is UCS-2
    assert sms_texts.parts("я" * 70) == 1 and sms_texts.parts("я" * 134) == 2
    assert sms_texts.parts("я" * 135) == 3 and sms_texts.parts("я" * 202) == 4

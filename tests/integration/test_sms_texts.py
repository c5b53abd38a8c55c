"""Every SMS text comes from the catalogues, in the reader's language (Kazakh and Russian when
it is not known), and the owner's request fits in three UCS-2 parts in every language."""

from __future__ import annotations

import re

import pytest

from portal.core.services import sms_texts
from portal.residence.services import consent, residence_sms
from portal.residence.services.residence import Outcome

# Realistic long values: the longest masked names and a long address label.
LONG = dict(applicant="Ә*********** Б.", person="Н************ С.",
            address="Алматы облысы, Қонаев қаласы, Сұлтанмахмұт Торайғыров көшесі, 118А үй, "
                    "2 корпус, 145 пәтер",
            code="123456", deadline="23:59", link="https://mekenjai.kz/c/AbCdEfGh")
ALL = [sms_texts.SIGN_IN, sms_texts.SIGN_APPLICATION, residence_sms.CONSENT_REQUEST,
       residence_sms.CONSENT_REQUEST_FOR, residence_sms.REGISTERED, residence_sms.REJECTED_OTHER,
       *residence_sms.REJECTED.values()]
VALUES = dict(LONG, number="R-2026-000123")


@pytest.mark.parametrize("lang", sms_texts.LANGUAGES)
@pytest.mark.parametrize("text", ALL)
def test_every_sms_text_is_translated(app, text, lang):
    rendered = text.render(lang, **VALUES)
    english = text.render("en", **VALUES)
    if lang != "en":
        assert rendered != english, f"{text.message} is not translated into {lang}"
        assert not re.search(r"\b(code|application|owner|reply)\b", rendered, re.I)


@pytest.mark.parametrize("text", ALL)
def test_unknown_reader_gets_kazakh_and_russian(app, text):
    both = sms_texts.SmsText.format(text, **VALUES)
    assert both == f"{text.render('kk', **VALUES)} / {text.render('ru', **VALUES)}"
    assert text.format("ru", **VALUES) == text.render("ru", **VALUES)


def test_russian_sms_say_zayavlenie_never_zayavka(app):
    for text in ALL:
        body = text.render("ru", **VALUES)
        assert "заявк" not in body.lower(), body


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("person", [None, LONG["person"]])
def test_owner_gets_one_sms_in_the_applicants_language(app, person, lang):
    bodies = consent.owner_texts(applicant=LONG["applicant"], person=person,
                                 address=LONG["address"], code="123456", deadline="23:59",
                                 link=LONG["link"], lang=lang)
    assert [language for language, _body in bodies] == [lang]
    body = bodies[0][1]
    assert sms_texts.parts(body) <= 3, (len(body), body)
    assert body.count("123456") == 2 and "23:59" in body and LONG["link"] in body
    assert LONG["applicant"] in body and (person is None or person in body)
    assert ("ЖОҚ 123456" in body and "ешкімге айтпаңыз" in body) if lang == "kk" else \
        ("НЕТ 123456" in body and "никому не сообщайте" in body)


@pytest.mark.parametrize("lang", [None, "en"])
def test_owner_of_an_english_or_unknown_applicant_gets_kazakh_and_russian(app, lang):
    bodies = consent.owner_texts(applicant=LONG["applicant"], person=None,
                                 address=lambda language: f"address in {language}",
                                 code="123456", deadline="23:59", link=LONG["link"], lang=lang)
    assert [language for language, _body in bodies] == ["kk", "ru"]
    kk, ru = (body for _language, body in bodies)
    assert "address in kk" in kk and "address in ru" in ru  # the address in the SMS's language
    assert "ЖОҚ 123456" in kk and "НЕТ 123456" in ru


def test_parts_count_ucs2():
    assert sms_texts.parts("я" * 70) == 1
    assert sms_texts.parts("я" * 71) == 2
    assert sms_texts.parts("я" * 201) == 3
    assert sms_texts.parts("я" * 202) == 4


def test_rejections_say_why(app):
    reasons = {outcome: residence_sms.rejected(outcome).render("ru", **VALUES)
               for outcome in Outcome}
    assert len(set(reasons.values())) == len(Outcome)
    assert "собственник отказал" in reasons[Outcome.OWNER_REFUSED]
    assert "не ответил вовремя" in reasons[Outcome.OWNER_TOO_LATE]
    assert "не удалось доставить" in reasons[Outcome.OWNER_NOT_REACHED]


def test_no_hour_or_minutes_written_into_sms(app):
    for text in ALL:
        for lang in sms_texts.LANGUAGES:
            body = text.render(lang, **VALUES)
            assert not re.search(r"\b1\s*(hour|час|сағат)|\b5\s*(min|мин)", body), body


def test_signing_code_follows_the_language_the_route_gives_and_sign_in_is_bilingual(app):
    # Outside any request: the language is a plain argument, not read from the request.
    signing = sms_texts.SIGN_APPLICATION.to("ru").format(code="123456")
    sign_in = sms_texts.SIGN_IN.format(code="123456")
    assert signing == sms_texts.SIGN_APPLICATION.render("ru", code="123456")
    assert "заявления" in signing and " / " not in signing
    assert sms_texts.SIGN_APPLICATION.to(None).format(code="1") == \
        sms_texts.SIGN_APPLICATION.format(code="1")
    assert sign_in == (f"{sms_texts.SIGN_IN.render('kk', code='123456')} / "
                       f"{sms_texts.SIGN_IN.render('ru', code='123456')}")

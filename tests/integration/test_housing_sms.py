"""The housing SMS texts come from the catalogues in the applicant's language and say
«заявление». Their parts are counted with every other SMS text in tests/integration/
test_sms_parts.py (the limits of portal.core.services.sms_texts)."""

from __future__ import annotations

import pytest

from portal.core.services import sms_texts
from portal.housing.services import housing_sms

TEXTS = [housing_sms.SIGN, *housing_sms.DECISIONS.values()]
VALUES = dict(number="H-2026-000123", link="https://mekenjai.kz/housing/s/AbCdEfGhIjKlMnOpQrStUv",
              code="123456", days=3, list="Мүгедектігі бар балаларды тәрбиелеп отырған отбасылар",
              queue_number=123456, date="30 қыркүйек", time="18:29",
              way="онлайн: оған дейін бетте қарсылық білдіріңіз", due="30 қыркүйек")


@pytest.mark.parametrize("lang", sms_texts.LANGUAGES)
@pytest.mark.parametrize("text", TEXTS)
def test_housing_sms_in_every_language_says_zayavlenie(app, text, lang):
    body = text.render(lang, **VALUES)
    if lang != "en":
        assert body != text.render("en", **VALUES)
    assert "заявк" not in body.lower()


def test_the_decision_sms_goes_in_the_language_it_is_given(app):
    # The route gives the submitting page's language (tests/web/test_sms_language.py).
    body = housing_sms.DECISIONS["in_queue"].format("ru", **VALUES)
    assert "заявление H-2026-000123" in body and " / " not in body

"""Each legal or product figure exists once, in portal/domain/limits.py: the rules read it from
there (change it, and the rule changes), the texts are filled from it (no catalogue spells a
figure in words), and a text never rounds a period it cannot say exactly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from kiosk.profile import idle_settings
from portal.config import Defaults
from portal.domain import limits
from portal.domain.consent import Consent, ConsentStatus, Sms, decide, is_expired
from portal.domain.housing.eligibility import suggested_case
from portal.domain.housing.facts import Case, HousingFacts, HousingHistory, Ownership
from portal.domain.people import Person

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


def test_a_period_is_said_in_whole_units_only():
    assert limits.hours(dt.timedelta(hours=1)) == 1
    assert limits.minutes(dt.timedelta(hours=1)) == 60
    with pytest.raises(ValueError):
        limits.hours(dt.timedelta(minutes=90))  # "within 1 hour" would round the law
    with pytest.raises(ValueError):
        limits.minutes(dt.timedelta(seconds=90))


def test_the_figures_the_texts_say_can_be_said_exactly():
    assert limits.hours(limits.CONSENT_PERIOD) == 1  # [004] «бір сағат ішінде»
    assert limits.minutes(limits.CODE_LIFETIME) == 5  # DESIGN.md: sign-in 5 min


def test_the_consent_rule_reads_the_hour_from_limits(monkeypatch):
    monkeypatch.setattr(limits, "CONSENT_PERIOD", dt.timedelta(minutes=90))
    waiting = Consent(ConsentStatus.WAITING, messages=(Sms(START),))
    assert not is_expired(waiting, START + dt.timedelta(minutes=60))
    assert is_expired(waiting, START + dt.timedelta(minutes=90))
    assert decide([waiting], START, START + dt.timedelta(hours=3)).at == \
        START + dt.timedelta(minutes=90)


def test_the_housing_rules_read_the_five_years_from_limits(monkeypatch):
    today = dt.date(2026, 3, 2)
    sold_six_years_ago = Ownership("01:001:001:001", "750000000", dt.date(2010, 1, 1),
                                   dt.date(2020, 3, 1))
    applicant = Person("960327400123", "Әлімжанова", "Айжан", None, dt.date(1996, 3, 27), "F")
    facts = HousingFacts(applicant, HousingHistory(applicant.iin,
                                                   ownership=(sold_six_years_ago,)))
    assert suggested_case(facts, today) == Case.NO_HOUSING  # [002 p.7 sub 1]: five years
    monkeypatch.setattr(limits, "LOOK_BACK_YEARS", 7)
    assert suggested_case(facts, today) is None


def test_the_settings_hold_no_legal_figure_of_their_own():
    # The consent hour is the law's, not a deployment's: no setting can change it.
    assert not hasattr(Defaults, "CONSENT_MINUTES")
    assert Defaults.SIGN_IN_CODE_MINUTES == limits.minutes(limits.CODE_LIFETIME)


def test_the_kiosk_reads_its_idle_times_from_limits(monkeypatch):
    bare = Flask(__name__)  # no settings of its own: the figures come from limits
    with bare.app_context():
        assert idle_settings() == {"warn": 60, "reset": 90}  # SPEC §3: warn, then reset
        monkeypatch.setattr(limits, "KIOSK_IDLE_RESET", dt.timedelta(seconds=120))
        assert idle_settings()["reset"] == 120
        bare.config["KIOSK_IDLE_WARN_SECONDS"] = 5  # a setting still overrides (tests, a hall)
        assert idle_settings()["warn"] == 5


# Figures spelt in words in a text: a text must take them from limits (a placeholder).
IN_WORDS = {
    "en": r"\bfive years\b|\bone hour\b|\bfive minutes\b",
    "ru": r"пять лет|пяти лет|одного часа|один час|пять минут",
    "kk": r"бес жыл|бес минут",
}


@pytest.mark.parametrize("locale", sorted(IN_WORDS))
def test_no_text_spells_a_figure_in_words(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f, locale=locale)
    found = []
    for message in catalogue:
        texts = (message.id if isinstance(message.id, tuple) else (message.id,)) + \
            (message.string if isinstance(message.string, tuple) else (message.string,))
        found += [t for t in texts if t and re.search(IN_WORDS[locale], t, re.IGNORECASE)]
    assert not found, found[:5]


def test_housing_deadlines_as_the_rules_say():
    # [002 p.13, p.16-19]: the figures SPEC.md §2 quotes.
    assert (limits.DECISION_NO_HOUSING_WORKING_DAYS, limits.DECISION_EMERGENCY_WORKING_DAYS,
            limits.DECISION_NOTICE_WORKING_DAYS) == (1, 3, 3)
    assert (limits.HEARING_NOTICE_BEFORE_DEADLINE_WORKING_DAYS,
            limits.HEARING_WITHIN_WORKING_DAYS) == (3, 2)
    assert (limits.COMPLAINT_HEAD_WORKING_DAYS,
            limits.COMPLAINT_QUALITY_AUTHORITY_WORKING_DAYS,
            limits.COMPLAINT_FORWARD_WORKING_DAYS) == (5, 15, 3)


def test_the_kiosk_idle_times_are_set_by_environment_variables(monkeypatch):
    from portal.config import kiosk_idle_from_environment

    monkeypatch.delenv("PORTAL_KIOSK_IDLE_WARN_SECONDS", raising=False)
    monkeypatch.delenv("PORTAL_KIOSK_IDLE_RESET_SECONDS", raising=False)
    assert kiosk_idle_from_environment() == {}  # unset: limits.py's 60 s and 90 s hold
    monkeypatch.setenv("PORTAL_KIOSK_IDLE_WARN_SECONDS", "45")
    monkeypatch.setenv("PORTAL_KIOSK_IDLE_RESET_SECONDS", "75")
    assert kiosk_idle_from_environment() == {"KIOSK_IDLE_WARN_SECONDS": 45,
                                             "KIOSK_IDLE_RESET_SECONDS": 75}
    bare = Flask(__name__)
    bare.config.update(kiosk_idle_from_environment())
    with bare.app_context():
        assert idle_settings() == {"warn": 45, "reset": 75}  # what the kiosk's page is given


@pytest.mark.parametrize("warn,reset", [("90", "60"), ("0", "60"), ("ten", "60"), ("", "30")])
def test_kiosk_idle_settings_that_cannot_work_refuse_to_start(monkeypatch, warn, reset):
    from portal.config import ConfigError, kiosk_idle_from_environment

    monkeypatch.setenv("PORTAL_KIOSK_IDLE_WARN_SECONDS", warn)  # "" is unset: 60 s, after 30
    monkeypatch.setenv("PORTAL_KIOSK_IDLE_RESET_SECONDS", reset)
    with pytest.raises(ConfigError):
        kiosk_idle_from_environment()

"""The canonical signed text and the sign-in nonce (pure functions)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.ecp import (
    NONCE_LIFETIME,
    canonical_bytes,
    canonical_text,
    is_expired,
    is_well_formed,
    new_nonce,
    sign_in_text,
)

LINES = [("Адрес", "г. Астана, ул. Абая, 1"), ("ИИН", "900101300017")]


def text(**overrides) -> str:
    args = dict(service="Регистрация по месту жительства", reference="R-2026-000123",
                nonce="abc", lines=LINES, language="ru")
    return canonical_text(**{**args, **overrides})


def test_the_text_reads_as_the_citizen_sees_it():
    assert text() == (
        "Mekenjai\n"
        "Регистрация по месту жительства\n"
        "Номер заявления: R-2026-000123\n"
        "----\n"
        "Адрес: г. Астана, ул. Абая, 1\n"
        "ИИН: 900101300017\n"
        "----\n"
        "Одноразовый код: abc\n"
    )


def test_kazakh_and_english_fixed_words():
    assert "Өтінім нөмірі: R-2026-000123" in text(language="kk")
    assert "Application number: R-2026-000123" in text(language="en")
    with pytest.raises(ValueError):
        text(language="de")


def test_number_and_nonce_bind_the_signature():
    assert text() != text(reference="R-2026-000124")
    assert text() != text(nonce="abd")
    with pytest.raises(ValueError):
        text(reference="  ")


def test_newlines_and_unicode_are_normalised():
    a = text(lines=[("Note", "line one\r\nline two  \rthree"), ("Name", "e\u0301")])
    b = text(lines=[("Note", "line one\nline two\nthree"), ("Name", "\u00e9")])
    assert a == b
    assert "Note: line one\n  line two\n  three\n" in a


def test_a_value_cannot_forge_a_line_or_the_separator():
    forged = text(lines=[("Адрес", "Астана\n----\nОдноразовый код: other")])
    assert forged.count("\n----\n") == 2
    assert "\nОдноразовый код: other" not in forged
    assert "\x07" not in text(lines=[("Адрес", "Аста\x07на")])


@given(st.lists(st.tuples(st.text(), st.text()), max_size=5))
def test_deterministic_utf8_with_a_final_newline(lines):
    once = canonical_bytes(service="S", reference="1", nonce="n", lines=lines, language="en")
    assert once == canonical_bytes(service="S", reference="1", nonce="n", lines=lines,
                                   language="en")
    decoded = once.decode("utf-8")
    assert decoded.endswith("\n") and "\r" not in decoded


def test_sign_in_text_carries_the_nonce():
    nonce = new_nonce()
    assert nonce in sign_in_text(service="Sign in", nonce=nonce, language="kk")


def test_nonces_are_random_and_well_formed():
    nonces = {new_nonce() for _ in range(100)}
    assert len(nonces) == 100 and all(is_well_formed(n) for n in nonces)
    assert not is_well_formed("short") and not is_well_formed(None)
    assert not is_well_formed("x" * 31 + "!")


def test_nonce_expires_exactly_at_its_lifetime():
    issued = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
    assert NONCE_LIFETIME == timedelta(minutes=5)
    assert not is_expired(issued, issued + timedelta(minutes=4, seconds=59))
    assert is_expired(issued, issued + timedelta(minutes=5))

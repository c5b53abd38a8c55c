"""tests/unit stays pure: the guard in tests/unit/conftest.py stops a test asking for the app."""

from __future__ import annotations

import pytest

from tests.support.purity import impurity


@pytest.mark.parametrize("fixture", ["app", "db", "client", "seeded", "app_config", "redis_server"])
def test_a_unit_test_that_asks_for_the_app_or_a_database_is_refused(fixture):
    assert "tests/integration" in impurity(["tmp_path", fixture])


def test_a_pure_test_passes_the_guard():
    assert impurity(["tmp_path", "monkeypatch", "request"]) is None


def test_this_very_test_passes_the_guard(request):
    assert impurity(request.fixturenames) is None

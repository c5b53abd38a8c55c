"""tests/unit holds pure tests (rules, texts, parsers, the code's own shape): one asking for the
app or a database fails here at once (tests/support/purity.py)."""

from __future__ import annotations

import pytest

from tests.support.purity import impurity


def pytest_runtest_setup(item):
    problem = impurity(getattr(item, "fixturenames", ()))
    if problem:
        pytest.fail(problem, pytrace=False)

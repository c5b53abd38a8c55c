"""Every route says what it is for: a docstring on each view function (the house's plan reads
from the routes down; a page nobody can name is a page nobody can review)."""

from __future__ import annotations

import inspect


def _undocumented(app) -> list[str]:
    missing = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or inspect.getdoc(inspect.unwrap(view)):
            continue
        missing.append(f"{rule.endpoint} ({rule.rule})")
    return sorted(set(missing))


def test_every_route_has_a_docstring(app):
    missing = _undocumented(app)
    assert not missing, "\n".join(missing)

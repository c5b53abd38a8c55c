"""What import-linter cannot see (it tracks modules, not names): services and the domain never
touch the request. Services take what a request carries (IIN, IP, form values) as arguments, so
the same use case runs from a page, a kiosk, a CLI job or the office."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUEST_NAMES = {"request", "session", "g"}  # flask's per-request globals
LAYERS = ("portal/core/services", "portal/residence/services", "portal/housing/services",
          "portal/housing/office/services", "portal/ecp/signing.py", "portal/domain")


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask.globals"):
            found += [f"{path.relative_to(ROOT)}:{node.lineno} imports flask.{a.name}"
                      for a in node.names if a.name in REQUEST_NAMES]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "flask" and node.attr in REQUEST_NAMES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} uses flask.{node.attr}")
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_no_request_globals_below_the_web_layer(layer):
    layer = ROOT / layer
    paths = sorted(layer.rglob("*.py")) if layer.is_dir() else [layer]
    assert paths and all(p.exists() for p in paths), layer  # a layer that moved is no pass
    offences = [o for path in paths for o in _offences(path)]
    assert not offences, offences


def test_the_check_itself_catches_an_offence(tmp_path, monkeypatch):
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import current_app, request\nimport flask\nflask.session\n")
    assert len(_offences(bad)) == 2

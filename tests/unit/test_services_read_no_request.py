"""Use cases take the request's values (who asks, in which language) as plain arguments from
the routes: no service reads the request through a side door (a module-global callback, the
request's locale). import-linter forbids modules; Flask's and Flask-Babel's request readers are
names inside modules services need (current_app for the configuration; lazy_gettext and
force_locale for their texts), so the names themselves are checked here."""

from __future__ import annotations

import ast
from pathlib import Path

import portal
from portal.core.services import requester

ROOT = Path(portal.__file__).parent
SERVICES = [ROOT / "core" / "services", ROOT / "residence" / "services",
            ROOT / "housing" / "services", ROOT / "housing" / "office" / "services"]
# What a service may take from each: the application's configuration and catalogue texts.
ALLOWED = {"flask": {"current_app"},
           "flask_babel": {"lazy_gettext", "force_locale", "gettext"}}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module in ALLOWED:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ALLOWED:
                    yield alias.name, "*"


def test_services_import_nothing_that_reads_the_request():
    found = [(str(path.relative_to(ROOT)), module, name)
             for folder in SERVICES for path in sorted(folder.glob("*.py"))
             for module, name in _imports(path) if name not in ALLOWED[module]]
    assert found == []


def test_the_requester_is_a_value_not_a_callback():
    assert not hasattr(requester, "set_source")
    asking = requester.Requester(iin="900101300001", lang="ru")
    assert asking.language_for("900101300001") == "ru"
    assert asking.language_for("850202400002") is None  # someone else's SMS: kk and ru
    assert requester.NOBODY.language_for("900101300001") is None

"""The house's plan (.importlinter, README "How it is built"): every contract kept, no import
circle anywhere, and each contract shown to fail on the import it forbids (written into a copy
of the tree, so a contract that checks nothing cannot pass here)."""

from __future__ import annotations

import configparser
import inspect
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")
pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[2]


def _contracts() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return [s.split(":", 2)[2] for s in config.sections() if s.startswith("importlinter:contract:")]


def lint(contract: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    # `-c` puts the working directory first on sys.path: the tree at `root` is the one checked.
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(no_cache=True, limit_to_contracts=({contract!r},)))")
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=120)


def circles(graph) -> list[list[str]]:
    """The import circles of a grimp graph, each as the sorted modules of one circle: a module
    is in a circle with those it imports (upstream) that also import it (downstream)."""
    found = set()
    for module in graph.modules:
        mates = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if mates:
            found.add(tuple(sorted(mates | {module})))
    return sorted(list(circle) for circle in found)


def circles_in(root: Path) -> list[list[str]]:
    """circles() of the tree at `root`, in its own interpreter (this one has imported portal)."""
    code = (inspect.getsource(circles) + "\nimport grimp, json\nprint(json.dumps(circles("
            "grimp.build_graph('portal', 'kiosk', exclude_type_checking_imports=True))))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, timeout=120, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("contract", _contracts())
def test_contract_is_kept(contract):
    result = lint(contract)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_every_contract_is_shown_to_break_below():
    assert set(_contracts()) == {contract for contract, _module, _line in BAD_IMPORTS}


def test_no_import_circle_anywhere():
    """Not between packages, not between a package and its modules, not inside a package
    (import-linter's layers allow modules of one layer to import each other)."""
    assert circles_in(ROOT) == []


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the code and its contracts, to write bad imports into."""
    copy = tmp_path_factory.mktemp("tree")
    for name in ("portal", "kiosk"):
        shutil.copytree(ROOT / name, copy / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.md"))
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    return copy


@pytest.fixture
def edit(tree):
    """Append a line to a module of the copy (or write a new one); undone afterwards."""
    saved: dict[Path, str | None] = {}

    def append(relative: str, line: str) -> None:
        path = tree / relative
        saved.setdefault(path, path.read_text() if path.exists() else None)
        path.write_text((saved[path] or "") + f"\n{line}\n")

    yield append
    for path, text in saved.items():
        if text is None:
            path.unlink()
        else:
            path.write_text(text)


# (the contract that must break, the module written into, the import it gets)
BAD_IMPORTS = [
    ("inside", "portal/housing/services/housing_sms.py", "from portal.housing import routes"),
    ("inside", "portal/core/models/base.py", "from portal.core.services import numbering"),
    ("services-without-the-request", "portal/core/services/notices.py",
     "from portal.core import citizens"),
    ("services-without-the-request", "portal/housing/office/services/housing_office.py",
     "from portal.housing.office.staff import access"),
    ("services-without-the-request", "portal/residence/services/consent.py", "import wtforms"),
    ("layers", "portal/core/services/numbering.py",
     "from portal.residence.services import consent"),
    ("layers", "portal/residence/services/residence.py",
     "from portal.housing.services import housing"),
    ("layers", "portal/core/services/signing.py", "from portal.ecp import signing"),
    ("ecp", "portal/ecp/verifier.py", "from portal.ecp import signing"),
    ("ecp", "portal/ecp/setup.py", "from portal.ecp import routes"),
    ("ecp-verification-is-plain", "portal/ecp/ocsp.py", "import flask"),
    ("ecp-verification-is-plain", "portal/ecp/trust.py", "from portal.core import models"),
    ("core-imports-no-journey", "portal/core/web/fragments.py", "import kiosk.routes"),
    ("journeys-independent", "kiosk/receipts.py", "from portal.residence import texts"),
    ("domain-is-pure", "portal/domain/iin.py", "import flask"),
    ("domain-is-pure", "portal/domain/iin.py", "import wtforms"),
    ("domain-is-pure", "portal/domain/iin.py", "import sqlalchemy"),
    ("pages-without-models", "portal/status/routes.py",
     "from portal.core.models import Application"),
]


def test_the_copy_keeps_every_contract(tree):
    for contract in _contracts():
        result = lint(contract, tree)
        assert result.returncode == 0, (contract, result.stdout[-2000:])


@pytest.mark.parametrize("contract, module, line", BAD_IMPORTS)
def test_a_forbidden_import_breaks_its_contract(tree, edit, contract, module, line):
    assert (tree / module).exists(), module  # an import added to a module that is there
    edit(module, line)
    result = lint(contract, tree)
    assert result.returncode != 0, (contract, module, line, result.stdout[-2000:])
    assert "BROKEN" in result.stdout


@pytest.mark.parametrize("module", ["portal/loose.py", "portal/core/loose.py",
                                    "portal/housing/loose.py", "kiosk/loose.py",
                                    "portal/ecp/loose.py"])
def test_a_module_in_no_layer_breaks_the_layers(tree, edit, module):
    """Exhaustive: a module nobody gave a place (a loose module at a package's root) fails."""
    edit(module, '"""Loose."""')
    contract = "layers" if module.count("/") == 1 and module.startswith("portal") else \
        "ecp" if module.startswith("portal/ecp/") else "inside"
    result = lint(contract, tree)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout[-2000:]


def test_an_import_circle_is_found(tree, edit):
    edit("portal/core/services/numbering.py", "from portal.core.services import lifecycle")
    edit("portal/core/services/lifecycle.py", "from portal.core.services import numbering")
    assert ["portal.core.services.lifecycle", "portal.core.services.numbering"] in \
        circles_in(tree)

"""The import contracts in .importlinter, one test each (`make lint` runs them all too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[2]


def lint(contract: str) -> subprocess.CompletedProcess:
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(no_cache=True, limit_to_contracts=({contract!r},)))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("contract", [
    "domain-is-pure",
    "services-below-blueprints",
    "blueprints-without-models",
    "blueprints-independent",
])
def test_contract_is_kept(contract):
    result = lint(contract)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]

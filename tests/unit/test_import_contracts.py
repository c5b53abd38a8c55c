"""The import contracts in .importlinter, one test each. The two the residence code still breaks
are expected to fail (strict: once phase 2 fixes them, the xfail marks must go)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[2]
BROKEN_UNTIL_PHASE_2 = pytest.mark.xfail(strict=True, reason="docs/CORE.md: phase 2 fixes it")


def lint(contract: str) -> subprocess.CompletedProcess:
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(no_cache=True, limit_to_contracts=({contract!r},)))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("contract", [
    "domain-is-pure",
    "services-below-blueprints",
    pytest.param("blueprints-without-models", marks=BROKEN_UNTIL_PHASE_2),
    pytest.param("blueprints-independent", marks=BROKEN_UNTIL_PHASE_2),
])
def test_contract_is_kept(contract):
    result = lint(contract)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]

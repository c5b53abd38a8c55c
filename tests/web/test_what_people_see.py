"""What people see (the issue "What people see"): valid HTML, long links that wrap, forms that
show errors only after a submit, no step line on pages that end the journey, the signing choice
as it really works, and the under-14 rule as an answer rather than an input error."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_writes_a_bare_hx_attribute():
    """The Nu checker rejects `hx-*`; htmx reads `data-hx-*` just the same."""
    bare = re.compile(r"\shx-[a-z]")
    found = [f"{path.relative_to(ROOT)}:{n}"
             for path in sorted((ROOT / "templates").rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if bare.search(line)]
    assert not found, found

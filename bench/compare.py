"""Before/after table from two `bench/throughput.py --json` files measured one after the other
(the same machine, minutes apart): per database and page, SQL statements, throughput ratio to
the bare page and p95 ratio, each "before → after", and whether the page meets the budget after.

    .venv/bin/python bench/compare.py before.json after.json
"""

from __future__ import annotations

import json
import sys


def _ratios(result: dict, label: str) -> tuple[float, float, int]:
    page = result["pages"][label]
    bare = page.get("bare") or result["bare"]  # measured right before the page, or once (older)
    rps = page["rps"] / bare["rps"]
    p95 = page["p95"] / bare["p95"] if bare["p95"] else float("nan")
    return rps, p95, page["non2xx"] + page["errors"]


def _p95(value: float) -> str:
    return "cannot serve" if value == float("inf") else f"{value:.1f}×"


def compare(before: dict, after: dict) -> str:
    lines = []
    for db_name, new in after.items():
        old = before.get(db_name)
        if not old:
            continue
        lines += [f"**{db_name}** (each ratio to the bare page of the same run)", "",
                  "| page | SQL | req/s | vs bare (≥ 0.5) | p95 vs bare (≤ 2) | budget after |",
                  "|---|---|---|---|---|---|"]
        for label, page in new["pages"].items():
            if label not in old["pages"]:
                continue
            r0, p0, _e0 = _ratios(old, label)
            r1, p1, e1 = _ratios(new, label)
            ok = r1 >= 0.5 and p1 <= 2 and not e1
            lines.append(
                f"| `{label}` | {old['queries'].get(label, '?')} → {new['queries'].get(label, '?')}"
                f" | {old['pages'][label]['rps']:.0f} → {page['rps']:.0f} | {r0:.2f} → {r1:.2f}"
                f" | {_p95(p0)} → {_p95(p1)} | {'meets' if ok else 'MISSES'} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as b, open(sys.argv[2], encoding="utf-8") as a:
        print(compare(json.load(b), json.load(a)))

"""Before/after table from two `bench/throughput.py --json` files measured one after the other
(the same machine, minutes apart): per database and page, SQL statements, the server's CPU per
request, throughput ratio to the bare page and p95 ratio, each "before → after", and whether the
page meets its kind's budget after (bench/throughput.py's BUDGETS).

    .venv/bin/python bench/compare.py before.json after.json
"""

from __future__ import annotations

import json
import sys

from throughput import meets  # bench/ is on the path: this script's own folder


def _ratios(result: dict, label: str) -> tuple[float, float, int]:
    page = result["pages"][label]
    bare = page.get("bare") or result["bare"]  # measured right before the page, or once (older)
    rps = page["rps"] / bare["rps"]
    p95 = page["p95"] / bare["p95"] if bare["p95"] else float("nan")
    return rps, p95, page["non2xx"] + page["errors"]


def _cpu(page: dict) -> str:
    """The server's CPU per request, and as a multiple of the bare page's measured right before
    it (a shared machine's speed moves both: the multiple is what compares across runs)."""
    bare = page.get("bare", {}).get("cpu_ms")
    ms = page["cpu_ms"]
    return f"{ms:.2f} ({ms / bare:.1f}×)" if bare else f"{ms:.2f}"


def _p95(value: float) -> str:
    return "cannot serve" if value == float("inf") else f"{value:.1f}×"


def compare(before: dict, after: dict) -> str:
    lines = []
    for db_name, new in after.items():
        old = before.get(db_name)
        if not old:
            continue
        lines += [f"**{db_name}** (each ratio to the bare page measured right before it)", "",
                  "| page | kind | SQL | server CPU ms/req (× bare) | req/s | × bare | p95 × bare "
                  "| budget after |",
                  "|---|---|---|---|---|---|---|---|"]
        for label, page in new["pages"].items():
            if label not in old["pages"]:
                continue
            r0, p0, _e0 = _ratios(old, label)
            r1, p1, _e1 = _ratios(new, label)
            cpu = (f"{_cpu(old['pages'][label])} → {_cpu(page)}"
                   if "cpu_ms" in old["pages"][label] and "cpu_ms" in page else "—")
            budget = ("meets" if meets(page) else "MISSES") if "kind" in page else "—"
            lines.append(
                f"| `{label}` | {page.get('kind', '')} "
                f"| {old['queries'].get(label, '?')} → {new['queries'].get(label, '?')} "
                f"| {cpu} | {old['pages'][label]['rps']:.0f} → {page['rps']:.0f} "
                f"| {r0:.2f} → {r1:.2f} | {_p95(p0)} → {_p95(p1)} | {budget} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as b, open(sys.argv[2], encoding="utf-8") as a:
        print(compare(json.load(b), json.load(a)))

"""The p95 of each step of the Locust run against a budget (issue 24: 30 citizens' whole
journeys, p95 per step <= 300 ms on a quiet machine), as a Markdown table, from Locust's
`--csv` stats file. A measurement: exit status 0 whatever the figures.

    python bench/load/p95_per_step.py STATE/locust_stats.csv 300
"""

from __future__ import annotations

import csv
import sys


def main() -> None:
    path, budget = sys.argv[1], float(sys.argv[2])
    with open(path, newline="") as stats:
        rows = [row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"]
    over = 0
    print(f"| step | requests | failures | p50 ms | p95 ms | p95 ≤ {budget:.0f} ms |")
    print("|---|---|---|---|---|---|")
    for row in sorted(rows, key=lambda r: -float(r["95%"] or 0)):
        p95 = float(row["95%"] or 0)
        over += p95 > budget
        print(f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']}"
              f" | {row['50%']} | {row['95%']} | {'yes' if p95 <= budget else '**no**'} |")
    print()
    print(f"Steps over the budget: {over} of {len(rows)}.")


if __name__ == "__main__":
    main()

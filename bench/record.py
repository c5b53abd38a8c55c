"""Put a benchmark run into its section of docs/BENCHMARKS.md: the text on stdin goes at the
end of the section whose heading is the first argument (before the next `## ` heading), or at
the end of the file under that heading when the section does not exist yet. Used by the
Makefile's bench_both_engines.

    printf '### run\n...' | .venv/bin/python bench/record.py '## 6. Address search ...'
"""

from __future__ import annotations

import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "BENCHMARKS.md"


def placed(document: str, heading: str, run: str) -> str:
    run = run.strip("\n") + "\n"
    lines = document.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\n") == heading]
    if not starts:
        return document.rstrip("\n") + f"\n\n{heading}\n\n{run}"
    end = next((i for i in range(starts[0] + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    before = "".join(lines[:end]).rstrip("\n")
    after = "".join(lines[end:])
    return f"{before}\n\n{run}" + (f"\n{after}" if after else "")


def main() -> None:
    DOC.write_text(placed(DOC.read_text(), sys.argv[1], sys.stdin.read()))


if __name__ == "__main__":
    main()

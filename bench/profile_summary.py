"""Where the time goes, from py-spy's raw (collapsed) output: the functions with the most samples
on the stack (inclusive) and on top of it (self), the app's own and the libraries'.

    py-spy record --pid WORKER --duration 10 --format raw -o stacks.txt
    python bench/profile_summary.py stacks.txt [--top 25]
"""

from __future__ import annotations

import argparse
import collections
import re


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    total = 0
    for line in open(args.path, encoding="utf-8"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        frames = [re.sub(r"\s*\((.*?):\d+\)$", r" (\1)", f) for f in stack.split(";")]
        frames = [re.sub(r"/.*?/(site-packages|wt-[^/]+|lib/python3\.\d+)/", "", f) for f in frames]
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    print(f"{total} samples")
    print("inclusive (on the stack):")
    for frame, n in inclusive.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {frame}")
    print("self (on top):")
    for frame, n in own.most_common(args.top // 2):
        print(f"  {100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()

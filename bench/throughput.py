"""Server budget (DESIGN.md): each page's throughput at saturation >= half that of a bare Flask
page under the same server on the same machine, measured in the same run. Runs gunicorn (the
production server) with the portal on a seeded SQLite file and with bench/bare.py, and loads
each page with wrk on loopback for a few seconds. Prints requests/s, latency percentiles and the
ratio to the bare page. Needs `wrk` (Debian package) — `make bench` installs it.

    .venv/bin/python bench/throughput.py [--seconds 5] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = ["/", "/sign-in", "/residence/", "/consent", "/healthz"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", target], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def load(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms("50"), "p90": ms("90"), "p99": ms("99"),
            "errors": int(non_2xx.group(1)) if non_2xx else 0}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "PORTAL_INSTANCE_DIR": tmp, "PORTAL_SECRET_KEY": "bench" * 8,
           "PORTAL_DATABASE_URL": f"sqlite:///{tmp}/bench.db", "PYTHONPATH": str(ROOT)}
    for command in (["db", "upgrade"], ["demo", "seed"]):
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env,
                       check=True, capture_output=True)
    env_limits_off = {**env, "PORTAL_RATELIMIT_STORAGE": "memory://"}
    bare, bare_url = serve("bench.bare:app", env)
    try:
        baseline = load(bare_url + "/", args.seconds, args.connections)
    finally:
        bare.terminate()
        bare.wait()
    portal, portal_url = serve("wsgi:app", env_limits_off)
    results = {}
    try:
        for page in PAGES:
            results[page] = load(portal_url + page, args.seconds, args.connections)
    finally:
        portal.terminate()
        portal.wait()
    print(f"gunicorn 2 workers, wrk {args.connections} connections, {args.seconds} s each")
    print(f"{'page':<14}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'vs bare':>9}")
    print(f"{'(bare Flask)':<14}{baseline['rps']:>9.0f}{baseline['p50']:>9.2f}"
          f"{baseline['p90']:>9.2f}{baseline['p99']:>9.2f}{1:>9.2f}")
    worst = 1.0
    for page, r in results.items():
        ratio = r["rps"] / baseline["rps"]
        worst = min(worst, ratio)
        flag = "" if ratio >= 0.5 and not r["errors"] else "  BELOW BUDGET"
        if r["errors"]:
            flag += f" ({r['errors']} non-2xx)"
        print(f"{page:<14}{r['rps']:>9.0f}{r['p50']:>9.2f}{r['p90']:>9.2f}{r['p99']:>9.2f}"
              f"{ratio:>9.2f}{flag}")
    print(f"lowest ratio to the bare page: {worst:.2f} (budget: 0.50)")
    return 0 if worst >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())

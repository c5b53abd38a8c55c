"""Where a page's time goes, without a server or a network: each page of bench/throughput.py
called straight through the WSGI app in this process, beside the bare Flask page, and (with
--profile) cProfile's top functions for one page. Quick (seconds) and far less noisy than a
wrk run, so it is the tool for "did this change make the page cheaper?"; the budget itself
is measured by bench/throughput.py under gunicorn. SQLite, development settings.

    .venv/bin/python bench/inprocess.py [--n 300] [--profile /s/<token>] [--top 30]
                                        [--sort tottime] [--only cabinet] [--callers html_params]
                                        [--json out.json] [--redis redis://127.0.0.1:6379/0]
                                        [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _environ(path: str, headers: dict) -> dict:
    from werkzeug.test import EnvironBuilder

    return EnvironBuilder(path=path, headers=headers).get_environ()


def per_request_us(wsgi, path: str, headers: dict, n: int) -> float:
    """Median of five batches of n requests, in microseconds per request."""
    def call():
        chunks = wsgi(_environ(path, headers), lambda *a, **k: None)
        b"".join(chunks)
        getattr(chunks, "close", lambda: None)()

    for _ in range(20):
        call()
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            call()
        batches.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(batches)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--profile", help="a page label from bench/throughput.py's PAGES")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (or tottime)")
    parser.add_argument("--only", help="only the pages whose label holds one of these (a,b)")
    parser.add_argument("--callers", help="with --profile: who calls the functions matching this")
    parser.add_argument("--sql", help="print the statements of the page with this label")
    parser.add_argument("--json", help="also write {label: {us, bare_us}} here")
    parser.add_argument("--redis", help="sessions (and limits) in this Redis, as in production")
    parser.add_argument("--database-url", help="an empty database (default: a SQLite file)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="mekenjai-inprocess-")
    env = {"PORTAL_INSTANCE_DIR": tmp, "PORTAL_SECRET_KEY": "bench" * 8,
           "PORTAL_RATELIMIT_STORAGE": "memory://",
           "PORTAL_DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.db"}
    if args.redis:
        env["PORTAL_REDIS_URL"] = args.redis
        env["PORTAL_RATELIMIT_STORAGE"] = args.redis
    os.environ.update(env)
    os.environ.pop("PORTAL_ENV", None)
    for command in (["db", "upgrade"], ["demo", "seed"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], cwd=ROOT,
                       check=True, capture_output=True)

    from werkzeug.serving import make_server

    from bench import throughput
    from bench.bare import app as bare
    from portal import create_app

    app = create_app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fx = throughput.fixtures(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    queries = throughput.query_counts(app, fx, show=args.sql)

    print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"{'page':40} {'SQL':>4} {'µs':>6} {'bare µs':>8} {'× bare':>7}")
    results = {}
    for label, _kind, template, who, htmx in throughput.PAGES:
        if args.only and not any(part in label for part in args.only.split(",")):
            continue
        headers = throughput.headers_for(fx, who, htmx)
        path = template.format(**fx)
        if args.profile == label:
            profile = cProfile.Profile()
            profile.enable()
            per_request_us(app.wsgi_app, path, headers, args.n)
            profile.disable()
            stats = pstats.Stats(profile).sort_stats(args.sort)
            stats.print_stats(args.top)
            if args.callers:
                stats.print_callers(args.callers)
                stats.print_callees(args.callers)
        # The bare page right before each page: the machine is shared, so a ratio to a bare
        # page measured minutes earlier would carry a load spike into one page's figure.
        bare_us = per_request_us(bare.wsgi_app, "/", {}, args.n)
        us = per_request_us(app.wsgi_app, path, headers, args.n)
        results[label] = {"us": us, "bare_us": bare_us, "sql": queries[label]}
        print(f"{label:40} {queries[label]:>4} {us:6.0f} {bare_us:8.0f} {us / bare_us:7.1f}")
    print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

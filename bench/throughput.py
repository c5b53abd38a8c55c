"""Server budget (DESIGN.md "Budgets"): every page's throughput at saturation >= 0.5 x a bare
Flask page's, and its p95 at a fixed offered rate <= 2 x the bare page's, both under the same
server (gunicorn with deploy/gunicorn.conf.py) on the same machine in the same run.

For each database (SQLite file and a throwaway PostgreSQL from scripts/pg-test-server.sh):
migrate, seed the demo registries, sign a demo citizen in over HTTP (the code read from the
outbox table: the bench runs the app in development mode), submit an application (own home),
leave a draft at the address step and a housing draft at its check page; sign in a second
citizen who joins the housing list; sign the demo officer in to the office. Then for every
page of PAGES — public, signed-in, htmx fragment, status pages (/s/<token>, /housing/s/<token>,
the queue look-up by number), QR SVG, the office work list — the bare page right before it
(both servers run throughout, so a load spike on the shared machine moves both figures of a
row), then the page:

- saturation: wrk, --connections for --seconds (closed loop: how many requests a second at
  most), with the server's CPU per request (its workers' user + system time from /proc over
  the requests served);
- fixed rate: bench/fixed_rate.py (open loop, aiohttp, in bench/load/.venv) at --rate req/s for
  --rate-seconds: p50/p95/p99 from each request's planned start;
- queries: how many SQL statements the page runs (the app in-process, the same cookie).

Prints a table per database and writes it into docs/BENCHMARKS.md between the markers
`<!-- bench:throughput:start -->` / `<!-- bench:throughput:end -->` (with --write). Never a
pass/fail test: exit status 0 whatever the figures. Needs `wrk` (Debian), made by `make bench`.

    .venv/bin/python bench/throughput.py [--db sqlite,postgres] [--seconds 5] [--rate 200] [--write]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOAD_PY = ROOT / "bench/load/.venv/bin/python"
PG = ROOT / "scripts/pg-test-server.sh"
DOC = ROOT / "docs/BENCHMARKS.md"
OWNER = ("850314301209", "Абай 150 12")  # Жұмабаев, own flat: registered at once
APPLICANT = "no_housing"  # Әлімжанова (demo key), nowhere to live: on the housing list at once

# (label, kind, path template, whose cookie (None: a visitor), the htmx target (None: no htmx
# request; as the page's search box sends it, HX-Target names the fragment)). The cookies:
# "cookie" the owner (a registered residence application, a residence draft, a housing draft
# at its check page), "applicant" a citizen with a submitted housing application (on the
# general list), "staff" the demo officer in the office.
PAGES = [
    ("/", "public", "/", None, None),
    ("/sign-in", "public", "/sign-in", None, None),
    ("/residence/", "public", "/residence/", None, None),
    ("/consent", "public", "/consent", None, None),
    ("/housing/", "public", "/housing/", None, None),
    ("/queue", "public", "/queue", None, None),
    ("/healthz", "health", "/healthz", None, None),
    ("/cabinet", "signed-in", "/cabinet", "cookie", None),
    ("/residence/<id>/done", "signed-in", "/residence/{done}/done", "cookie", None),
    ("/residence/<id>/address?q (htmx)", "htmx fragment", "/residence/{draft}/address?q={q}",
     "cookie", "results"),
    ("/housing/<id>/check", "signed-in", "/housing/{housing_draft}/check", "cookie", None),
    ("/housing/<id>/done", "signed-in", "/housing/{housing_done}/done", "applicant", None),
    ("/s/<token>", "status", "/s/{token}", None, None),
    ("/s/<token>/qr.svg", "QR SVG", "/s/{token}/qr.svg", None, None),
    ("/housing/s/<token>", "status", "/housing/s/{housing_token}", None, None),
    ("/queue look-up by number", "status", "/queue?settlement={settlement}&list_code={list_code}"
     "&number={number}", None, None),
    ("/office/ work list", "staff", "/office/", "staff", None),
]


def headers_for(fx: dict, who: str | None, htmx: str | None) -> dict[str, str]:
    """The request headers of a page of PAGES: its cookie, and htmx's headers."""
    headers = {"Cookie": fx[who]} if who else {}
    if htmx:
        headers["HX-Request"] = "true"
        headers["HX-Target"] = htmx
    return headers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "python"), "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"),
         target],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "",
                       "GUNICORN_LOGLEVEL": "warning", "GUNICORN_WORKERS": str(workers),
                       "GUNICORN_MAX_REQUESTS": "0"})
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def saturate(url: str, seconds: int, connections: int, headers: list[str]) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "non2xx": int(non_2xx.group(1)) if non_2xx else 0}


def fixed_rate(url: str, rate: int, seconds: int, headers: list[str]) -> dict:
    args = [str(LOAD_PY), str(ROOT / "bench/fixed_rate.py"), url, "--rate", str(rate),
            "--seconds", str(seconds)]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- fixtures: a signed-in citizen, a submitted application, a draft -----------------------------
class Browser:
    """Just enough of a browser (cookies, CSRF, no redirects followed) for the fixtures."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.token = ""

    def get(self, path: str) -> str:
        html = self.opener.open(self.base + path, timeout=10).read().decode()
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        self.token = found.group(1) if found else self.token
        return html

    def post(self, path: str, data: dict) -> str:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        try:
            self.opener.open(self.base + path, data=body, timeout=10)
        except urllib.error.HTTPError as exc:
            if exc.code in (302, 303):
                return urllib.parse.urlparse(exc.headers["Location"]).path
            raise
        raise RuntimeError(f"POST {path}: no redirect")

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def last_code(app, phone_iin: str) -> str:
    import sqlalchemy as sa

    from portal.core.models import SmsMessage
    from portal.core.registries import registries
    from portal.extensions import db

    with app.app_context():
        phone = registries().person(phone_iin).phone
        body = db.session.scalars(sa.select(SmsMessage.body).where(SmsMessage.phone == phone)
                                  .order_by(SmsMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def signed_in(app, base: str, iin: str) -> Browser:
    b = Browser(base)
    b.get("/sign-in")
    b.post("/sign-in", {"iin": iin})
    b.get("/sign-in/code")
    b.post("/sign-in/code", {"code": last_code(app, iin)})
    b.get("/cabinet")
    return b


def housing_walk(app, b: Browser, iin: str) -> str:
    """A housing draft answered to its check page (no housing, the settlement offered, no
    category); returns /housing/<id>."""
    from portal.core.registries import registries

    with app.app_context():
        phone = registries().person(iin).phone
    draft = b.post("/housing/new", {}).rsplit("/", 1)[0]
    b.post(f"{draft}/who", {"person": iin})
    b.get(f"{draft}/registries")
    b.post(f"{draft}/registries", {})
    b.post(f"{draft}/case", {"case": "no_housing"})
    page = b.get(f"{draft}/settlement")
    settlement = re.search(r'name="settlement"[^>]*value="(\w+)"[^>]*checked|'
                           r'checked[^>]*name="settlement"[^>]*value="(\w+)"', page)
    b.post(f"{draft}/settlement", {"settlement": settlement.group(1) or settlement.group(2)})
    b.get(f"{draft}/category")
    b.post(f"{draft}/category", {"category": "none"})
    b.get(f"{draft}/family")
    b.post(f"{draft}/family", {"action": "continue"})
    b.get(f"{draft}/contacts")
    b.post(f"{draft}/contacts", {"phone": phone, "email": "", "sms": "y"})
    b.get(f"{draft}/consents")
    b.post(f"{draft}/consents", {"personal_data": "y", "truth": "y"})
    b.get(f"{draft}/check")
    return draft


def decide_waiting(app, app_id: int) -> None:
    """An application made outside working time is decided by `flask jobs run` when its
    working day comes: run that job now, with the clock at that moment (this process only)."""
    import datetime as dt

    from portal.clock import FrozenClock
    from portal.core.models import Application
    from portal.extensions import db
    from portal.housing.services import housing_sms, submission

    with app.app_context():
        taken = (db.session.get(Application, app_id).data or {}).get("taken_at")
    if not taken:
        return  # decided at submission
    clock = app.extensions.get("clock")
    app.extensions["clock"] = FrozenClock(dt.datetime.fromisoformat(taken))
    try:
        with app.app_context():
            submission.decide_waiting(housing_sms.DECISIONS)
    finally:
        if clock is None:
            app.extensions.pop("clock")
        else:
            app.extensions["clock"] = clock


def staff_cookie(base: str) -> str:
    """The demo officer (portal/housing/office/staff/demo.py) signed in to the office."""
    import pyotp

    from portal.housing.office.staff.demo import DEMO_STAFF

    login, _name, _role, _settlements, password, secret, _iin = DEMO_STAFF[0]
    b = Browser(base)
    b.get("/office/sign-in")
    b.post("/office/sign-in", {"login": login, "password": password,
                               "code": pyotp.TOTP(secret).now()})
    return b.cookie()


def fixtures(app, base: str) -> dict:
    iin, search = OWNER
    b = signed_in(app, base, iin)
    draft = b.post("/residence/new", {}).rsplit("/", 1)[0]
    b.post(f"{draft}/who", {"person": iin})
    b.get(f"{draft}/address?q={urllib.parse.quote(search)}")
    with app.app_context():
        from portal.core.registries import registries

        address_id = registries().search_addresses(search)[0].id
    b.post(f"{draft}/address?q={urllib.parse.quote(search)}", {"address_id": address_id})
    b.post(f"{draft}/path", {})
    b.post(f"{draft}/reason", {"reason": "moved"})
    b.get(f"{draft}/check")
    b.post(f"{draft}/sign", {})
    b.get(f"{draft}/sign")
    b.post(f"{draft}/submit", {"code": last_code(app, iin)})
    done_html = b.get(f"{draft}/done")
    token = re.search(r"/s/([A-Za-z0-9_\-]{8,})", done_html).group(1)
    second = b.post("/residence/new", {}).rsplit("/", 1)[0]
    b.post(f"{second}/who", {"person": iin})
    housing_draft = housing_walk(app, b, iin)
    # A citizen with nowhere to live, on the general list
    from demo_registries.seed import DEMO_PEOPLE

    applicant_iin = next(p["iin"] for p in DEMO_PEOPLE if p["key"] == APPLICANT)
    a = signed_in(app, base, applicant_iin)
    housing_done = housing_walk(app, a, applicant_iin)
    a.post(f"{housing_done}/send-code", {})
    a.post(f"{housing_done}/submit", {"code": last_code(app, applicant_iin)})
    housing_id = int(housing_done.rsplit("/", 1)[1])
    decide_waiting(app, housing_id)
    with app.app_context():
        import sqlalchemy as sa

        from portal.core.models import Application, QueueEntry
        from portal.extensions import db

        housing_token = db.session.get(Application, housing_id).status_token
        entry = db.session.scalars(sa.select(QueueEntry).where(
            QueueEntry.application_id == housing_id)).one()
    return {"cookie": b.cookie(), "done": draft.rsplit("/", 1)[1], "token": token,
            "draft": second.rsplit("/", 1)[1], "q": urllib.parse.quote(search),
            "housing_draft": housing_draft.rsplit("/", 1)[1], "applicant": a.cookie(),
            "housing_done": housing_id, "housing_token": housing_token,
            "settlement": entry.settlement_code, "list_code": entry.list_code,
            "number": entry.number, "staff": staff_cookie(base)}


def query_counts(app, fx: dict, show: str | None = None) -> dict[str, str]:
    """SQL statements a request runs, counted in-process with the same cookie (those of the
    page labelled `show` printed)."""
    import sqlalchemy as sa

    from portal.extensions import db

    counts: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
    seen = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        client = app.test_client(use_cookies=False)  # the Cookie header as given
        for label, _kind, template, who, htmx in PAGES:
            headers = headers_for(fx, who, htmx)
            client.get(template.format(**fx), headers=headers)  # warm caches first
            seen.clear()
            status = client.get(template.format(**fx), headers=headers).status_code
            counts[label] = str(len(seen)) + ("" if status == 200 else f" (HTTP {status})")
            if label == show:
                print(f"{label}:", *(" ".join(s.split())[:300] for s in seen), sep="\n  ")
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return counts


# --- one database ------------------------------------------------------------------------------
def start_redis(folder: str) -> tuple[subprocess.Popen, str]:
    """A throwaway Debian redis-server on loopback (nothing saved), as in the production shape."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", folder, "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process, url
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


# What each database's run stands for (printed above its table).
SHAPES = {
    "sqlite": "one box, as `make run`: sessions in the database (Flask-Session), memory:// limits",
    "postgres": "the production shape (docs/DEPLOY.md): sessions and rate limits in Redis",
}


@contextlib.contextmanager
def services(db_name: str):
    """The environment of a run: a migrated, seeded database (a SQLite file, or a throwaway
    PostgreSQL with a throwaway Redis beside it), stopped and removed afterwards."""
    tmp = tempfile.mkdtemp(prefix="mekenjai-bench-")
    env = {**os.environ, "PORTAL_INSTANCE_DIR": tmp, "PORTAL_SECRET_KEY": "bench" * 8,
           "PORTAL_RATELIMIT_STORAGE": "memory://", "PYTHONPATH": str(ROOT)}
    for name in ("PORTAL_ENV", "PORTAL_REDIS_URL"):
        env.pop(name, None)
    pg_env = {**os.environ,
              "MEKENJAI_PG_DIR": f"/tmp/mekenjai-bench-pg-{zlib.crc32(str(ROOT).encode())}",
              "MEKENJAI_PG_DB": "mekenjai_bench"}
    redis_server = None
    try:
        if db_name == "postgres":
            env["PORTAL_DATABASE_URL"] = subprocess.run(
                [str(PG), "start"], env=pg_env, capture_output=True, text=True,
                check=True).stdout.strip()
            redis_server, redis_url = start_redis(tmp)
            env["PORTAL_REDIS_URL"] = env["PORTAL_RATELIMIT_STORAGE"] = redis_url
        else:
            env["PORTAL_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        for command in (["db", "upgrade"], ["demo", "seed"]):
            subprocess.run([str(BIN / "python"), "-m", "flask", "--app", "wsgi", *command],
                           cwd=ROOT, env=env, check=True, capture_output=True)
        yield env
    finally:
        if db_name == "postgres":
            subprocess.run([str(PG), "stop"], env=pg_env, check=False, capture_output=True)
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def bench_db(db_name: str, args) -> dict:
    with services(db_name) as env:
        for name in ("PORTAL_INSTANCE_DIR", "PORTAL_SECRET_KEY", "PORTAL_RATELIMIT_STORAGE",
                     "PORTAL_DATABASE_URL", "PORTAL_REDIS_URL"):
            os.environ.pop(name, None)
            if name in env:
                os.environ[name] = env[name]
        sys.path.insert(0, str(ROOT))
        from portal import create_app

        app = create_app()
        results = {"pages": {}}
        # Both servers run for the whole run (idle while the other is measured): the bare page
        # is measured right before each page, so a load spike on the shared machine moves
        # both figures of a row, not one page's ratio.
        bare, bare_url = serve("bench.bare:app", env, args.workers)
        portal, base = serve("wsgi:app", env, args.workers)
        try:
            fx = fixtures(app, base)
            results["queries"] = query_counts(app, fx)
            if args.queries_only:
                print(f"{db_name}: SQL statements per page: {results['queries']}")
                return results
            for label, kind, template, who, htmx in PAGES:
                headers = [f"{k}: {v}" for k, v in headers_for(fx, who, htmx).items()]
                url = base + template.format(**fx)
                print(f"  {db_name}: bare, then {label}", file=sys.stderr)
                results["pages"][label] = {"kind": kind,
                                           "bare": measure(bare, bare_url + "/", [], args),
                                           **measure(portal, url, headers, args)}
        finally:
            stop(portal)
            stop(bare)
        return results


def measure(server: subprocess.Popen, url: str, headers: list[str], args) -> dict:
    """Saturation (with the server's CPU per request), then latency at the fixed rate."""
    before = cpu_seconds(server.pid)
    sat = saturate(url, args.seconds, args.connections, headers)
    sat["cpu_ms"] = (cpu_seconds(server.pid) - before) / max(sat["requests"], 1) * 1000
    # A page that cannot serve the offered rate at all would only build a queue that
    # outlives the run and slows the next page: its p95 is "unbounded".
    if sat["rps"] >= args.rate * 1.1:
        lat = fixed_rate(url, args.rate, args.rate_seconds, headers)
    else:
        lat = {"p50": float("inf"), "p95": float("inf"), "p99": float("inf"),
               "errors": 0, "client_lag_p95": 0}
    time.sleep(2)  # let the workers drain
    return {**sat, **lat}


def cpu_seconds(master: int) -> float:
    """User + system CPU of a gunicorn master's workers so far (Linux /proc)."""
    total = 0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


# What a kind of page must reach (issue #24): ratios to the bare page measured right before it.
BUDGETS = {  # kind: (throughput ≥ × bare, p95 ≤ × bare, server CPU per request ≤ ms or None)
    "public": (0.5, 2, None), "health": (0.5, 2, None), "QR SVG": (0.5, 2, None),
    "signed-in": (0.3, 3, 2.5), "htmx fragment": (0.3, 3, 2.5), "status": (0.3, 3, 2.5),
    "staff": (0.3, 3, 2.5),
}


def meets(page: dict) -> bool:
    """Whether a page of a run (its figures and its bare page's) meets its kind's budget."""
    bare = page["bare"]
    least, most_p95, most_cpu = BUDGETS[page["kind"]]
    p95x = page["p95"] / bare["p95"] if bare["p95"] else float("nan")
    return (page["rps"] / bare["rps"] >= least and p95x <= most_p95  # inf <= 2 is False
            and not page["non2xx"] + page["errors"]
            and (most_cpu is None or page["cpu_ms"] <= most_cpu))


def table(db_name: str, r: dict, args) -> str:
    lines = [f"**{db_name}** ({SHAPES[db_name]}); the bare Flask page measured right before "
             f"each page (its req/s, CPU and p95 in the row)", "",
             "| page | kind | SQL | req/s | bare req/s | × bare | CPU ms/req | bare CPU "
             "| p50 ms | p95 ms | p99 ms | bare p95 | p95 × bare | errors | budget |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, p in r["pages"].items():
        bare = p["bare"]
        ratio = p["rps"] / bare["rps"]
        p95x = p["p95"] / bare["p95"] if bare["p95"] else float("nan")
        lat = (f"{p['p50']:.1f} | {p['p95']:.1f} | {p['p99']:.1f} | {bare['p95']:.1f} | "
               f"{p95x:.1f}×" if p["p95"] != float("inf") else
               f"— | — | — | {bare['p95']:.1f} | cannot serve {args.rate} req/s")
        errors = p["non2xx"] + p["errors"]
        ok = meets(p)
        lines.append(
            f"| `{label}` | {p['kind']} | {r['queries'].get(label, '?')} | {p['rps']:.0f} | "
            f"{bare['rps']:.0f} | {ratio:.2f} | {p['cpu_ms']:.2f} | {bare['cpu_ms']:.2f} | "
            f"{lat} | {errors} | {'meets' if ok else 'MISSES'} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; load average at start {load[0]:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--seconds", type=int, default=5, help="wrk run per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rate", type=int, default=200, help="offered req/s for latency")
    parser.add_argument("--rate-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    parser.add_argument("--queries-only", action="store_true",
                        help="only the SQL statements per page (no load)")
    parser.add_argument("--json", help="also dump the raw figures here")
    args = parser.parse_args()
    if not LOAD_PY.exists():
        print("bench/load/.venv is missing: scripts/load-and-fault.sh makes it, or\n"
              "  python3 -m venv bench/load/.venv && bench/load/.venv/bin/pip install "
              "-r bench/load/requirements.txt", file=sys.stderr)
        return 2
    header = (f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}. "
              f"gunicorn {args.workers} sync workers (deploy/gunicorn.conf.py), wrk "
              f"{args.connections} connections × {args.seconds} s for saturation, "
              f"bench/fixed_rate.py at {args.rate} req/s × {args.rate_seconds} s for latency; "
              "the portal in development settings otherwise (outbox SMS), the database, "
              "Redis and the load tools on the same machine.")
    raw, sections = {}, [header, ""]
    for db_name in args.db.split(","):
        raw[db_name] = bench_db(db_name, args)
        if args.queries_only:
            continue
        sections += [table(db_name, raw[db_name], args), ""]
    if args.queries_only:
        return 0
    sections[0] += f" Load average at the end {os.getloadavg()[0]:.1f}."
    text = "\n".join(sections)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=1), encoding="utf-8")
    if args.write and DOC.exists():
        doc = DOC.read_text(encoding="utf-8")
        start, end = "<!-- bench:throughput:start -->", "<!-- bench:throughput:end -->"
        if start in doc and end in doc:
            doc = doc[: doc.index(start) + len(start)] + "\n" + text + "\n" + doc[doc.index(end):]
            DOC.write_text(doc, encoding="utf-8")
            print(f"written into {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""SMS out of the request (issue 24): a sign-in that asks for an SMS code must not wait for the
SMS provider. Budget: the sign-in POST's p95 with the provider answering after 2 s within 2 x its
p95 with the provider answering at once.

For each provider delay (--delays, default 0 then 2 s) a stack of its own, all running at once:
bench/fake_sms.py --delay D as the provider (the portal's HttpBackend, PORTAL_SMS_BACKEND=http,
as in production), the portal under gunicorn (bench/throughput.py's serve(),
deploy/gunicorn.conf.py) and the SMS worker beside it (`flask sms worker`, as `make run` and
production run it), on its own copy of the seeded database (one PostgreSQL server and Redis for
all: a worker must see only its own stack's outbox). A warm-up round, not counted; then --rounds
rounds, the delays taking turns (a load spike on the shared machine falls on both), of
--citizens citizens posting their IIN to /sign-in at the same moment, each from its own loopback
address 127.0.x.y and a fresh session, as real citizens are. Each person signs in once
(bench/load/seed_people.py's people), so the caps on codes per person and per asker are never
what is measured. Meanwhile one client asks the stack in turn for GET /healthz, one request
after another. Afterwards the provider's own record is read back: every code must have reached
it (sent by the worker), and how long after its sign-in was answered.

Prints a table (and with --write puts it in docs/BENCHMARKS.md between
`<!-- bench:slow-provider:start -->` and `<!-- bench:slow-provider:end -->`). A measurement,
never a pass/fail test: exit status 0 whatever the figures (2 when a code never arrived).

    .venv/bin/python bench/slow_provider.py [--db postgres|sqlite] [--delays 0,2] [--rounds 5]
        [--citizens 8] [--workers 4] [--sms-workers 1] [--write]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import http.cookies
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import throughput  # noqa: E402

ROOT, BIN = throughput.ROOT, throughput.BIN
DOC = ROOT / "docs/BENCHMARKS.md"
MARKERS = ("<!-- bench:slow-provider:start -->", "<!-- bench:slow-provider:end -->")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BUDGET = 2.0  # p95(sign-in, provider at 2 s) <= 2 x p95(sign-in, provider at 0 s)


class Citizen:
    """One citizen's browser, as little as a sign-in needs: its own source address (the
    portal's limits count per address), its session cookie, the form's CSRF token."""

    def __init__(self, base: str, source: str):
        url = urllib.parse.urlsplit(base)
        self.host, self.port, self.source = url.hostname, url.port, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30,
                                          source_address=(self.source, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location") or "", text


def source_address(n: int) -> str:
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))]


def sign_in(citizen: Citizen, iin: str, start: threading.Barrier) -> dict:
    """The sign-in page (untimed), then, with the others at once, the IIN posted: timed."""
    status, _, html = citizen.request("GET", "/sign-in")
    found = CSRF.search(html)
    start.wait()
    if status != 200 or not found:
        return {"ms": float("nan"), "ok": False, "ended": time.time(), "why": f"GET {status}"}
    began = time.perf_counter()
    status, location, _ = citizen.request("POST", "/sign-in",
                                          {"iin": iin, "csrf_token": found.group(1)})
    ms = (time.perf_counter() - began) * 1000
    ok = status == 303 and location.endswith("/sign-in/code")
    return {"ms": ms, "ok": ok, "ended": time.time(), "why": "" if ok else f"POST {status}"}


class Health:
    """GET /healthz of the stack whose round is running (`target`), one request after another
    (a fresh connection each, as gunicorn's sync workers close them), until stopped."""

    def __init__(self):
        self.target: Stack | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.done.is_set():
            stack = self.target
            if stack is None:
                self.done.wait(0.02)
                continue
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(stack.base + "/healthz", timeout=30) as response:
                    response.read()
                stack.healthz.append((time.perf_counter() - began) * 1000)
            except OSError:
                stack.healthz_errors += 1
            self.done.wait(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def provider(delay: float, token: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = throughput.free_port()
    process = subprocess.Popen([str(BIN / "python"), str(ROOT / "bench/fake_sms.py"),
                                "--port", str(port), f"--token={token}", "--delay", str(delay),
                                "--log", str(log)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return process, base
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("bench/fake_sms.py did not start")


def received(sms_base: str) -> dict[str, list[dict]]:
    """What the fake provider took, by phone."""
    with urllib.request.urlopen(sms_base + "/messages?after=0", timeout=10) as response:
        rows = json.loads(response.read())["messages"]
    by_phone: dict[str, list[dict]] = {}
    for row in rows:
        by_phone.setdefault(row["to"], []).append(row)
    return by_phone


def crowd_signs(base: str, crowd: list[dict], first_address: int) -> list[dict]:
    """The crowd's sign-ins at once, each citizen from its own address."""
    start = threading.Barrier(len(crowd))
    results: list[dict] = [{}] * len(crowd)

    def one(i: int, person: dict) -> None:
        citizen = Citizen(base, source_address(first_address + i))
        results[i] = {**sign_in(citizen, person["iin"], start), "phone": person["phone"]}

    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(crowd)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wait_for(sms_base: str, phones: set[str], seconds: float) -> dict[str, list[dict]]:
    """Until the provider has a message to every phone, or `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        got = received(sms_base)
        if phones <= got.keys() or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


class Stack:
    """One provider delay's servers: bench/fake_sms.py --delay, the portal under gunicorn
    pointed at it, and the SMS worker(s); what its sign-ins and /healthz measured."""

    def __init__(self, env: dict, delay: float, args, folder: Path):
        self.delay, self.signs, self.healthz, self.healthz_errors = delay, [], [], 0
        token = secrets.token_urlsafe(16)
        self.processes: list[subprocess.Popen] = []
        fake, self.sms_base = provider(delay, token, folder / f"sms-{delay}.jsonl")
        self.processes.append(fake)
        env = {**env, "PORTAL_SMS_BACKEND": "http",
               "PORTAL_SMS_HTTP_URL": f"{self.sms_base}/send", "PORTAL_SMS_HTTP_TOKEN": token}
        try:
            portal, self.base = throughput.serve("wsgi:app", env, args.workers)
            self.processes.append(portal)
            self.log = open(folder / f"worker-{delay}.log", "w", encoding="utf-8")  # noqa: SIM115
            self.processes += [subprocess.Popen(
                [str(BIN / "python"), "-m", "flask", "--app", "wsgi", "sms", "worker"],
                cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
                for _ in range(args.sms_workers)]
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for process in reversed(self.processes):  # the SMS workers first, the provider last
            throughput.stop(process)
        if getattr(self, "log", None):
            self.log.close()

    def result(self, got: dict[str, list[dict]]) -> dict:
        phones = {s["phone"] for s in self.signs if s["ok"]}
        after = {s["phone"]: s["ended"] for s in self.signs}
        return {"delay": self.delay, "signs": self.signs, "healthz": self.healthz,
                "healthz_errors": self.healthz_errors, "sent": len(phones),
                "delivered": [got[p][0]["at"] - after[p] for p in phones if p in got],
                "twice": sum(len(got[p]) > 1 for p in phones if p in got),
                "errors": [s["why"] for s in self.signs if not s["ok"]]}


def measure(stacks: list[Stack], people: list[dict], args) -> list[dict]:
    """A warm-up round on each stack, not counted (every gunicorn worker past its first
    sign-in, the SMS worker up: its codes at the provider); then the rounds, the stacks taking
    turns (a load spike on the shared machine then falls on both delays' rounds, not one's);
    then every code awaited at its provider."""
    crowds = iter(range(0, len(people), args.citizens))

    def crowd() -> tuple[list[dict], int]:
        first = next(crowds)
        return people[first:first + args.citizens], first

    for stack in stacks:
        warm = crowd_signs(stack.base, *crowd())
        wait_for(stack.sms_base, {s["phone"] for s in warm}, 60 + len(warm) * stack.delay)
    with Health() as health:
        for r in range(args.rounds):
            for stack in stacks:
                health.target = stack
                time.sleep(args.pause)  # /healthz alone first, then under the sign-ins
                stack.signs += crowd_signs(stack.base, *crowd())
                print(f"    round {r + 1}, provider at {stack.delay:g} s: sign-ins", " ".join(
                    f"{x['ms']:.0f}" for x in stack.signs[-args.citizens:]), "ms",
                    file=sys.stderr)
    results = []
    for stack in stacks:  # at most all of them one after another, plus slack
        seconds = 30 + len(stack.signs) * stack.delay * 1.5 / args.sms_workers
        results.append(stack.result(wait_for(
            stack.sms_base, {s["phone"] for s in stack.signs if s["ok"]}, seconds)))
    return results


def copy_database(env: dict, name: str) -> dict:
    """The environment with a copy of its (migrated, seeded, unused) database: each stack's
    SMS worker must see only its own stack's outbox, else a fast provider's worker would send
    the slow one's codes."""
    import sqlalchemy as sa

    url = sa.engine.make_url(env["PORTAL_DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        copy = url.set(database=str(Path(url.database).with_name(f"{name}.db")))
        with sqlite3.connect(url.database) as source, sqlite3.connect(copy.database) as target:
            source.backup(target)
    else:
        import psycopg

        copy = url.set(database=f"{url.database}_{name}")
        admin = url.set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(hide_password=False),
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{copy.database}" TEMPLATE "{url.database}"')
    return {**env, "PORTAL_DATABASE_URL": copy.render_as_string(hide_password=False)}


def seeded_people(env: dict, count: int, folder: Path) -> list[dict]:
    """bench/load/seed_people.py's owner-occupiers, one per sign-in: each person's codes
    (10 an hour) and each asker's (3 an hour) are then never the limit."""
    out = folder / "people.json"
    subprocess.run([str(BIN / "python"), str(ROOT / "bench/load/seed_people.py"),
                    "--owners", str(count), "--pairs", "0", "--out", str(out)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return json.loads(out.read_text(encoding="utf-8"))["owners"]


def table(db_name: str, runs: list[dict], args) -> str:
    lines = ["| provider delay | sign-ins | sign-in p50 ms | sign-in p95 ms | max ms | "
             "/healthz p95 ms (n) | codes at the provider | after the sign-in: p50 / p95 / max s "
             "| errors |", "|---|---|---|---|---|---|---|---|---|"]
    base_p95 = None
    for run in runs:
        ms = [s["ms"] for s in run["signs"] if s["ok"]]
        p95 = pct(ms, 95)
        base_p95 = p95 if base_p95 is None else base_p95
        late = run["delivered"]
        twice = f", {run['twice']} twice" if run["twice"] else ""
        lines.append(
            f"| {run['delay']:g} s | {len(run['signs'])} | {pct(ms, 50):.0f} | {p95:.0f} | "
            f"{max(ms, default=float('nan')):.0f} | {pct(run['healthz'], 95):.0f} "
            f"({len(run['healthz'])}) | {len(late)}/{run['sent']}{twice} | "
            f"{pct(late, 50):.1f} / {pct(late, 95):.1f} / {max(late, default=float('nan')):.1f} "
            f"| {len(run['errors']) + run['healthz_errors']} |")
    last = [s["ms"] for s in runs[-1]["signs"] if s["ok"]]
    ratio = pct(last, 95) / base_p95 if base_p95 else float("nan")
    verdict = "meets" if ratio <= BUDGET else "MISSES"
    lines += ["", f"Sign-in p95 at {runs[-1]['delay']:g} s / at {runs[0]['delay']:g} s: "
              f"**{ratio:.2f}×** (budget ≤ {BUDGET:g}×): {verdict}."]
    return "\n".join(lines)


def three(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.1f}" for x in load)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--delays", default="0,2", help="provider delays in seconds, first the "
                        "reference")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--citizens", type=int, default=8, help="sign-ins at once per round")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between rounds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--sms-workers", type=int, default=1, help="`flask sms worker`s")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args()
    delays = [float(d) for d in args.delays.split(",")]
    started = dt.datetime.now(dt.timezone.utc)
    load_start = os.getloadavg()
    on = throughput.machine()  # with the load average at the start
    with (throughput.services(args.db) as env, tempfile.TemporaryDirectory() as tmp,
          contextlib.ExitStack() as running):
        folder = Path(tmp)
        # One person per sign-in, a warm-up round included.
        people = seeded_people(env, (args.rounds + 1) * args.citizens * len(delays), folder)
        stacks = []
        envs = [env] + [copy_database(env, f"d{k}") for k in range(1, len(delays))]
        for delay, own_env in zip(delays, envs, strict=True):
            stacks.append(Stack(own_env, delay, args, folder))
            running.callback(stacks[-1].close)
        print(f"  {args.db}: providers at {args.delays} s", file=sys.stderr)
        runs = measure(stacks, people, args)
    for run in runs:
        if run["errors"]:
            print(f"  sign-in errors at {run['delay']:g} s:", sorted(set(run["errors"])),
                  file=sys.stderr)
    load_end = os.getloadavg()
    text = "\n".join([
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {on}, {load_end[0]:.1f} at the end "
        f"(1/5/15 min: {three(load_start)} → {three(load_end)}). {args.db}; gunicorn "
        f"{args.workers} sync workers, "
        f"{args.sms_workers} SMS worker{'s' if args.sms_workers > 1 else ''}; {args.rounds} "
        f"rounds of {args.citizens} sign-ins at once on each, the delays taking turns "
        f"{args.pause:g} s apart; /healthz of the stack in turn asked one request after another "
        "throughout; the load tools on the same machine.", "",
        table(args.db, runs, args)])
    print(text)
    if args.write and DOC.exists():
        doc = DOC.read_text(encoding="utf-8")
        start, end = MARKERS
        if start in doc and end in doc:
            doc = doc[: doc.index(start) + len(start)] + "\n" + text + "\n" + doc[doc.index(end):]
            DOC.write_text(doc, encoding="utf-8")
            print(f"written into {DOC}", file=sys.stderr)
    lost = sum(run["sent"] - len(run["delivered"]) for run in runs)
    return 2 if lost else 0


if __name__ == "__main__":
    sys.exit(main())

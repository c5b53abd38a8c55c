"""The fault proof against a running shape (scripts/prod-shape.sh), run by
scripts/load-and-fault.sh in bench/load/.venv:

1. sessions and limits across both app servers: a citizen signed in through app server A is
   signed in on B; the cap of 10 sign-in codes an hour a person stays 10 when the requests
   alternate between A and B, one after another and all at once;
2. 200 citizens (each from their own loopback address, 127.0.x.y, as real citizens have their
   own) prepare a draft, then submit at the same moment while one worker of app server A is
   killed with SIGKILL and PostgreSQL is restarted (immediate = crash-like, then recovery);
   a citizen retries a failed step up to 3 times, as a person would;
3. the database afterwards: every application a client saw acknowledged (a number on the done
   page) is there exactly once and is the client's, numbers are unique, nothing is half-written
   (each submitted application has its number, its "submitted" event, and its outcome event or
   consent rows), nobody has two submitted applications.

Prints a report; exit status 0 only when every check holds.

    bench/load/.venv/bin/python bench/fault_run.py --state /tmp/mekenjai-prod-… --people people.json
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))
import journeys as j  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def citizen_session(n: int) -> requests.Session:
    return j.own_address(requests.Session(), n)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.errors: collections.Counter = collections.Counter()

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1


def retry(tally: Tally, step: str, fn, *args, tries: int = 3):
    for attempt in range(tries):
        try:
            return fn(*args)
        except (j.JourneyError, requests.RequestException, AttributeError) as exc:
            tally.error(f"{step}: {str(exc)[:70]}")
            if attempt == tries - 1:
                raise
            time.sleep(1 + attempt)
    return None


# --- 1. sessions and limits across the two app servers ---------------------------------------
def cross_server_checks(env: dict, people: dict, sms: j.Sms) -> list[tuple[str, bool, str]]:
    a = f"http://127.0.0.1:{env['APP1_PORT']}"
    b = f"http://127.0.0.1:{env['APP2_PORT']}"
    results = []
    # A session made on A is valid on B.
    person = people["owners"][-1]
    session = citizen_session(900)
    try:
        j.sign_in(session, a, sms, person["iin"], person["phone"])
        cabinet = session.get(f"{b}/cabinet", allow_redirects=False)
        ok = cabinet.status_code == 200
        results.append(("session made on A is signed in on B", ok,
                        f"GET /cabinet on B: HTTP {cabinet.status_code}"))
    except (j.JourneyError, requests.RequestException) as exc:
        results.append(("session made on A is signed in on B", False, str(exc)))

    # The codes-an-hour cap, requests alternating A, B, A, ... (one after another).
    results.append(cap_check(f"cap of {CODES_PER_HOUR} codes/hour, {2 * CODES_PER_HOUR} "
                             "sign-ins alternating A/B in turn",
                             people["owners"][-2], [a, b] * CODES_PER_HOUR, sms,
                             concurrent=False))
    # The same, at once (a race between check and insert would let more than the cap through).
    results.append(cap_check(f"cap of {CODES_PER_HOUR} codes/hour, {2 * CODES_PER_HOUR} "
                             "sign-ins at once on A and B",
                             people["owners"][-3], [a, b] * CODES_PER_HOUR, sms,
                             concurrent=True))
    results.append(limit_check(a, b))
    return results


# portal.domain.limits.CODES_PER_PERSON_PER_HOUR: each round asks from its own session and
# address, so the per-asker cap (3) plays no part here.
CODES_PER_HOUR = 10
ENTER_PER_MINUTE = 10  # portal.residence.consent.routes.ENTER_LIMIT: "30/hour;10/minute" on POST
                       # /consent


def limit_check(a: str, b: str) -> tuple[str, bool, str]:
    """POST /consent allows 10 a minute from one address: 14 POSTs alternating A/B from one
    address must meet 4 refusals (429) if the counters are shared (Redis), none if each worker
    counts alone (memory://)."""
    session = citizen_session(990)
    statuses = []
    tries = ENTER_PER_MINUTE + 4
    for server in ([a, b] * tries)[:tries]:
        token = j.csrf_of(session.get(f"{server}/consent").text)
        statuses.append(session.post(f"{server}/consent",
                                     data={"code": "000000", "csrf_token": token},
                                     allow_redirects=False).status_code)
    refused = statuses.count(429)
    return (f"rate limit shared: POST /consent {ENTER_PER_MINUTE}/minute, {tries} POSTs "
            "alternating A/B", refused == 4, f"{refused} × 429 (want 4); statuses {statuses}")


def _ask_code(n: int, server: str, person: dict) -> tuple[requests.Session, int]:
    """POST /sign-in from address n; the session (to type the code in) and the HTTP status."""
    session = citizen_session(1000 + n)  # per-IP limits are not what this measures
    token = j.csrf_of(session.get(f"{server}/sign-in").text)
    status = session.post(f"{server}/sign-in", data={"iin": person["iin"], "csrf_token": token},
                          allow_redirects=False).status_code
    return session, status


def _use_code(session: requests.Session, server: str, sms, phone: str, after: int) -> None:
    """Type the newest code on `server` (the other one than asked): the code is used, so the
    next sign-in sends a new one (while a code is live, a second sign-in shares it)."""
    code = j.CODE.search(sms.wait(phone, after, timeout=15)).group(1)
    token = j.csrf_of(session.get(f"{server}/sign-in/code").text)
    session.post(f"{server}/sign-in/code", data={"code": code, "csrf_token": token},
                 allow_redirects=False)


def _sent_since(sms, phone: str, after: int) -> int:
    time.sleep(1)
    return len(sms.http.get(f"{sms.base}/messages",
                            params={"to": phone, "after": after}).json()["messages"])


def cap_check(label, person, servers, sms, concurrent: bool):
    """The cap of CODES_PER_HOUR (10) codes an hour a phone. A code is shared while live, so
    each round signs in for real (the code typed on the other server). In turn: 20 rounds
    alternating A/B, 10 codes. At once: 9 rounds in turn, then 20 sign-ins at once on A and B
    (the race at the cap: one code, shared), that code used, then 20 at once again (none):
    10 codes in all."""
    phone = person["phone"]
    before = sms.last_seq(phone)
    statuses = []
    rounds = servers if not concurrent else servers[:CODES_PER_HOUR - 1]
    for n, server in enumerate(rounds):
        other = servers[(n + 1) % len(servers)]
        seen = sms.last_seq(phone)
        session, status = _ask_code(n, server, person)
        statuses.append(status)
        if status == 303:
            try:
                _use_code(session, other, sms, phone, seen)
            except j.JourneyError:
                pass
    if concurrent:
        for wave in range(2):
            seen = sms.last_seq(phone)
            first = 40 + wave * 20
            with ThreadPoolExecutor(len(servers)) as pool:
                results = list(pool.map(lambda x, n=first: _ask_code(n + x[0], x[1], person),
                                        enumerate(servers)))
            statuses += [status for _s, status in results]
            if wave == 0 and _sent_since(sms, phone, seen):
                session = next((s for s, status in results if status == 303), None)
                if session is not None:
                    _use_code(session, servers[1], sms, phone, seen)
    sent = _sent_since(sms, phone, before)
    return (label, sent == CODES_PER_HOUR,
            f"{sent} codes sent (want {CODES_PER_HOUR}); statuses {sorted(statuses)}")


# --- 2. the concurrent submissions under faults ------------------------------------------------
class Citizen:
    def __init__(self, n: int, person: dict):
        self.n, self.person = n, person
        self.session = citizen_session(n)
        self.token = self.draft = None
        self.ack: dict | None = None
        self.failed: str | None = None


def prepare(citizen: Citizen, base: str, sms: j.Sms, tally: Tally) -> None:
    p = citizen.person
    try:
        citizen.token = retry(tally, "prepare sign-in", j.sign_in, citizen.session, base, sms,
                              p["iin"], p["phone"])
        citizen.draft = retry(tally, "prepare draft", j.fill, citizen.session, base,
                              citizen.token, p["iin"], p["address_id"], p["search"])
    except (j.JourneyError, requests.RequestException, AttributeError) as exc:
        citizen.failed = f"prepare: {exc}"


def submit(citizen: Citizen, sms: j.Sms, tally: Tally, start: threading.Barrier) -> None:
    start.wait()
    phone = citizen.person["phone"]
    seen = sms.last_seq(phone)

    def attempt():
        try:
            return j.sign_and_submit(citizen.session, citizen.draft, citizen.token, sms, phone,
                                     seen)
        except j.JourneyError:
            # After a failed submit the application may be in anyway: the done page tells.
            page = citizen.session.get(f"{citizen.draft}/done")
            if page.status_code == 200 and j.NUMBER.search(page.text):
                return {"number": j.NUMBER.search(page.text).group(1),
                        "status": j.STATUS_LINK.search(page.text).group(1)}
            raise

    try:
        citizen.ack = retry(tally, "submit", attempt)
    except (j.JourneyError, requests.RequestException, AttributeError) as exc:
        citizen.failed = f"submit: {exc}"


def faults(env: dict, log: list, delay_kill: float, delay_pg: float, pg_mode: str) -> None:
    time.sleep(delay_kill)
    master = int(Path(env["SHAPE_STATE"], "app1.pid").read_text().split()[0])
    workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True,
                             text=True).stdout.split()
    if workers:
        os.kill(int(workers[0]), signal.SIGKILL)
        log.append(f"{time.strftime('%X')} SIGKILL app1 worker {workers[0]}")
    time.sleep(max(0, delay_pg - delay_kill))
    log.append(f"{time.strftime('%X')} PostgreSQL restart ({pg_mode})")
    subprocess.run([str(ROOT / "scripts/prod-shape.sh"), "pg-restart", pg_mode], check=False,
                   env={**os.environ, "MEKENJAI_PROD_DIR": env["SHAPE_STATE"]},
                   capture_output=True)
    log.append(f"{time.strftime('%X')} PostgreSQL back")


# --- 3. the database afterwards ----------------------------------------------------------------
def database_checks(env: dict, citizens: list[Citizen], since: float
                    ) -> list[tuple[str, bool, str]]:
    url = env["PORTAL_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    iins = [c.person["iin"] for c in citizens]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, number, status, applicant_iin, submitted_at FROM application "
            "WHERE applicant_iin = ANY(%s) AND status <> 'draft' "
            "AND created_at >= to_timestamp(%s)",
            (iins, since)).fetchall()
        events = collections.defaultdict(list)
        for app_id, status in conn.execute(
                "SELECT application_id, status FROM status_event WHERE application_id = ANY(%s)",
                ([r[0] for r in rows],)):
            events[app_id].append(status)
        consents = collections.Counter(r[0] for r in conn.execute(
            "SELECT application_id FROM consent_request WHERE application_id = ANY(%s)",
            ([r[0] for r in rows],)))
        dup_numbers = conn.execute(
            "SELECT number, count(*) FROM application WHERE number IS NOT NULL "
            "GROUP BY number HAVING count(*) > 1").fetchall()
    by_number = collections.defaultdict(list)
    for r in rows:
        by_number[r[1]].append(r)
    acked = [c for c in citizens if c.ack]
    missing = [c.ack["number"] for c in acked if len(by_number.get(c.ack["number"], [])) != 1]
    not_theirs = [c.ack["number"] for c in acked if by_number.get(c.ack["number"])
                  and by_number[c.ack["number"]][0][3] != c.person["iin"]]
    half = []
    for app_id, number, status, _iin, submitted_at in rows:
        ev = events.get(app_id, [])
        complete = bool(number) and submitted_at is not None and "submitted" in ev
        if status == "awaiting_consent":
            complete = complete and consents[app_id] > 0
        elif status in ("registered", "rejected"):
            complete = complete and status in ev
        if not complete:
            half.append(f"{app_id}:{status}:{ev}")
    per_person = collections.Counter(r[3] for r in rows)
    twice = [iin for iin, n in per_person.items() if n > 1]
    acked_numbers = {c.ack["number"] for c in acked}
    unseen = [r[1] for r in rows if r[1] not in acked_numbers]
    return [
        ("every acknowledged application present exactly once, the client's own",
         not missing and not not_theirs,
         f"{len(acked)} acknowledged; missing or duplicated: {missing[:5]}; "
         f"someone else's: {not_theirs[:5]}"),
        ("application numbers unique", not dup_numbers, f"duplicates: {dup_numbers[:5]}"),
        ("nothing half-written (number, events, consent rows)", not half,
         f"{len(rows)} submitted rows checked; incomplete: {half[:5]}"),
        ("nobody submitted twice", not twice, f"IINs with 2+ submitted: {twice[:5]}"),
        ("submitted but never acknowledged to the client (not lost; reported)", True,
         f"{len(unseen)}: {unseen[:5]}"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True, help="the shape's state dir")
    parser.add_argument("--people", required=True, help="JSON from bench/load/seed_people.py")
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--prepare-threads", type=int, default=16)
    parser.add_argument("--pg-mode", default="immediate", choices=["fast", "immediate"])
    parser.add_argument("--report", help="also write the report (Markdown) to this file")
    args = parser.parse_args()
    env = dict(line.rstrip("\n").split("=", 1)
               for line in open(Path(args.state, "env"), encoding="utf-8") if "=" in line)
    people = json.loads(Path(args.people).read_text(encoding="utf-8"))
    base, sms = env["SHAPE_URL"], j.Sms(env["SMS_URL"])
    lines = [f"# Fault run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", ""]

    checks = cross_server_checks(env, people, sms)

    owners = people["owners"][: args.submissions]
    if len(owners) < args.submissions:
        print(f"only {len(owners)} people seeded", file=sys.stderr)
    citizens = [Citizen(n, p) for n, p in enumerate(owners)]
    tally = Tally()
    t0, started = time.monotonic(), time.time() - 1
    with ThreadPoolExecutor(args.prepare_threads) as pool:
        list(pool.map(lambda c: prepare(c, base, sms, tally), citizens))
    ready = [c for c in citizens if c.draft]
    prepare_s = time.monotonic() - t0
    prepare_errors = sum(tally.errors.values())

    fault_log: list[str] = []
    submit_tally = Tally()
    barrier = threading.Barrier(len(ready) + 1)
    threads = [threading.Thread(target=submit, args=(c, sms, submit_tally, barrier))
               for c in ready]
    for t in threads:
        t.start()
    faulter = threading.Thread(target=faults, args=(env, fault_log, 0.5, 1.5, args.pg_mode))
    barrier.wait()
    t1 = time.monotonic()
    faulter.start()
    for t in threads:
        t.join()
    faulter.join()
    submit_s = time.monotonic() - t1

    checks += database_checks(env, ready, started)
    acked = sum(1 for c in ready if c.ack)
    failed = [c for c in citizens if not c.ack]

    lines += [f"Shape: {base} (2 app servers × {os.environ.get('MEKENJAI_PROD_WORKERS', 2)} "
              "workers, nginx, PostgreSQL 15, Redis)", "",
              f"- prepared drafts: {len(ready)}/{len(citizens)} in {prepare_s:.0f} s "
              f"({prepare_errors} client-visible errors while preparing, retried)",
              *[f"    - {n} × {what}" for what, n in tally.errors.most_common(5)],
              f"- concurrent submissions: {len(ready)}, acknowledged {acked}, "
              f"not acknowledged {len(ready) - acked}, in {submit_s:.1f} s",
              f"- faults: {'; '.join(fault_log)}",
              f"- client-visible errors during submission (each failed try): "
              f"{sum(submit_tally.errors.values())}"]
    for what, n in submit_tally.errors.most_common(8):
        lines.append(f"    - {n} × {what}")
    refused = sum(n for what, n in submit_tally.errors.items() if "HTTP 429" in what)
    if refused or prepare_errors:
        lines.append(
            f"    - note: {refused} of the submission errors are 429 (rate limits). "
            "Behind nginx the app sees each citizen's own address only when it applies "
            "PORTAL_TRUSTED_PROXIES (ProxyFix); without it every citizen is nginx's "
            "127.0.0.1 and shares one per-IP limit.")
    for c in failed[:5]:
        lines.append(f"    - citizen {c.n} gave up: {c.failed}")
    lines += ["", "| check | result | detail |", "|---|---|---|"]
    for label, ok, detail in checks:
        lines.append(f"| {label} | {'PASS' if ok else 'FAIL'} | {detail} |")
    report = "\n".join(lines)
    print(report)
    if args.report:
        Path(args.report).write_text(report + "\n", encoding="utf-8")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

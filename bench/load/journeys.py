"""Whole citizen journeys over HTTP, for Locust (bench/load/locustfile.py) and the fault run
(bench/fault_run.py). `session` is a requests.Session or Locust's HttpSession (same API).

Codes are read from the fake SMS provider (bench/fake_sms.py), never from the portal: in
production there is no outbox.
"""

from __future__ import annotations

import re
import time

import requests
from requests.adapters import HTTPAdapter

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken":\s*"([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")
NUMBER = re.compile(r'class="number">\s*([^<\s]+)\s*<')
STATUS_LINK = re.compile(r'/s/([A-Za-z0-9_\-]{8,})')
CONSENT_LINK = re.compile(r"/c/([A-Za-z0-9_\-]+)")


# A citizen waits this long for an SMS. A send that failed (provider or database down) is retried
# by the periodic job, so this must exceed the job's period plus its first back-off.
SMS_WAIT_SECONDS = 60.0


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a given loopback address (127.0.x.y): each simulated citizen has its own
    IP, as real ones do, so the per-IP limits are not what a load run measures."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def own_address(session, n: int):
    session.mount("http://", SourceAddressAdapter(f"127.0.{1 + n // 250}.{1 + n % 250}"))
    return session


class JourneyError(Exception):
    """A step did not answer as a citizen expects: the step's name, status and a hint."""


class Sms:
    """Reads the messages the fake provider took, per phone, newer than the last one seen."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.http = requests.Session()

    def last_seq(self, phone: str) -> int:
        rows = self.http.get(f"{self.base}/messages", params={"to": phone}, timeout=5).json()
        return max((r["seq"] for r in rows["messages"]), default=0)

    def wait(self, phone: str, after: int, timeout: float | None = None) -> str:
        timeout = timeout or SMS_WAIT_SECONDS
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.http.get(f"{self.base}/messages", params={"to": phone, "after": after},
                                 timeout=5).json()["messages"]
            if rows:
                return rows[-1]["text"]
            time.sleep(0.2)
        raise JourneyError(f"no SMS to {phone} within {timeout} s")


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise JourneyError("no CSRF token on the page")
    return match.group(1) or match.group(2)


def expect(response, status: int, step: str):
    if response.status_code != status:
        raise JourneyError(f"{step}: HTTP {response.status_code} (wanted {status})")
    return response


def post(session, url: str, data: dict, token: str, step: str, name: str | None = None):
    kwargs = {"name": name} if name and type(session) is not requests.Session else {}
    response = session.post(url, data={**data, "csrf_token": token}, allow_redirects=False,
                            headers={"X-CSRFToken": token}, **kwargs)
    return expect(response, 303, step)


def get(session, url: str, step: str, name: str | None = None):
    kwargs = {"name": name} if name and type(session) is not requests.Session else {}
    return expect(session.get(url, **kwargs), 200, step)


def sign_in(session, base: str, sms: Sms, iin: str, phone: str) -> str:
    """Returns the CSRF token of the signed-in session."""
    token = csrf_of(get(session, f"{base}/sign-in", "sign-in page").text)
    seen = sms.last_seq(phone)
    post(session, f"{base}/sign-in", {"iin": iin}, token, "sign-in IIN")
    code = CODE.search(sms.wait(phone, seen)).group(1)
    token = csrf_of(get(session, f"{base}/sign-in/code", "code page").text)
    response = post(session, f"{base}/sign-in/code", {"code": code}, token, "sign-in code")
    if not response.headers.get("Location", "").endswith("/cabinet"):
        raise JourneyError(f"sign-in code: went to {response.headers.get('Location')}")
    return csrf_of(get(session, f"{base}/cabinet", "cabinet").text)


def fill(session, base: str, token: str, iin: str, address_id: int, search: str) -> str:
    """A draft walked to the check page; returns its URL (…/residence/<id>)."""
    response = post(session, f"{base}/residence/new", {}, token, "new draft")
    draft = base + response.headers["Location"].split(base, 1)[-1].rsplit("/", 1)[0]
    post(session, f"{draft}/who", {"person": iin}, token, "who", "/residence/[id]/who")
    get(session, f"{draft}/address?q={search}", "address search", "/residence/[id]/address?q")
    post(session, f"{draft}/address?q={search}", {"address_id": address_id}, token, "address",
         "/residence/[id]/address")
    get(session, f"{draft}/path", "path", "/residence/[id]/path")
    post(session, f"{draft}/path", {}, token, "path", "/residence/[id]/path")
    post(session, f"{draft}/reason", {"reason": "moved"}, token, "reason",
         "/residence/[id]/reason")
    get(session, f"{draft}/check", "check", "/residence/[id]/check")
    return draft


def sign_and_submit(session, draft: str, token: str, sms: Sms, phone: str,
                    seen: int | None = None) -> dict:
    """Sign with the SMS code and submit; returns {"number", "status"} from the done page.
    `seen`: the last SMS before the first try. A retry soon after asks for a code again, and the
    portal keeps the one already sent (a new one only after its pause): as a person would, the
    retry then types the newest code received since `seen`."""
    if seen is None:
        seen = sms.last_seq(phone)
    post(session, f"{draft}/sign", {}, token, "send signing code", "/residence/[id]/sign")
    code = CODE.search(sms.wait(phone, seen)).group(1)
    post(session, f"{draft}/submit", {"code": code}, token, "submit", "/residence/[id]/submit")
    html = get(session, f"{draft}/done", "done page", "/residence/[id]/done").text
    number, link = NUMBER.search(html), STATUS_LINK.search(html)
    if not number or not link:
        raise JourneyError("done page: no application number or status link")
    return {"number": number.group(1), "status": link.group(1), "draft": draft}


def status_pages(session, base: str, token: str) -> None:
    get(session, f"{base}/s/{token}", "status page", "/s/[token]")
    response = get(session, f"{base}/s/{token}/qr.svg", "QR", "/s/[token]/qr.svg")
    if "svg" not in response.headers.get("Content-Type", ""):
        raise JourneyError("QR: not an SVG")


def owner_consents(session, base: str, sms: Sms, owner_phone: str, after: int,
                   agree: bool = True) -> None:
    """The owner follows the link in the 1414 SMS and answers with its code (no sign-in)."""
    text = sms.wait(owner_phone, after)
    code, link = CODE.search(text), CONSENT_LINK.search(text)
    if not code or not link:
        raise JourneyError(f"consent SMS without code or link: {text!r}")
    url = f"{base}/c/{link.group(1)}"
    page = get(session, url, "consent page", "/c/[token]").text
    response = session.post(url, data={"code": code.group(1), "csrf_token": csrf_of(page),
                                       "decision": "agree" if agree else "refuse"},
                            allow_redirects=False,
                            **({} if type(session) is requests.Session else
                               {"name": "/c/[token] answer"}))
    expect(response, 200, "consent answer")

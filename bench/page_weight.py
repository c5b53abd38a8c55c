"""Page weight against the budget (DESIGN.md, issue #24): everything a first visit to a citizen
page downloads before the page has loaded (the HTML and every file it names: stylesheets,
scripts, the favicon, images such as the QR SVG), each compressed as nginx sends it
(deploy/nginx.conf: gzip at level GZIP_LEVEL for HTML and the gzip_types, nothing under
gzip_min_length), at most 14.6 KB (10 TCP segments of 1,460 B: the first round trip).

htmx (17 KB gzipped, more than the budget by itself) is in that count wherever a page names it
(the kiosk does; its pages are not here). The citizen pages that use it name only
static/js/htmx-on-demand.js, which fetches htmx later: on the first intent on an htmx element
(the address search, the family list), or, on a page that polls (the status page while owners
answer), after the load event when the browser is idle. The "later" column shows those bytes
and when; they are not in the first load. Prints a table; exits 1 when any page's first load is
over budget, so a page that needs htmx is within budget only if htmx is not in its first load.

    PYTHONPATH=$PWD .venv/bin/python bench/page_weight.py
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo_registries.seed import DEMO_PEOPLE, seed_demo  # noqa: E402
from portal import create_app  # noqa: E402
from portal.core.models import SmsMessage  # noqa: E402
from portal.extensions import db  # noqa: E402

BUDGET = 14_600  # 10 × 1,460 B: what the first round trip carries
GZIP_LEVEL = 5  # deploy/nginx.conf gzip_comp_level
GZIP_MIN_LENGTH = 512  # deploy/nginx.conf gzip_min_length
GZIP_TYPES = ("text/html", "text/css", "application/javascript", "text/javascript",
              "image/svg+xml", "application/json", "text/plain")
RESOURCE = re.compile(rb"""<(?:link|script|img)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""")
ON_DEMAND = re.compile(rb"""<script\b[^>]*\bdata-htmx=["']([^"']+)["']""")
# The same rule as htmx-on-demand.js: a page with a timed trigger gets htmx once it has loaded.
POLLS = re.compile(rb"""\bdata-hx-trigger=["']\s*(?:[^"']*,\s*)?"""
                   rb"""(?:every\s|load\b|revealed\b|intersect\b)""")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL))


def sent(response) -> int:
    """The bytes nginx sends for this response's body."""
    body = response.data
    gzipped = response.mimetype in GZIP_TYPES and len(body) >= GZIP_MIN_LENGTH
    return gz(body) if gzipped else len(body)


def first_visit(client, html: bytes) -> dict[str, int]:
    """Every same-site file the page names, as sent: what a first visit downloads with it."""
    files = {}
    for url in dict.fromkeys(m.decode() for m in RESOURCE.findall(html)):
        if url.startswith(("http:", "https:", "//", "data:")):
            continue
        files[url] = sent(client.get(url.replace("&amp;", "&")))
    return files


def later(html: bytes) -> tuple[str, str]:
    """(url, when) of htmx if htmx-on-demand.js fetches it after the first load, else ("", "")."""
    found = ON_DEMAND.search(html)
    if not found:
        return "", ""
    return found.group(1).decode(), "after load" if POLLS.search(html) else "on intent"


def _signed_in(app, person, newest_code):
    client = app.test_client()
    client.post("/sign-in", data={"iin": person["iin"]})
    client.post("/sign-in/code", data={"code": newest_code()})
    return client


def _status_page(app, person, search, reason, newest_code) -> str:
    """The public status page (the QR code's target, opened on a phone that has never seen the
    portal) of `person`'s residence application at the first flat `search` finds, with the QR
    SVG. (The done page is that applicant's own: the pages are read as another.)"""
    client = _signed_in(app, person, newest_code)
    base = client.post("/residence/new").location.rsplit("/", 1)[0]
    client.post(f"{base}/who", data={"person": person["iin"]})
    found = client.get(f"{base}/address", query_string={"q": search}).data
    address_id = re.search(rb'name="address_id" id="address-(\d+)"', found).group(1).decode()
    client.post(f"{base}/address", query_string={"q": search}, data={"address_id": address_id})
    client.post(f"{base}/path")
    client.post(f"{base}/reason", data={"reason": reason})
    client.post(f"{base}/sign")
    done = client.post(f"{base}/submit", data={"code": newest_code()}).location
    token = re.search(rb'/s/([\w-]+)/qr\.svg', client.get(done).data).group(1).decode()
    return f"/s/{token}"


def _family_step(app, person, newest_code):
    """(client, url) of a housing draft at the family step, the list filled from the registry."""
    client = _signed_in(app, person, newest_code)
    base = client.post("/housing/new").location.rsplit("/", 1)[0]
    client.post(f"{base}/who", data={"person": person["iin"]})
    client.post(f"{base}/registries")
    client.post(f"{base}/case", data={"case": "no_housing"})
    page = client.get(f"{base}/settlement").data
    settlement = re.search(rb'name="settlement"[^>]*value="(\w+)"[^>]*checked|'
                           rb'checked[^>]*name="settlement"[^>]*value="(\w+)"', page)
    client.post(f"{base}/settlement",
                data={"settlement": (settlement.group(1) or settlement.group(2)).decode()})
    client.post(f"{base}/category", data={"category": "large_families"})
    return client, f"{base}/family"


def main() -> int:
    tmp = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DEMO_MODE": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    people = {p["key"]: p for p in DEMO_PEOPLE}
    with app.app_context():
        db.create_all()
        seed_demo()

    def newest_code() -> str:
        with app.app_context():
            body = db.session.query(SmsMessage).order_by(SmsMessage.id.desc()).first().body
            return re.search(r"\d{6}", body).group(0)

    # Requests run outside any app context, as on a server: each gets its own.
    client = app.test_client()
    css_raw = client.get("/static/css/portal.css").data
    htmx = client.get("/static/htmx.min.js").data
    pages = {"home": "/", "sign-in": "/sign-in", "consent code": "/consent",
             "residence start": "/residence/", "housing start": "/housing/",
             "queue look-up": "/queue"}
    client.post("/sign-in", data={"iin": people["one_owner_applicant"]["iin"]})
    client.post("/sign-in/code", data={"code": newest_code()})
    base = client.post("/residence/new").location.rsplit("/", 1)[0]
    client.post(f"{base}/who", data={"person": people["one_owner_applicant"]["iin"]})
    pages.update({"my applications": "/cabinet", "who": f"{base}/who",
                  "address search": f"{base}/address?q=Абай",
                  "404 page": "/no-such-page"})
    pages.update({
        # registered at once (an owner at their own flat): no polling
        "status /s/ (QR)": _status_page(app, people["owner_self"], "Абай 150 12", "moved",
                                        newest_code),
        # two owners must agree: the page polls while they answer
        "status awaiting": _status_page(app, people["two_owners_applicant"],
                                        "Қабанбай батыр 11", "relatives", newest_code)})
    family_client, family_url = _family_step(app, people["large_family"], newest_code)
    clients = {name: client for name in pages}
    clients["family step"], pages["family step"] = family_client, family_url
    worst = 0
    print(f"{'page':<18}{'lang':<6}{'html':>7}{'css':>7}{'js':>7}{'other':>7}{'total':>8}"
          f"{'later':>8}  budget {BUDGET} B (gzip {GZIP_LEVEL}, as nginx sends)")
    for name, url in pages.items():
        browser = clients[name]
        for lang in ("kk", "ru", "en"):
            sep = "&" if "?" in url else "?"
            response = browser.get(f"{url}{sep}lang={lang}")
            files = first_visit(browser, response.data)
            css = sum(v for k, v in files.items() if ".css" in k)
            js = sum(v for k, v in files.items() if ".js" in k)
            other = sum(files.values()) - css - js
            total = sent(response) + sum(files.values())
            worst = max(worst, total)
            htmx_url, when = later(response.data)
            after = sent(browser.get(htmx_url)) if htmx_url else 0
            flag = "  OVER" if total > BUDGET else ""
            note = f"  (htmx {when})" if when else ""
            print(f"{name:<18}{lang:<6}{sent(response):>7}{css:>7}{js:>7}{other:>7}"
                  f"{total:>8}{after:>8}{flag}{note}")
    print(f"css {len(css_raw)} B raw, {gz(css_raw)} B gz; htmx {len(htmx)} B raw, {gz(htmx)} B gz")
    print(f"heaviest first load: {worst} B of {BUDGET} B")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())

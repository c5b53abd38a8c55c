"""Page weight against the budget (DESIGN.md): a citizen page's HTML + CSS, gzip-compressed,
at most 14 KB, so it arrives in one TCP round trip. htmx is cached after the first page and
is reported apart. Prints a table; exits 1 when a page is over budget.

    .venv/bin/python bench/page_weight.py
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

BUDGET = 14 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


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
    css = client.get("/static/css/portal.css").data
    htmx = client.get("/static/htmx.min.js").data
    pages = {"home": "/", "sign-in": "/sign-in", "consent code": "/consent",
             "residence start": "/residence/"}
    client.post("/sign-in", data={"iin": people["one_owner_applicant"]["iin"]})
    client.post("/sign-in/code", data={"code": newest_code()})
    base = client.post("/residence/new").location.rsplit("/", 1)[0]
    client.post(f"{base}/who", data={"person": people["one_owner_applicant"]["iin"]})
    pages.update({"my applications": "/cabinet", "who": f"{base}/who",
                  "address search": f"{base}/address?q=Абай",
                  "404 page": "/no-such-page"})
    worst = 0
    print(f"{'page':<18}{'lang':<6}{'html gz':>9}{'+css gz':>9}  budget {BUDGET} B")
    for name, url in pages.items():
        for lang in ("kk", "ru", "en"):
            sep = "&" if "?" in url else "?"
            html = client.get(f"{url}{sep}lang={lang}").data
            total = gz(html) + gz(css)
            worst = max(worst, total)
            flag = "" if total <= BUDGET else "  OVER"
            print(f"{name:<18}{lang:<6}{gz(html):>9}{total:>9}{flag}")
    print(f"css {len(css)} B raw, {gz(css)} B gz; htmx {len(htmx)} B raw, {gz(htmx)} B gz "
          "(cached after the first page)")
    print(f"heaviest page: {worst} B of {BUDGET} B")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())

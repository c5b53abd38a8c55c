"""Sign a demo citizen in on a running shape (code from the fake SMS provider), submit an
application for their own home and leave a second draft at the address step with results.
Prints JSON: {"cookie", "pages": {label: url}} for bench/lighthouse/run.sh.

    bench/load/.venv/bin/python bench/lighthouse/fixtures.py SHAPE_URL SMS_URL
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))
import journeys as j  # noqa: E402

IIN, PHONE, SEARCH = "850314301209", "+77011452301", "Абай 150 12"  # docs/demo-people.md


def address_id(session, base: str, draft: str) -> int:
    html = session.get(f"{draft}/address", params={"q": SEARCH}).text
    return int(re.search(r'name="address_id"[^>]*value="(\d+)"', html).group(1))


def main() -> None:
    base, sms = sys.argv[1].rstrip("/"), j.Sms(sys.argv[2])
    session = j.own_address(requests.Session(), 777)
    token = j.sign_in(session, base, sms, IIN, PHONE)
    response = j.post(session, f"{base}/residence/new", {}, token, "new draft")
    draft = base + urlparse(response.headers["Location"]).path.rsplit("/", 1)[0]
    j.post(session, f"{draft}/who", {"person": IIN}, token, "who")
    found = address_id(session, base, draft)
    draft = j.fill(session, base, token, IIN, found, quote(SEARCH))
    ack = j.sign_and_submit(session, draft, token, sms, PHONE)
    second = j.post(session, f"{base}/residence/new", {}, token, "new draft")
    second = base + urlparse(second.headers["Location"]).path.rsplit("/", 1)[0]
    j.post(session, f"{second}/who", {"person": IIN}, token, "who")
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    print(json.dumps({"cookie": cookie, "pages": {
        "address step with search results (signed in)": f"{second}/address?q={quote(SEARCH)}",
        "done page with the QR code (signed in)": f"{ack['draft']}/done",
        "status page /s/<token> (public, the QR's target)": f"{base}/s/{ack['status']}",
    }}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Whole citizen journeys against the production shape (scripts/prod-shape.sh), with Locust.
Run by scripts/load-and-fault.sh; by hand:

    bench/load/.venv/bin/locust -f bench/load/locustfile.py --headless -u 30 -r 5 -t 60s \
        --host http://127.0.0.1:PORT   # with LOAD_PEOPLE=people.json LOAD_SMS_URL=http://...

Each simulated citizen takes one person of bench/load/seed_people.py's list (LOAD_PEOPLE, from
LOAD_OFFSET on), connects from its own loopback address, signs in with the code the fake SMS
provider received, submits a residence application (own home: registered at once; a tenant: the
owner follows the link in the 1414 SMS and agrees with its code), then keeps coming back to the
status page, its QR code, the cabinet, the home page and the address search (an htmx fragment).
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import requests
from locust import HttpUser, between, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
import journeys as j  # noqa: E402

PEOPLE = json.loads(Path(os.environ["LOAD_PEOPLE"]).read_text(encoding="utf-8"))
OFFSET = int(os.environ.get("LOAD_OFFSET", "0"))
SMS = j.Sms(os.environ["LOAD_SMS_URL"])
# Alternate own-home owners and tenant/owner pairs.
_queue = iter([x for pair in itertools.zip_longest(
    PEOPLE["owners"][OFFSET:], PEOPLE["pairs"]) for x in pair if x])
_counter = itertools.count(500)
_lock = threading.Lock()


class Citizen(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        with _lock:
            self.person = next(_queue, None)
            n = next(_counter)
        if self.person is None:
            raise StopUser()
        j.own_address(self.client, n)
        p, base = self.person, self.host
        try:
            token = j.sign_in(self.client, base, SMS, p["iin"], p["phone"])
            self.token = token
            draft = j.fill(self.client, base, token, p["iin"], p["address_id"], p["search"])
            owner_seen = SMS.last_seq(p["owner_phone"]) if "owner_phone" in p else 0
            self.ack = j.sign_and_submit(self.client, draft, token, SMS, p["phone"])
            if "owner_phone" in p:
                owner = j.own_address(requests.Session(), n + 2000)
                j.owner_consents(owner, base, SMS, p["owner_phone"], owner_seen)
            # A second draft left at the address step, for the htmx search task.
            response = j.post(self.client, f"{base}/residence/new", {}, token, "new draft",
                              "/residence/new")
            self.draft = urlparse(response.headers["Location"]).path.rsplit("/", 1)[0]
            j.post(self.client, f"{base}{self.draft}/who", {"person": p["iin"]}, token, "who",
                   "/residence/[id]/who")
        except (j.JourneyError, requests.RequestException, AttributeError) as exc:
            # Counted as a failure of the journey (the steps' own failures are counted too).
            self.environment.events.request.fire(
                request_type="JOURNEY", name="whole journey", response_time=0,
                response_length=0, exception=exc, context={})
            raise StopUser() from exc
        self.environment.events.request.fire(
            request_type="JOURNEY", name="whole journey", response_time=0, response_length=0,
            exception=None, context={})

    @task(5)
    def status_page(self):
        self.client.get(f"/s/{self.ack['status']}", name="/s/[token]")

    @task(2)
    def qr(self):
        self.client.get(f"/s/{self.ack['status']}/qr.svg", name="/s/[token]/qr.svg")

    @task(2)
    def cabinet(self):
        self.client.get("/cabinet")

    @task(1)
    def home(self):
        self.client.get("/")

    @task(1)
    def address_search_fragment(self):
        # The htmx request of the address step: only the results block comes back.
        self.client.get(f"{self.draft}/address", params={"q": self.person["search"]},
                        headers={"HX-Request": "true"}, name="/residence/[id]/address (htmx)")

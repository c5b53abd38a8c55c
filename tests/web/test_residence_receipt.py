"""The printable receipt (SPEC §2 "The paper receipt", [003 p.16]): every field, the date the
result is due, the applicant's full phone; and the public status page without personal data.
Also the demo outbox (codes only where a message carries one) and `make run`'s public URL."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from portal.core.models import AppStatus
from portal.core.registries import registries
from portal.core.sms.backends import SmsSendError
from tests.web.helpers import (
    application_at,
    fill_draft,
    iin,
    last_sms,
    phone_of,
    sign_and_submit,
    sign_in,
)
from tests.web.pages import LANGS, check_page, parse, text_of

ROOT = Path(__file__).resolve().parents[2]


def fields(page) -> dict[str, str]:
    """{field id: the value shown}, from the receipt's <dl>."""
    return {row["id"]: " ".join(row.dd.get_text(" ").split())
            for row in page.select("#receipt > div")}


def test_every_field_of_the_receipt_for_a_registration_made_at_once(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    sign_and_submit(client, base, "owner_self")
    application = application_at(base)
    page = check_page(client.get(f"{base}/receipt?lang=en"), "en")
    shown = fields(page)
    me = registries().person(iin("owner_self"))
    assert shown == {
        "receipt-number": application.number,
        "receipt-accepted": "Nov 23, 2026, 11:00:00 AM",  # 06:00 UTC is 11:00 in Almaty
        "receipt-service": "Registration at place of residence",
        "receipt-documents": "None: the data come from state information systems",
        "receipt-subject": me.full_name,
        "receipt-address": "Almaty, проспект Абая, 150, 12",  # English readers get Russian
        "receipt-applicant": me.full_name,
        "receipt-phone": "+7 701 145 23 01",  # in full: the applicant's own receipt
        "receipt-by": "Mekenjai portal",
        "receipt-due": "Nov 23, 2026, 11:00:00 AM",  # own home: the result at once
        "receipt-where": "In your personal account and by SMS",
    }
    assert me.phone == "+77011452301"
    qr = page.select_one("img.qr")["src"]
    assert qr.endswith(f"/s/{application.status_token}/qr.svg")
    assert f"http://localhost/s/{application.status_token}" in text_of(page)


def test_with_owners_the_result_is_due_when_the_owners_hour_ends(seeded, client, clock):
    sign_in(client, "one_owner_applicant")
    base = fill_draft(client, iin("one_owner_applicant"), "Төле би 59 34")
    sign_and_submit(client, base, "one_owner_applicant")
    assert application_at(base).status == AppStatus.AWAITING_CONSENT
    shown = fields(check_page(client.get(f"{base}/receipt?lang=en")))
    assert shown["receipt-due"] == "Nov 23, 2026, 12:00:00 PM"  # SMS received 11:00, one hour
    assert shown["receipt-phone"] == "+7 702 187 34 02"
    clock.advance(minutes=60)  # the hour is over: the result was given at its end
    sign_in(client, "one_owner_applicant")  # after 30 idle minutes the session has ended
    shown = fields(check_page(client.get(f"{base}/receipt?lang=en")))
    assert application_at(base).status == AppStatus.REJECTED
    assert shown["receipt-due"] == "Nov 23, 2026, 12:00:00 PM"


class DeadProvider:
    def send(self, phone, sender, body):
        raise SmsSendError("provider unreachable")


@pytest.mark.parametrize("lang,words", [
    ("en", "Within 60 minutes of each owner receiving the SMS from 1414"),
    ("ru", "В течение 60 минут с момента получения SMS от 1414"),
    ("kk", "SMS алған сәттен бастап 60 минут ішінде"),
])
def test_before_the_owner_gets_the_sms_the_receipt_says_from_when_the_hour_runs(
        seeded, client, app, lang, words):
    sign_in(client, "one_owner_applicant")
    base = fill_draft(client, iin("one_owner_applicant"), "Төле би 59 34")
    assert client.post(f"{base}/sign").status_code == 303
    from tests.web.helpers import code_in

    code = code_in(last_sms(phone_of("one_owner_applicant")))
    app.extensions["sms_backend"] = DeadProvider()
    client.post(f"{base}/submit", data={"code": code})
    shown = fields(check_page(client.get(f"{base}/receipt?lang={lang}"), lang))
    assert words in shown["receipt-due"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_receipt_in_every_language(seeded, client, lang):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    sign_and_submit(client, base, "owner_self")
    page = check_page(client.get(f"{base}/receipt?lang={lang}"), lang)
    assert len(fields(page)) == 11 and all(fields(page).values())


def test_the_public_status_page_shows_no_personal_data(seeded, client, app):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    sign_and_submit(client, base, "owner_self")
    token = application_at(base).status_token
    stranger = app.test_client()
    text = text_of(check_page(stranger.get(f"/s/{token}?lang=en")))
    me = registries().person(iin("owner_self"))
    assert application_at(base).number in text
    for private in (me.surname, me.given_name, "145 23 01", "1452301", "Абай", me.iin):
        assert private not in text
    assert stranger.get(f"{base}/receipt").status_code in (302, 303)  # sign in first


# --- the demo outbox ---------------------------------------------------------------------------

def test_the_demo_outbox_shows_a_code_only_for_messages_that_carry_one(seeded, client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    sign_and_submit(client, base, "owner_self")
    number = application_at(base).number  # R-2026-000001: six digits that are no code
    page = parse(client.get("/demo/sms?lang=en"))
    rows = {}
    for row in page.select("#rows tr"):
        cells = row.select("td")
        rows[cells[4].get_text()] = cells[3].get_text(" ", strip=True)
    notice = [body for body in rows if number in body]
    assert notice and rows[notice[0]] == "–"
    coded = [(body, shown) for body, shown in rows.items() if number not in body]
    assert len(coded) == 2  # the sign-in code and the signing code
    for body, shown in coded:
        assert re.fullmatch(r"\d{6}", shown) and shown in body


# --- make run: links follow HOST and PORT -------------------------------------------------------

def test_make_run_gives_the_portal_its_own_address_for_links():
    dry = subprocess.run(["make", "-n", "run", "HOST=0.0.0.0", "PORT=8000"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    # One shell command (its lines joined by backslashes): the worker and the server beside it.
    line = [s for s in dry.replace("\\\n", " ").splitlines() if " run --host " in s]
    assert line, dry
    assert 'PORTAL_PUBLIC_URL="${PORTAL_PUBLIC_URL:-http://0.0.0.0:8000}"' in line[0]
    assert "--port 8000" in line[0]

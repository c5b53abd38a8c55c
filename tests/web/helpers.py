"""Steps the web tests share: demo people, reading codes from the SMS outbox, signing in,
walking the residence journey."""

from __future__ import annotations

import re

import sqlalchemy as sa

from demo_registries.seed import DEMO_PEOPLE
from portal.core.models import Application, SmsMessage
from portal.core.registries import registries
from portal.extensions import db

PEOPLE = {p["key"]: p for p in DEMO_PEOPLE}


def iin(key: str) -> str:
    return PEOPLE[key]["iin"]


def last_sms(phone: str | None = None) -> SmsMessage:
    query = sa.select(SmsMessage).order_by(SmsMessage.id.desc())
    if phone:
        query = query.where(SmsMessage.phone == phone)
    return db.session.scalars(query).first()


def code_in(message: SmsMessage) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def phone_of(key_or_iin: str) -> str:
    person = registries().person(PEOPLE[key_or_iin]["iin"] if key_or_iin in PEOPLE else key_or_iin)
    return person.phone


def sign_in(client, key: str) -> None:
    response = client.post("/sign-in", data={"iin": iin(key)})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    code = code_in(last_sms(phone_of(key)))
    response = client.post("/sign-in/code", data={"code": code})
    assert response.status_code == 303 and response.location.endswith("/cabinet")


def ward_iin(applicant_key: str, given_name: str) -> str:
    for relation in registries().relations(iin(applicant_key)):
        if relation.ward.given_name == given_name:
            return relation.ward.iin
    raise LookupError(given_name)


def address_id(search: str) -> int:
    found = registries().search_addresses(search)
    assert found, search
    return found[0].id


def pick_address(client, base: str, search: str):
    """Post the address step as its page does: the first address found for `search`, with the
    search (`q`) in the form's action, so the step offers the same addresses it showed."""
    return client.post(f"{base}/address", query_string={"q": search},
                       data={"address_id": address_id(search)})


def new_draft(client) -> str:
    response = client.post("/residence/new")
    assert response.status_code == 303
    return response.location.rsplit("/", 1)[0]  # /residence/<id>


def fill_draft(client, subject_iin: str, search: str, reason: str = "moved") -> str:
    """Walk who -> address -> path -> reason; returns the draft's base URL."""
    base = new_draft(client)
    assert client.post(f"{base}/who", data={"person": subject_iin}).status_code == 303
    assert pick_address(client, base, search).status_code == 303
    assert client.post(f"{base}/path").status_code == 303
    assert client.post(f"{base}/reason", data={"reason": reason}).status_code == 303
    return base


def sign_and_submit(client, base: str, applicant_key: str):
    assert client.post(f"{base}/sign").status_code == 303
    code = code_in(last_sms(phone_of(applicant_key)))
    return client.post(f"{base}/submit", data={"code": code})


def application_at(base: str) -> Application:
    app_id = int(base.rsplit("/", 1)[1])
    db.session.expire_all()
    return db.session.get(Application, app_id)

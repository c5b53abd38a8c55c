"""Demo members moved to the bank's lists from the akimats' (`flask demo seed`): each gets an
application on the list (channel "akimat"), its entry with the akimat's number and date, other
anonymous entries around it in the same list, and a year of its place over time (snapshots), so
the member's page has something to show. Several lists and categories; idempotent (a reseed
finds the member's application and leaves it as the demo left it). `flask demo seed` runs it
after the registries' seed; the test databases' seed does not (tests call it).

(key, settlement, list, akimat number, akimat date, consent given, the phone the akimat's list
held, entries ahead, entries behind)
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa

from portal.clock import ALMATY, local_today
from portal.core.models import (
    Application,
    AppStatus,
    PlaceSnapshot,
    QueueEntry,
    QueueTransfer,
    Service,
    StatusEvent,
)
from portal.core.services import numbering
from portal.domain.housing.queue import EntryStatus, ListKey, SuspendReason
from portal.extensions import db
from portal.housing.services import housing_queue

MOVED_ON = dt.date(2025, 7, 1)
SUSPENDED_FROM = dt.date(2026, 10, 1)  # [design, demo] the bank suspends those without consent

MEMBERS = [
    ("akimat_member", "almaty", "budget_employees", 3187, dt.date(2012, 3, 14), False,
     "+77470001122", 40, 60),
    ("akimat_member_consented", "karaganda", "state_servants", 918, dt.date(2010, 11, 2), True,
     "+77054412241", 25, 30),
    ("akimat_member_astana", "astana", "military", 4410, dt.date(2016, 5, 20), False,
     "+77753330011", 12, 20),
]


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), ALMATY).astimezone(dt.UTC)


def _filler(key: ListKey, start: dt.date, end: dt.date, count: int) -> None:
    span = (end - start).days
    for i in range(count):
        day = start + dt.timedelta(days=span * (i + 1) // (count + 1))
        db.session.add(QueueEntry(settlement_code=key.settlement_code, list_code=key.list_code,
                                  number=housing_queue.next_number(key), person_iin=None,
                                  status=EntryStatus.ACTIVE.value, submitted_at=_moment(day),
                                  registered_at=_moment(MOVED_ON)))


def seed_members(today: dt.date | None = None) -> int:
    """The demo members (after `seed_demo`: their people are in the registries); returns how
    many were added. Not part of the test databases' seed: tests that need them call it."""
    from demo_registries.seed import DEMO_PEOPLE

    iins = {p["key"]: p["iin"] for p in DEMO_PEOPLE}
    today = today or local_today()
    added = 0
    for key, settlement, list_code, number, since, consent, phone, ahead, behind in MEMBERS:
        iin = iins[key]
        if db.session.scalar(sa.select(Application.id).where(
                Application.applicant_iin == iin, Application.channel == "akimat")):
            continue
        lkey = ListKey(settlement, list_code)
        _filler(lkey, since - dt.timedelta(days=4000), since, ahead)
        moved = _moment(MOVED_ON)
        suspended = not consent
        state = {"status": EntryStatus.SUSPENDED.value, "move": "suspend",
                 "reason": SuspendReason.CONSENT_MISSING.value,
                 "note": "moved from the akimat's list without the consent",
                 "at": _moment(SUSPENDED_FROM).isoformat(), "by": "system"}
        application = Application(
            service=Service.HOUSING, status=AppStatus.IN_QUEUE, applicant_iin=iin,
            subject_iin=iin, status_token=secrets.token_urlsafe(16), channel="akimat",
            submitted_at=_moment(since), created_at=moved, updated_at=moved,
            data={"settlement": settlement, "category": list_code, "list_code": list_code,
                  "case": "no_housing", "phone": phone, "email": "", "sms_consent": True,
                  "personal_data_consent": consent, "lang": "ru", "family": [],
                  **({"entry_state": state, "entry_history": [state]} if suspended else {})})
        numbering.assign(application, "H", moved)
        db.session.add(application)
        db.session.flush()
        entry = QueueEntry(application_id=application.id, settlement_code=settlement,
                           list_code=list_code, number=housing_queue.next_number(lkey),
                           person_iin=iin, status=EntryStatus.ACTIVE.value,
                           submitted_at=_moment(since), registered_at=moved)
        db.session.add(entry)
        db.session.flush()
        application.data = dict(application.data, queue_number=entry.number)
        db.session.add(StatusEvent(application=application, status=AppStatus.IN_QUEUE,
                                   actor="system", at=moved,
                                   note=f"moved from the akimat's list, No. {number}"))
        db.session.add(QueueTransfer(entry_id=entry.id, akimat_settlement=settlement,
                                     akimat_number=number, akimat_date=since, moved_on=MOVED_ON))
        _filler(lkey, since + dt.timedelta(days=1), MOVED_ON, behind)
        db.session.flush()
        housing_queue.rebuild_counts()  # the entries above went in without the kept counts
        _history(entry, today, suspended)
        added += 1
    db.session.flush()
    housing_queue.rebuild_counts()  # and the suspensions _history set
    db.session.commit()
    return added


def _history(entry: QueueEntry, today: dt.date, suspended: bool) -> None:
    """A year of monthly places: people ahead housed, so the place rises; then, without the
    consent, suspended."""
    place = housing_queue.place_of(entry)
    months = 12
    for i in range(months, 0, -1):
        day = dt.date(today.year - (1 if today.month - i <= 0 else 0),
                      (today.month - i - 1) % 12 + 1, 1)
        if suspended and day >= SUSPENDED_FROM:
            db.session.add(PlaceSnapshot(entry_id=entry.id, taken_on=day, position=None,
                                         total=place.total, status=EntryStatus.SUSPENDED.value,
                                         taken_at=_moment(day)))
            break
        db.session.add(PlaceSnapshot(entry_id=entry.id, taken_on=day,
                                     position=place.position + 2 * i, total=place.total + 2 * i,
                                     status=EntryStatus.ACTIVE.value, taken_at=_moment(day)))
    if suspended:
        entry.status = EntryStatus.SUSPENDED.value

"""A member of a housing list on their own page (portal.domain.housing.membership): the place and
how it moved, the consent signed by an SMS code or with ЭЦП (one _consent for both) or withdrawn,
the data checked against the registries, and a place moved from an akimat's list.

The position is read only through housing_queue.place_of (the list's one way to count it).
Each change is one transaction under the application's lock: the entry moves by a conditional
UPDATE (housing_queue.move_entry), the history and the notice (SMS and e-mail, through
submission.notify_applicant) go with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from portal import ecp
from portal.clock import ALMATY, local_today, now
from portal.core.models import (
    Application,
    AppStatus,
    PlaceSnapshot,
    QueueEntry,
    QueueTransfer,
    SnapshotRun,
)
from portal.core.registries import registries
from portal.core.services import lifecycle, notices, signing
from portal.core.services.catalogue import catalogue
from portal.core.services.errors import Refused
from portal.core.services.sms_texts import SmsText
from portal.domain.housing import membership
from portal.domain.housing.membership import CheckedItem, PlaceAt
from portal.domain.housing.queue import EntryStatus, SuspendReason
from portal.domain.people import Person
from portal.domain.phones import normalize_mobile
from portal.ecp import signing as ecp_signing
from portal.extensions import db
from portal.housing.services import housing, housing_queue, housing_sms, submission
from portal.housing.services.errors import HousingRefused

CONSENT_PURPOSE = "pd_consent"  # Signature.purpose, numbered: pd_consent_1, pd_consent_2, ...
SNAPSHOT_BATCH = 500


@dataclass(frozen=True)
class Member:
    """What the member's page shows."""

    entry: QueueEntry
    place: housing_queue.Place
    history: list[PlaceAt]
    transfer: QueueTransfer | None
    state: dict  # the entry's last move (status, reason, note, at)
    consent: bool
    checks: dict  # CheckedItem -> {"confirmed_on" | "changed_on": date}


def member_of(application: Application) -> Member | None:
    """The member's entry and what the page shows, or None when the application holds none."""
    entry = housing_queue.entry_of(application)
    if entry is None:
        return None
    data = application.data or {}
    return Member(entry=entry, place=housing_queue.place_of(entry), history=history_of(entry),
                  transfer=db.session.get(QueueTransfer, entry.id),
                  state=data.get("entry_state") or {},
                  consent=bool(data.get("personal_data_consent")),
                  checks={item: {what: dt.date.fromisoformat(day) for what, day in check.items()}
                          for item, check in (data.get("member_checks") or {}).items()})


def history_of(entry: QueueEntry) -> list[PlaceAt]:
    rows = db.session.scalars(sa.select(PlaceSnapshot).where(PlaceSnapshot.entry_id == entry.id)
                              .order_by(PlaceSnapshot.taken_on)).all()
    return [PlaceAt(r.taken_on, r.position, r.total, r.status) for r in rows]


def _last(entry_id: int) -> PlaceAt | None:
    row = db.session.scalars(sa.select(PlaceSnapshot).where(PlaceSnapshot.entry_id == entry_id)
                             .order_by(PlaceSnapshot.taken_on.desc()).limit(1)).first()
    return PlaceAt(row.taken_on, row.position, row.total, row.status) if row else None


def snapshot(entry: QueueEntry, today: dt.date | None = None) -> bool:
    """Keep today's place of the entry if it moved since the last snapshot. Not committed."""
    today = today or local_today()
    place = housing_queue.place_of(entry)
    if not membership.snapshot_needed(_last(entry.id), place.position, place.total,
                                      place.status, today):
        return False
    db.session.add(PlaceSnapshot(entry_id=entry.id, taken_on=today, position=place.position,
                                 total=place.total, status=place.status, taken_at=now()))
    db.session.flush()
    return True


def _last_of(entry_ids: list[int]) -> dict[int, PlaceAt]:
    """The last snapshot of each entry, in one query."""
    newest = sa.select(PlaceSnapshot.entry_id, sa.func.max(PlaceSnapshot.taken_on).label("on")) \
        .where(PlaceSnapshot.entry_id.in_(entry_ids)).group_by(PlaceSnapshot.entry_id).subquery()
    rows = db.session.scalars(sa.select(PlaceSnapshot).join(newest, sa.and_(
        PlaceSnapshot.entry_id == newest.c.entry_id, PlaceSnapshot.taken_on == newest.c.on)))
    return {r.entry_id: PlaceAt(r.taken_on, r.position, r.total, r.status) for r in rows}


def snapshot_places() -> int:
    """The job (`flask jobs run`): a snapshot of each member's place that moved since the last
    one (entries of a person, not closed), in batches of SNAPSHOT_BATCH: the last snapshots of a
    batch in one query, an entry already kept today not even read (the job runs every few
    minutes: a run after the day's is one index probe per member), the
    position from housing_queue.position, each list's total counted once a run
    (housing_queue.total), the new rows in one INSERT that leaves a row another machine kept
    meanwhile as it is; the day then recorded (SnapshotRun), so the runs after it that day do
    nothing. A place that moves later in the day shows the next day [design]. Returns how many
    were kept."""
    today, kept, after, totals = local_today(), 0, 0, {}
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert
    if db.session.get(SnapshotRun, today) is not None:
        return 0  # done today
    while True:
        entries = db.session.scalars(sa.select(QueueEntry).where(
            QueueEntry.person_iin.is_not(None), QueueEntry.status != EntryStatus.CLOSED.value,
            QueueEntry.id > after, ~sa.exists().where(PlaceSnapshot.entry_id == QueueEntry.id,
                                                      PlaceSnapshot.taken_on == today))
            .order_by(QueueEntry.id).limit(SNAPSHOT_BATCH)).all()
        if not entries:
            db.session.execute(insert(SnapshotRun).on_conflict_do_nothing().values(
                day=today, finished_at=now()))
            db.session.commit()
            return kept
        last, rows, moment = _last_of([e.id for e in entries]), [], now()
        for entry in entries:
            previous = last.get(entry.id)
            if previous is not None and previous.on >= today:
                continue
            key = (entry.settlement_code, entry.list_code)
            if key not in totals:
                totals[key] = housing_queue.total(*key)
            position = housing_queue.position(entry)
            if membership.snapshot_needed(previous, position, totals[key], entry.status, today):
                rows.append({"entry_id": entry.id, "taken_on": today, "position": position,
                             "total": totals[key], "status": entry.status, "taken_at": moment})
        if rows:
            kept += len(db.session.execute(insert(PlaceSnapshot).on_conflict_do_nothing(
                index_elements=["entry_id", "taken_on"]).returning(PlaceSnapshot.id),
                rows).all())
        db.session.commit()
        after = entries[-1].id


# --- the consent ---------------------------------------------------------------------------

SMS_CONSENT_CODE = SmsText(_l(
    "Mekenjai: the code to sign your consent to personal data processing for the housing list "
    "is %(code)s. Do not tell anyone this code."))
SMS_CONSENT_GIVEN = SmsText(_l(
    "Mekenjai: application %(number)s: your consent to personal data processing is signed; "
    "your place in the list is active. %(link)s"))
SMS_CONSENT_SIGNED = SmsText(_l(
    "Mekenjai: application %(number)s: your consent to personal data processing is signed. "
    "%(link)s"))
SMS_CONSENT_WITHDRAWN = SmsText(_l(
    "Mekenjai: application %(number)s: you withdrew the consent to personal data processing; "
    "your place is suspended and receives no offer until you give it again. %(link)s"))

SMS_PHONE_CHANGED = SmsText(_l(
    "Mekenjai: application %(number)s: notices about your place in the housing list now come "
    "to this number. %(link)s"))


def send_consent_code(application: Application, member: Person, lang: str | None) -> None:
    if application.status != AppStatus.IN_QUEUE:
        raise HousingRefused("not_on_the_list")
    if (application.data or {}).get("personal_data_consent"):
        raise HousingRefused("consent_already_given")  # no code for nothing to sign
    signing.send_code(application, member.iin, member.phone, SMS_CONSENT_CODE.to(lang))
    db.session.commit()


def consent_code_state(application: Application):
    return housing.signing_state(application)


def _notify(application: Application, text: SmsText) -> None:
    submission.notify_applicant(application, text.format(
        (application.data or {}).get("lang"), **housing_sms.values(application)))


def _move(application: Application, entry: QueueEntry, to: EntryStatus, move: str,
          reason: str | None, note: str, moment: dt.datetime) -> None:
    """The entry's move, in the application's history and data (as the office's moves)."""
    state = {"status": to.value, "move": move, "reason": reason, "note": note,
             "at": moment.isoformat(), "by": "applicant"}
    lifecycle.change_data(application, lambda data: data.setdefault(
        "entry_history", []).append(state), at=moment, entry_state=state)
    lifecycle.record(application, application.status, lifecycle.APPLICANT,
                     f"entry {move}" + (f": {reason}" if reason else "") + f" ({note})", moment)


def consent_text(application: Application, member: Person) -> str:
    """The consent's sentence, in the current language (the SMS code signs it as it is; ЭЦП
    signs it inside consent_signed_text)."""
    return gettext("I, %(name)s (IIN %(iin)s), on the housing list under application "
                   "%(number)s, consent to Otbasy bank and the local executive body collecting "
                   "and processing my and my family's personal data in the state information "
                   "systems, to keep my place in the list and to make me an offer of housing.",
                   name=member.full_name, iin=member.iin, number=application.number)


def consent_signed_text(application: Application, member: Person, nonce: str,
                        language: str) -> str:
    """What NCALayer signs: the same sentence in `language`, in the canonical form with the
    application's number and the single-use nonce inside (portal.ecp.canonical)."""
    with force_locale(language):
        return signing.normalize(ecp.canonical_text(
            service=str(catalogue.of(application).name), reference=application.number,
            nonce=nonce, lines=[(str(_l("Consent to personal data processing")),
                                 consent_text(application, member))], language=language))


def _consent_purpose(data: dict) -> str:
    return f"{CONSENT_PURPOSE}_{len(data.get('consents', [])) + 1}"


def consent_challenge(application: Application, member: Person,
                      language: str) -> ecp_signing.Challenge:
    """A nonce and the text for NCALayer to sign the next consent with (committed). Bound to the
    next consent's purpose: once a consent is given (or given and withdrawn) it is spent."""
    return ecp_signing.new_challenge(
        lambda nonce: consent_signed_text(application, member, nonce, language),
        application=application, purpose=_consent_purpose(application.data or {}),
        iin=member.iin)


def give_consent(application: Application, member: Person, code: str, text: str,
                 ip: str | None) -> bool:
    """Check the code, record the signed consent (_consent). Raises signing.CodeRejected or
    HousingRefused; commits."""
    return _consent(application, lambda purpose: signing.sign_with_code(
        application, member.iin, code, text, ip, purpose=purpose))


def give_consent_with_ecp(application: Application, member: Person, nonce: str, cms_b64: str,
                          language: str) -> bool:
    """Verify the member's CMS over consent_signed_text with this nonce (their own key: the
    certificate's IIN is theirs; the nonce used once), then record the consent exactly as the
    SMS code does (_consent). Raises Refused("ecp_*") or HousingRefused, nothing changed;
    commits."""
    if not cms_b64 or len(cms_b64) > ecp_signing.MAX_CMS_CHARS:
        raise Refused(f"ecp_{ecp.Reason.MALFORMED.value}")
    text = consent_signed_text(application, member, nonce or "-", language)
    return _consent(application, lambda purpose: signing.sign_with_ecp(
        application, member.iin, nonce, cms_b64, text, purpose))


def _consent(application: Application, sign) -> bool:
    """Under the application's lock: `sign(purpose)` records the Signature (by code or ЭЦП),
    then the consent is recorded; an entry the lack of it suspended is active at once
    (membership.restored_by_consent), the history, the snapshot and the notice go with it, all
    in one transaction. Returns whether the entry was restored."""
    moment = now()
    lifecycle.lock(application, moment)
    if application.status != AppStatus.IN_QUEUE:
        db.session.rollback()
        raise HousingRefused("not_on_the_list")
    data = application.data or {}
    if data.get("personal_data_consent"):
        db.session.rollback()
        raise HousingRefused("consent_already_given")
    try:
        signature = sign(_consent_purpose(data))
    except Refused:  # a code's try is committed already (portal.core.services.codes)
        db.session.rollback()
        raise
    entry = housing_queue.entry_of(application)
    reason = (data.get("entry_state") or {}).get("reason")
    restored = entry is not None and membership.restored_by_consent(entry.status, reason) and \
        housing_queue.move_entry(entry, [EntryStatus.SUSPENDED.value], EntryStatus.ACTIVE.value)
    lifecycle.change_data(application, lambda d: d.setdefault("consents", []).append(
        {"given_at": moment.isoformat(), "signature_id": signature.id}), at=moment,
        personal_data_consent=True)
    if restored:
        _move(application, entry, EntryStatus.ACTIVE, "restore", None, "consent signed", moment)
    else:
        lifecycle.record(application, application.status, lifecycle.APPLICANT,
                         "consent to personal data signed", moment)
    if entry is not None:
        snapshot(entry, moment.astimezone(ALMATY).date())
    _notify(application, SMS_CONSENT_GIVEN if restored else SMS_CONSENT_SIGNED)
    notices.commit()
    return restored


def withdraw_consent(application: Application) -> bool:
    """Withdraw the consent: an active entry is suspended at once (consent_withdrawn). Returns
    whether it was suspended; commits."""
    moment = now()
    lifecycle.lock(application, moment)
    data = application.data or {}
    if application.status != AppStatus.IN_QUEUE or not data.get("personal_data_consent"):
        db.session.rollback()
        raise HousingRefused("no_consent_to_withdraw")
    entry = housing_queue.entry_of(application)
    suspended = entry is not None and membership.suspended_by_withdrawal(entry.status) and \
        housing_queue.move_entry(entry, [EntryStatus.ACTIVE.value], EntryStatus.SUSPENDED.value)

    def change(d):
        if d.get("consents"):
            d["consents"][-1]["withdrawn_at"] = moment.isoformat()

    lifecycle.change_data(application, change, at=moment, personal_data_consent=False)
    if suspended:
        _move(application, entry, EntryStatus.SUSPENDED, "suspend",
              SuspendReason.CONSENT_WITHDRAWN.value, "consent withdrawn", moment)
    else:
        lifecycle.record(application, application.status, lifecycle.APPLICANT,
                         "consent to personal data withdrawn", moment)
    if entry is not None:
        snapshot(entry, moment.astimezone(ALMATY).date())
    _notify(application, SMS_CONSENT_WITHDRAWN)
    notices.commit()
    return suspended


# --- the data, as the registries hold it -----------------------------------------------------

@dataclass(frozen=True)
class RegistryData:
    phone: str | None
    family: list  # FamilyMember
    registration: str  # the registered address's label, or ""


def registry_data(application: Application) -> RegistryData:
    """Phone, family and registration as the registries say them (RegistryUnavailable passes)."""
    people = registries()
    person = people.person(application.subject_iin or application.applicant_iin)
    facts = housing.facts_of(application)
    address = people.address(person.registered_address_id) \
        if person and person.registered_address_id else None
    return RegistryData(phone=person.phone if person else None,
                        family=list(facts.family) if facts else [],
                        registration=address.label if address else "")


def confirm(application: Application, item: str) -> None:
    """"This is right": recorded with the day. Commits."""
    chosen = CheckedItem(item)
    today = local_today().isoformat()
    lifecycle.change_data(application, lambda d: d.setdefault("member_checks", {}).__setitem__(
        chosen.value, {"confirmed_on": today}))
    lifecycle.record(application, application.status, lifecycle.APPLICANT,
                     f"{chosen.value} confirmed as the registries hold it")
    db.session.commit()


def report_change(application: Application, item: str, phone: str | None = None) -> None:
    """A change: recorded (a new phone becomes the application's contact for notices) and the
    re-check of the grounds started for the office (housing.recheck_after_change). Commits."""
    chosen = CheckedItem(item)
    today = local_today().isoformat()
    values = {"phone": normalize_mobile(phone)} if chosen is CheckedItem.PHONE else {}
    lifecycle.change_data(application, lambda d: d.setdefault("member_checks", {}).__setitem__(
        chosen.value, {"changed_on": today}), **values)
    lifecycle.record(application, application.status, lifecycle.APPLICANT,
                     f"{chosen.value} changed by the member")
    if chosen is CheckedItem.PHONE:
        _notify(application, SMS_PHONE_CHANGED)  # to the new number (and the e-mail given)
    notices.commit()
    housing.recheck_after_change(application, cause=chosen.value)

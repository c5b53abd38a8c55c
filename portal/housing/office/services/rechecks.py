"""The office acts on what arrives from the list after registration: a re-check a family change
raised (portal.housing.services.housing.recheck_after_change) and a category request the
registries did not confirm (housing_after.recheck_category) [002 p.9].

- A re-check's grounds confirmed: the preliminary refusal with a hearing [002 p.17], the same
  path as the emergency review's (hearings.refuse_preliminarily, which accepts an entry on the
  list with an open re-check). While it runs the entry is suspended, data_not_confirmed ([000]
  the guide: registration "will be suspended" while the data is not confirmed): it keeps its
  number and its original date but is not counted ahead of anyone. [design] After the hearing,
  registered: the entry is restored (the same number, the same place in the order), never a new
  one; refused: the entry is closed (removed).
- A re-check with no ground after all: closed with the officer's motivation; nothing else
  changes.
- A category request confirmed by the office: the entry moves to the category's list with its
  original date (housing_queue.move_to_list); not confirmed: it stays, with the reason. The
  applicant is told either way.

Each is one transaction under the application's lock, with a StaffAudit record and the
applicant's notice; one whose item was handled meanwhile is refused `item_handled`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.clock import now
from portal.core.models import Application
from portal.core.services import lifecycle, notices
from portal.core.services.sms_texts import SmsText
from portal.domain.housing import categories, queue
from portal.domain.housing import office as rules
from portal.domain.housing.queue import EntryStatus, SuspendReason
from portal.extensions import db
from portal.housing.office.services import housing_office as office
from portal.housing.office.staff import audit
from portal.housing.office.staff.models import StaffMember
from portal.housing.services import housing_queue

RECHECK_CLOSED = "housing_recheck_closed"
CATEGORY_CONFIRMED = "housing_category_confirmed"
CATEGORY_REFUSED = "housing_category_refused"

SMS_RECHECK_CLOSED = SmsText(_l(
    "Mekenjai: application %(number)s: the check after your family change found no ground; "
    "your place in the list stays. %(link)s"))
SMS_CATEGORY = SmsText(_l(
    "Mekenjai: application %(number)s: the provider has decided on your category request. "
    "The decision and why: %(link)s"))


def _locked_recheck(application: Application, moment) -> dict:
    lifecycle.lock(application, moment)
    recheck = rules.open_recheck(application.status, application.data or {})
    if recheck is None:
        db.session.rollback()
        raise office.OfficeRefused("item_handled")
    return recheck


def _resolve_recheck(data: dict, outcome: str, staff: StaffMember, moment, text: str) -> None:
    """Mark the open re-check (and its copy in the history) resolved."""
    resolution = {"resolved_at": moment.isoformat(), "outcome": outcome, "by": staff.login,
                  "note": text}
    data["recheck"] = dict(data["recheck"], **resolution)
    for check in data.get("rechecks", []):
        if check.get("at") == data["recheck"].get("at") and not check.get("resolved_at"):
            check.update(resolution)


def refuse_from_list(application: Application, staff: StaffMember, moment,
                     text: str) -> None:
    """Inside hearings.refuse_preliminarily, under the lock, after the conditional move from
    IN_QUEUE: the re-check resolved, the entry suspended while the hearing runs."""
    entry = housing_queue.entry_of(application)
    if entry is None or entry.status == EntryStatus.CLOSED.value:
        db.session.rollback()
        raise office.OfficeRefused("entry_changed")
    suspended = housing_queue.move_entry(entry, [EntryStatus.ACTIVE.value],
                                         EntryStatus.SUSPENDED.value)
    state = {"status": EntryStatus.SUSPENDED.value, "move": "suspend",
             "reason": SuspendReason.DATA_NOT_CONFIRMED.value,
             "note": "preliminary refusal after a re-check", "at": moment.isoformat(),
             "by": staff.login}

    def change(data):
        _resolve_recheck(data, "preliminary_refusal", staff, moment, text)
        data["from_list"] = {"suspended": suspended}
        if suspended:
            data.setdefault("entry_history", []).append(state)
            data["entry_state"] = state

    lifecycle.change_data(application, change, at=moment)


def after_hearing(application: Application, registered: bool, staff: StaffMember,
                  moment) -> None:
    """Inside hearings.hear for an entry that came from the list: restored when registered
    (the same number and date), closed when refused. Not committed."""
    entry = housing_queue.entry_of(application)
    from_list = (application.data or {}).get("from_list") or {}
    if entry is None:
        return
    if registered:
        moved = from_list.get("suspended") and housing_queue.move_entry(
            entry, [EntryStatus.SUSPENDED.value], EntryStatus.ACTIVE.value)
        move, target = "restore", EntryStatus.ACTIVE
    else:
        moved = housing_queue.move_entry(
            entry, [EntryStatus.ACTIVE.value, EntryStatus.SUSPENDED.value],
            EntryStatus.CLOSED.value)
        move, target = "close", EntryStatus.CLOSED
    state = {"status": target.value, "move": move,
             "reason": None if registered else queue.CloseReason.REMOVED.value,
             "note": "after the hearing", "at": moment.isoformat(), "by": staff.login}

    def change(data):
        data.pop("from_list", None)
        if moved:
            data.setdefault("entry_history", []).append(state)
            data["entry_state"] = state

    lifecycle.change_data(application, change, at=moment)


def close_recheck(staff: StaffMember, application: Application, motivation: str | None,
                  ip: str | None) -> None:
    """No ground after all: the re-check closed with the motivation; the entry stays."""
    text = office.motivated(motivation)
    moment = now()
    recheck = _locked_recheck(application, moment)
    lifecycle.change_data(application, lambda data: _resolve_recheck(
        data, "no_ground", staff, moment, text), at=moment)
    lifecycle.record(application, application.status, f"staff:{staff.login}",
                     "re-check closed: no ground", moment)
    audit.record(staff, RECHECK_CLOSED, application_id=application.id,
                 before={"recheck": recheck}, after={"recheck": application.data["recheck"]},
                 ip=ip)
    office.notify(application, SMS_RECHECK_CLOSED)
    notices.commit()


def decide_category(staff: StaffMember, application: Application, index: int,
                    confirmed: bool, reason: str | None, ip: str | None) -> None:
    """The office's answer to a category request the registries did not confirm [002 p.9]:
    confirmed, the entry moves to the category's list with its original date; not
    confirmed, it stays and the reason is recorded. `already_listed` when the person holds a
    place in that list; `item_handled` when the request was decided meanwhile."""
    text = office.motivated(reason) if not confirmed else (reason or "").strip()[
        :office.MAX_MOTIVATION]
    moment = now()
    lifecycle.lock(application, moment)
    open_requests = dict(rules.open_category_requests(application.status,
                                                      application.data or {}))
    request = open_requests.get(index)
    entry = housing_queue.entry_of(application)
    if request is None or entry is None or entry.status == EntryStatus.CLOSED.value:
        db.session.rollback()
        raise office.OfficeRefused("item_handled")
    before = {"list_code": entry.list_code, "number": entry.number}
    values = {}
    if confirmed and entry.list_code != request["category"]:
        key = queue.ListKey(entry.settlement_code, request["category"])
        if entry.person_iin and housing_queue.held_place(entry.person_iin, key) is not None:
            db.session.rollback()
            raise office.OfficeRefused("already_listed")
        housing_queue.move_to_list(entry, key)
        values = {"category": request["category"], "list_code": entry.list_code,
                  "queue_number": entry.number}
    after = {"list_code": entry.list_code, "number": entry.number}
    outcome = "confirmed_by_office" if confirmed else "refused_by_office"

    def change(data):
        data["category_requests"][index].update(
            resolved_at=moment.isoformat(), outcome=outcome, by=staff.login, reason=text,
            **({"to": after} if confirmed else {}))

    lifecycle.change_data(application, change, at=moment, **values)
    name = categories.category(request["category"]).code
    lifecycle.record(application, application.status, f"staff:{staff.login}",
                     f"category request {name}: " + (
                         f"confirmed, moved to {entry.list_code} No. {entry.number}"
                         if confirmed else "not confirmed"), moment)
    audit.record(staff, CATEGORY_CONFIRMED if confirmed else CATEGORY_REFUSED,
                 application_id=application.id, before=before,
                 after=after | {"reason": text}, ip=ip)
    office.notify(application, SMS_CATEGORY)
    notices.commit()


__all__ = ["after_hearing", "close_recheck", "decide_category", "refuse_from_list"]

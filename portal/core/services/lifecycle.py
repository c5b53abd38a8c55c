"""An application's life: every status change is a conditional move recorded as a StatusEvent
(who, when, a note), so the history on the status page and in the office is complete.

None of these functions commits: they run inside the caller's use case, which commits once
(with the SMS it queued, see notices.py). A move is a single UPDATE ... WHERE status IN (...),
so when two requests race (a double click, two tabs, a job and a person) exactly one wins and
the other gets False, on SQLite and on PostgreSQL alike.

What lives in the application's JSON `data` (answers, complaints, objections, the decisions'
numbers and dates) is changed only through `change_data`: the row is taken first (`lock`), the
data read as committed then, the change applied to that. Two writers of the same application
take turns, so neither overwrites what the other kept (a read before the lock and a write after
it lost 8 of 10 parallel complaints).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable

import sqlalchemy as sa

from portal.clock import now
from portal.core.models import Application, AppStatus, StatusEvent
from portal.core.services.errors import Refused
from portal.extensions import db

SYSTEM = "system"  # the actor of what the portal does by itself
APPLICANT = "applicant"


def record(application: Application, status: str, actor: str, note: str = "",
           at: dt.datetime | None = None) -> StatusEvent:
    """Set the status unconditionally and leave the event (for a row the caller already owns,
    e.g. one it just claimed with `move`)."""
    moment = at or now()
    application.status = status
    event = StatusEvent(application=application, status=status, actor=actor, note=note[:255],
                        at=moment)
    db.session.add(event)
    return event


def move(application: Application, from_statuses: str | Iterable[str], to_status: str,
         actor: str, note: str = "", at: dt.datetime | None = None, **values) -> bool:
    """Move from one of `from_statuses` to `to_status` if, in the database, the application is
    still in one of them; `values` are columns set in the same UPDATE (submitted_at=...).
    True and an event recorded when this call made the move; False when someone else did first
    or the status was never one of them (nothing recorded)."""
    sources = [from_statuses] if isinstance(from_statuses, str) else list(from_statuses)
    moment = at or now()
    moved = db.session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.status.in_(sources))
        .values(status=to_status, updated_at=moment, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return False
    for name, value in values.items():
        setattr(application, name, value)
    application.updated_at = moment
    record(application, to_status, actor, note, moment)
    return True


def require_move(application: Application, from_statuses: str | Iterable[str], to_status: str,
                 actor: str, note: str = "", at: dt.datetime | None = None, **values) -> None:
    """`move`, or `Refused("status_changed")` when the application is no longer where it was
    (the office's decision on something the applicant just withdrew, for instance)."""
    if not move(application, from_statuses, to_status, actor, note, at, **values):
        raise Refused("status_changed", status=current_status(application))


def current_status(application: Application) -> str:
    """The status in the database now (not the possibly stale one on the object)."""
    return db.session.scalar(sa.select(Application.status).where(
        Application.id == application.id))


def claim_for_submission(application: Application, actor: str = APPLICANT, note: str = "",
                         at: dt.datetime | None = None) -> bool:
    """Take a draft out of DRAFT exactly once (SUBMITTED, submitted_at set, event recorded).
    A double click, a second tab or the back button gets False; not committed here, so the
    whole submission commits together or not at all."""
    moment = at or now()
    return move(application, AppStatus.DRAFT, AppStatus.SUBMITTED, actor, note, moment,
                submitted_at=moment)


def close(application: Application, to_status: str, actor: str, note: str = "",
          outcome: str | None = None, from_statuses: str | Iterable[str] | None = None,
          at: dt.datetime | None = None) -> bool:
    """A final move (registered, rejected, refused, withdrawn): sets closed_at and the outcome
    code. `from_statuses` defaults to the status the object holds now."""
    moment = at or now()
    sources = from_statuses if from_statuses is not None else application.status
    values = {"closed_at": moment}
    if outcome is not None:
        values["outcome"] = outcome
    return move(application, sources, to_status, actor, note, moment, **values)


def lock(application: Application, at: dt.datetime | None = None) -> Application:
    """Take the application's row for the rest of this transaction, then read what is committed
    now (the object as the caller loaded it may be stale). One UPDATE does both on either
    database: on PostgreSQL it holds the row lock (as SELECT ... FOR UPDATE would; a second
    writer waits, then reads the first one's commit), on SQLite it takes the database's write
    lock before anything is read. What the session holds unflushed is flushed first (the
    refresh would drop it), so decide nothing from the object before this call."""
    db.session.flush()
    db.session.execute(sa.update(Application).where(Application.id == application.id)
                       .values(updated_at=at or now())
                       .execution_options(synchronize_session=False))
    db.session.refresh(application)
    return application


def change_data(application: Application, change: Callable[[dict], None] | None = None,
                at: dt.datetime | None = None, **values) -> dict:
    """Change the application's `data` under its lock (`lock`): `change(data)` edits a copy of
    the data as committed now, `values` are then set on it. Returns the new data; not
    committed. Whatever the caller decides from the data (is this complaint still open?) it
    decides in `change`, or after this call, never from what it read before."""
    lock(application, at)
    data = copy.deepcopy(application.data or {})
    if change is not None:
        change(data)
    data.update(values)
    application.data = data  # a new object: the JSON column sees the change
    return data


def history(application: Application) -> list[StatusEvent]:
    return db.session.scalars(
        sa.select(StatusEvent).where(StatusEvent.application_id == application.id)
        .order_by(StatusEvent.at, StatusEvent.id)).all()

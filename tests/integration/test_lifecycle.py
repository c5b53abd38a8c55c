"""Application lifecycle: every move recorded with who and when, conditional moves that win
once under races (threads released together, each with its own app context and session,
against the real database: SQLite here, PostgreSQL with make test-postgres)."""

from __future__ import annotations

import datetime as dt
import secrets
import threading

import pytest
import sqlalchemy as sa

from portal.core.models import Application, AppStatus, StatusEvent
from portal.core.services import lifecycle
from portal.core.services.errors import Refused
from portal.extensions import db


def make(status=AppStatus.DRAFT) -> Application:
    application = Application(service="toy", applicant_iin="850314301209", status=status,
                              data={}, status_token=secrets.token_urlsafe(16))
    db.session.add(application)
    db.session.commit()
    return application


def events(application) -> list[tuple]:
    return [(e.status, e.actor, e.note) for e in lifecycle.history(application)]


def test_claim_moves_a_draft_once_and_records_who_and_when(app, clock):
    application = make()
    assert lifecycle.claim_for_submission(application, note="signed with an SMS code")
    db.session.commit()
    assert application.status == AppStatus.SUBMITTED
    assert application.submitted_at == clock.now()
    assert events(application) == [("submitted", "applicant", "signed with an SMS code")]
    assert lifecycle.history(application)[0].at == clock.now()
    assert not lifecycle.claim_for_submission(application)  # the second click
    db.session.commit()
    assert len(events(application)) == 1


def test_move_from_a_status_it_is_not_in_changes_nothing(app):
    application = make(AppStatus.REGISTERED)
    assert not lifecycle.move(application, [AppStatus.DRAFT, AppStatus.SUBMITTED],
                              AppStatus.WITHDRAWN, "applicant")
    db.session.commit()
    db.session.expire_all()
    assert application.status == AppStatus.REGISTERED and events(application) == []


def test_require_move_refuses_with_the_status_now(app):
    application = make(AppStatus.WITHDRAWN)
    with pytest.raises(Refused) as refused:
        lifecycle.require_move(application, AppStatus.UNDER_REVIEW, AppStatus.IN_QUEUE,
                               "officer:1")
    assert refused.value.reason == "status_changed"
    assert refused.value.status == AppStatus.WITHDRAWN


def test_close_sets_closed_at_and_outcome_and_history_is_in_order(app, clock):
    application = make()
    lifecycle.claim_for_submission(application)
    clock.advance(minutes=1)
    lifecycle.record(application, AppStatus.AWAITING_CONSENT, lifecycle.SYSTEM, "2 owner(s)")
    clock.advance(minutes=59)
    assert lifecycle.close(application, AppStatus.REJECTED, lifecycle.SYSTEM,
                           outcome="owner_too_late")
    db.session.commit()
    db.session.expire_all()
    assert application.closed_at == clock.now() and application.outcome == "owner_too_late"
    assert [e[0] for e in events(application)] == ["submitted", "awaiting_consent", "rejected"]
    at = [e.at for e in lifecycle.history(application)]
    assert at == sorted(at) and at[-1] - at[0] == dt.timedelta(hours=1)


def test_a_rolled_back_move_leaves_no_event(app):
    application = make()
    assert lifecycle.claim_for_submission(application)
    db.session.rollback()
    db.session.expire_all()
    assert application.status == AppStatus.DRAFT and events(application) == []


def test_racing_moves_one_winner(app):
    """Eight workers decide the same application at once (applicant withdraws, office
    registers, the job rejects...): exactly one move, one event."""
    application = make(AppStatus.UNDER_REVIEW)
    app_id = application.id
    db.session.remove()
    n = 8
    barrier = threading.Barrier(n)
    wins, errors = [], []

    def worker(i):
        try:
            with app.app_context():
                mine = db.session.get(Application, app_id)
                barrier.wait()
                won = lifecycle.move(mine, AppStatus.UNDER_REVIEW, AppStatus.IN_QUEUE,
                                     f"worker:{i}")
                db.session.commit()
                if won:
                    wins.append(i)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(wins) == 1
    rows = db.session.scalars(sa.select(StatusEvent).where(
        StatusEvent.application_id == app_id)).all()
    assert [(r.status, r.actor) for r in rows] == [("in_queue", f"worker:{wins[0]}")]

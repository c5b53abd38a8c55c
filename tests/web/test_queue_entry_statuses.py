"""Statuses the Rules and the guide name are real (SPEC §2 "Status and queue", [000]): an entry
on the list can be suspended (and why), restored and closed by the office; the public queue
page and the applicant's cabinet show it; a suspended entry is out of the order."""

from __future__ import annotations

import pytest

from portal.core.models import AppStatus
from portal.domain.housing.queue import MOVE_REASONS, EntryMove, SuspendReason, reason_allowed
from portal.housing.services import housing_queue
from tests.web.helpers import last_sms, phone_of
from tests.web.housing_helpers import submit, walk
from tests.web.test_office_decisions import app_id_of, audits, fresh, staff_client, text_of

pytestmark = pytest.mark.usefixtures("seeded")


def listed(client) -> tuple[str, int]:
    base = walk(client, "no_housing")
    assert submit(client, base, "no_housing").status_code == 303
    app_id = app_id_of(base)
    assert fresh(app_id).status == AppStatus.IN_QUEUE
    return base, app_id


def test_what_suspends_an_entry_is_written_down():
    assert set(MOVE_REASONS[EntryMove.SUSPEND]) == {SuspendReason.DATA_NOT_CONFIRMED,
                                                   SuspendReason.CONSENT_WITHDRAWN,
                                                   SuspendReason.CONSENT_MISSING}
    assert reason_allowed(EntryMove.SUSPEND, "consent_withdrawn")
    assert not reason_allowed(EntryMove.SUSPEND, None)
    assert not reason_allowed(EntryMove.SUSPEND, "housed")
    assert reason_allowed(EntryMove.RESTORE, None)


def test_an_entry_is_suspended_with_why_restored_and_closed(app, client):
    base, app_id = listed(client)
    application = fresh(app_id)
    number, settlement = application.data["queue_number"], application.data["settlement"]
    list_code = application.data["list_code"]
    officer = staff_client(app, settlements=(settlement,))
    url = f"/office/applications/{app_id}/entry?lang=en"
    bare = officer.post(url, data={"move": "suspend", "reason": "data_not_confirmed"})
    assert bare.status_code == 303  # refused: a suspension is motivated
    assert housing_queue.entry_of(fresh(app_id)).status == "active"
    assert officer.post(url, data={"move": "suspend", "reason": "housed", "note": "x"}
                        ).status_code == 303  # a closing's reason: refused
    assert housing_queue.entry_of(fresh(app_id)).status == "active"
    assert officer.post(url, data={"move": "suspend", "reason": "data_not_confirmed",
                                   "note": "Send the marriage certificate."}).status_code == 303
    entry = housing_queue.entry_of(fresh(app_id))
    assert entry.status == "suspended" and housing_queue.position(entry) is None
    assert fresh(app_id).data["entry_state"]["reason"] == "data_not_confirmed"
    assert "place in the list" in last_sms(phone_of("no_housing")).body or \
        "тізімдегі" in last_sms(phone_of("no_housing")).body  # in the language applied in
    assert [a.action for a in audits(app_id, "housing_entry_suspend")]
    # The public queue page shows it suspended; the cabinet says why.
    page = text_of(client.get(f"/queue?settlement={settlement}&list_code={list_code}"
                              f"&number={number}&lang=en"))
    assert "Suspended" in page
    done = text_of(client.get(f"{base}/done?lang=en"))
    assert "Your place in the list is suspended" in done
    assert "The data is not confirmed" in done and "marriage certificate" in done
    cabinet = text_of(client.get("/cabinet?lang=en"))
    assert "Suspended" in cabinet
    # Restored: back in the order; then closed for good.
    assert officer.post(url, data={"move": "restore"}).status_code == 303
    assert housing_queue.position(housing_queue.entry_of(fresh(app_id))) == 1
    assert officer.post(url, data={"move": "close", "reason": "housed",
                                   "note": "Flat given, order 12."}).status_code == 303
    assert housing_queue.entry_of(fresh(app_id)).status == "closed"
    assert "Your place in the list is closed" in text_of(client.get(f"{base}/done?lang=en"))
    assert "Closed" in text_of(client.get(
        f"/queue?settlement={settlement}&list_code={list_code}&number={number}&lang=en"))
    # Closed is final: a further move changes nothing.
    officer.post(url, data={"move": "restore"})
    assert housing_queue.entry_of(fresh(app_id)).status == "closed"
    assert len(audits(app_id, "housing_entry_restore")) == 1

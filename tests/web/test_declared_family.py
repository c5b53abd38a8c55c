"""The family that is checked is the family that was declared (SPEC §2: the family's
dwellings count): a member added by hand, at application or in a later update, is checked
against the registries like one the registry links; a change after registration re-checks
the grounds, and a new ground is put before the office, never kept silent."""

from __future__ import annotations

import pytest

from portal.core.models import AppStatus
from tests.web.helpers import iin
from tests.web.housing_helpers import submit, walk
from tests.web.test_office_decisions import app_id_of, fresh, staff_client, text_of

pytestmark = pytest.mark.usefixtures("seeded")


def test_a_member_added_by_hand_at_application_is_checked(app, client):
    base = walk(client, "no_housing")
    # The applicant declares a husband the registry does not link: he sold a flat 3 years ago.
    assert client.post(f"{base}/family", data={"action": "add", "iin": iin("sold_recently"),
                                               "relation": "spouse"}).status_code == 303
    assert submit(client, base, "no_housing").status_code == 303
    application = fresh(app_id_of(base))
    assert application.status == AppStatus.PRELIMINARY_REFUSAL
    assert "owned_in_five_years" in application.data["grounds"]  # ground 2


def test_a_family_change_after_registration_re_checks_the_grounds(app, client):
    base = walk(client, "no_housing")
    assert submit(client, base, "no_housing").status_code == 303
    app_id = app_id_of(base)
    assert fresh(app_id).status == AppStatus.IN_QUEUE and not fresh(app_id).data["grounds"]
    assert client.post(f"{base}/update-family", data={
        "action": "add", "iin": iin("sold_recently"), "relation": "spouse"}).status_code == 303
    application = fresh(app_id)
    assert application.data["recheck"]["grounds"] == ["owned_in_five_years"]
    assert any(e.note.startswith("re-check after a change: new grounds owned_in_five_years")
               for e in application.events)
    assert "After your change the registries show new grounds" in text_of(
        client.get(f"{base}/done?lang=en"))
    officer = staff_client(app, settlements=(application.data["settlement"],))
    listed = text_of(officer.get("/office/?kind=recheck&lang=en"))
    assert application.number in listed and "Re-check" in listed
    assert "A family change after registration brought new grounds" in text_of(
        officer.get(f"/office/applications/{app_id}?lang=en"))
    # The same ground again is not a second re-check.
    client.post(f"{base}/update-family", data={"action": "add", "iin": iin("orphan"),
                                               "relation": "other"})
    assert len(fresh(app_id).data["rechecks"]) == 1

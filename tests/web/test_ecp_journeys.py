"""ЭЦП through NCALayer on the real journeys (SPEC §1 "The steps", §2 "Provider and channel"):
residence registration and the housing waiting list offer it beside the SMS code, a good
signature submits exactly as the code does, and the receipt and the status page say how the
application was signed. The NCA here is a test one made by tests/support_ecp (never the demo
store); what NCALayer would return is made with its keys."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.core.models import Application, AppStatus, Signature
from portal.extensions import db
from tests.web.helpers import fill_draft, iin, last_sms, phone_of, sign_in
from tests.web.housing_helpers import walk
from tests.web.test_ecp_web import app_config, offered, pki, post_cms, signed  # noqa: F401

pytestmark = pytest.mark.usefixtures("seeded")


def _application(base: str) -> Application:
    return db.session.get(Application, int(base.rsplit("/", 1)[1]))


def test_residence_is_signed_with_ecp_from_the_check_page(client, pki, clock):  # noqa: F811
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    draft = _application(base)
    nonce, lang, text = offered(client, f"{base}/check?lang=ru")
    assert "Адрес: Алматы, проспект Абая, 150, 12" in text and nonce in text  # in Russian

    someone_else = signed(pki, text, pki.citizen(iin("one_owner_applicant")), clock)
    refused = post_cms(client, f"/applications/{draft.id}/ecp", nonce, lang, someone_else)
    assert refused.status_code == 200
    db.session.refresh(draft)
    assert draft.status == AppStatus.DRAFT  # another person's ЭЦП submits nothing

    nonce, lang, text = offered(client, f"{base}/check?lang=ru")
    cms = signed(pki, text, pki.citizen(iin("owner_self")), clock)
    response = post_cms(client, f"/applications/{draft.id}/ecp", nonce, lang, cms)
    assert response.status_code == 303 and response.location.endswith(f"{base}/done")
    db.session.refresh(draft)
    assert draft.status == AppStatus.REGISTERED and draft.number.startswith("R-")
    signature = db.session.scalar(sa.select(Signature).where(
        Signature.application_id == draft.id))
    assert signature.method == "ecp" and signature.cms == cms

    receipt = client.get(f"{base}/receipt?lang=en").get_data(as_text=True)
    status = client.get(f"/s/{draft.status_token}?lang=en").get_data(as_text=True)
    assert "Signed with ЭЦП" in receipt and "Signed with ЭЦП" in status


def test_the_housing_list_is_signed_with_ecp_and_decided_at_once(client, app, pki, clock,  # noqa: F811
                                                                 tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    base = walk(client, "no_housing")
    draft = _application(base)
    assert client.post(f"{base}/send-code").status_code == 303
    nonce, lang, text = offered(client, f"{base}/sign?lang=en")  # beside the SMS code
    assert iin("no_housing") in text and "«Housing Provision Centre» e-base" in text
    cms = signed(pki, text, pki.citizen(iin("no_housing")), clock)
    response = post_cms(client, f"/applications/{draft.id}/ecp", nonce, lang, cms)
    assert response.status_code == 303 and response.location.endswith(f"{base}/done")
    db.session.refresh(draft)
    assert draft.status != AppStatus.DRAFT and draft.number.startswith("H-")
    assert draft.number in last_sms(phone_of("no_housing")).body  # the decision SMS went out
    receipt = client.get(f"{base}/receipt?lang=en").get_data(as_text=True)
    assert "Signed with ЭЦП" in receipt


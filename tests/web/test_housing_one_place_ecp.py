"""One person, one place in a list, when the second application is signed with ЭЦП: the page
says why in the citizen's language and nothing is kept (never a 500, never "registered")."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.core.models import Application, AppStatus
from portal.core.models.housing import QueueEntry
from portal.extensions import db
from tests.web.helpers import iin, sign_in
from tests.web.housing_helpers import submit, walk
from tests.web.test_ecp_web import app_config, offered, pki, post_cms, signed  # noqa: F401

pytestmark = pytest.mark.usefixtures("seeded")


def test_a_second_place_signed_with_ecp_is_refused_with_a_clear_message(client, app, pki,  # noqa: F811
                                                                        clock, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    sign_in(client, "no_housing")
    first = walk(client, "no_housing", signed_in=True)
    second = walk(client, "no_housing", signed_in=True)  # before the first one is submitted
    assert submit(client, first, "no_housing").status_code == 303
    draft = db.session.get(Application, int(second.rsplit("/", 1)[1]))
    assert client.post(f"{second}/send-code").status_code == 303
    nonce, lang, text = offered(client, f"{second}/sign?lang=ru")  # beside the SMS code
    cms = signed(pki, text, pki.citizen(iin("no_housing")), clock)
    response = post_cms(client, f"/applications/{draft.id}/ecp", nonce, lang, cms)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "У этого человека уже есть заявление о постановке на учёт" in page
    db.session.expire_all()
    draft = db.session.get(Application, draft.id)
    assert draft.status == AppStatus.DRAFT and draft.number is None
    assert not draft.signatures
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QueueEntry)) == 1

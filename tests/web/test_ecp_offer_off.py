"""Where ЭЦП is off (no trust store configured), the signing pages offer the SMS code alone."""

from __future__ import annotations

import pytest

from tests.web.helpers import fill_draft, iin, sign_in
from tests.web.housing_helpers import walk

pytestmark = pytest.mark.usefixtures("seeded")


def test_residence_check_page_offers_the_sms_code_only(client):
    sign_in(client, "owner_self")
    base = fill_draft(client, iin("owner_self"), "Абай 150 12")
    page = client.get(f"{base}/check?lang=en").get_data(as_text=True)
    assert "data-ecp-sign" not in page and "Get a code to sign" in page


def test_housing_code_page_offers_the_sms_code_only(client, app, tmp_path):
    app.config["HOUSING_UPLOAD_DIR"] = str(tmp_path)
    base = walk(client, "no_housing")
    client.post(f"{base}/send-code")
    page = client.get(f"{base}/sign?lang=en").get_data(as_text=True)
    assert "data-ecp-sign" not in page and 'name="code"' in page

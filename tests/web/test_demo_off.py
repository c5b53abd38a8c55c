"""Outside demo mode the SMS outbox (which shows one-time codes) does not exist."""

import pytest

from portal.core import sms


@pytest.fixture
def app_config(app_config):
    return {**app_config, "DEMO_MODE": False}


def test_demo_outbox_is_404_without_demo_mode(client):
    sms.send_now("+77012345678", "Code 123456")
    response = client.get("/demo/sms")
    assert response.status_code == 404
    assert "123456" not in response.text
    assert client.get("/demo/sms", headers={"HX-Target": "rows"}).status_code == 404

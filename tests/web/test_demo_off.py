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


def test_the_demo_mail_outbox_and_the_reply_form_are_404_without_demo_mode(client):
    assert client.get("/demo/mail").status_code == 404
    reply = client.post("/demo/sms/reply", data={"phone": "+77012345678", "text": "123456"})
    assert reply.status_code in (400, 404)  # CSRF or the missing page: never an answer

"""The SMTP backend against a real SMTP server (aiosmtpd on 127.0.0.1): the notice arrives as
one UTF-8 plain-text message, Kazakh letters in the subject and body intact; a refused
connection is a MailSendError (the outbox keeps the message), never another exception."""

from __future__ import annotations

import socket

import pytest

from portal.core import mail
from portal.core.mail.backends import MailSendError, SmtpBackend
from portal.core.models import SmsStatus
from portal.extensions import db
from tests.support.smtp_server import smtp_server

SUBJECT = "Mekenjai: тұрғын үй кезегіндегі өтінішіңіз H-2026-000001"
BODY = "Сіз «Жалпы тізім» кезегіндесіз, кезектің реттік нөмірі 7.\nhttps://portal/s/abc"


def test_the_smtp_backend_hands_a_utf8_message_to_a_real_server():
    with smtp_server() as server:
        ref = SmtpBackend("127.0.0.1", server.port, starttls=False).send(
            "asel@example.kz", "Mekenjai <noreply@mekenjai.kz>", SUBJECT, BODY)
        [received] = server.messages
    assert received["Subject"] == SUBJECT and received["To"] == "asel@example.kz"
    assert received["From"] == "Mekenjai <noreply@mekenjai.kz>"
    assert received["Message-ID"] == ref and ref.endswith("@mekenjai.kz>")
    assert received.get_content().rstrip("\n") == BODY
    assert received.get_content_charset() == "utf-8"


def test_a_refused_connection_is_a_send_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(MailSendError, match=str(port)):
        SmtpBackend("127.0.0.1", port, starttls=False, timeout=2).send(
            "a@example.kz", "noreply@mekenjai.kz", "s", "b")


def test_starttls_asked_of_a_server_without_it_is_a_send_error():
    with smtp_server() as server, pytest.raises(MailSendError):
        SmtpBackend("127.0.0.1", server.port, starttls=True).send(
            "a@example.kz", "noreply@mekenjai.kz", "s", "b")
        assert server.messages == []


def test_the_configured_smtp_backend_sends_what_the_outbox_holds(app):
    """PORTAL_MAIL_BACKEND=smtp with host and port: the worker's pass sends the stored mail."""
    with smtp_server() as server:
        app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1",
                          MAIL_SMTP_PORT=server.port, MAIL_SMTP_STARTTLS=False)
        app.extensions["mail_backend"] = mail._build_backend(app.config)
        message = mail.enqueue("asel@example.kz", SUBJECT, BODY, "housing_notice")
        db.session.commit()
        assert mail.retry_due() == 1
        [received] = server.messages
    db.session.refresh(message)
    assert message.status == SmsStatus.SENT and message.provider_ref == received["Message-ID"]


def test_smtp_without_a_host_refuses_to_start():
    from portal.config import ConfigError

    with pytest.raises(ConfigError, match="PORTAL_MAIL_SMTP_HOST"):
        mail._build_backend({"MAIL_BACKEND": "smtp"})

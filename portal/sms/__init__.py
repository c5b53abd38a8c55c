"""Sending SMS: one interface, two backends (outbox, http). Every message is first stored in
sms_message, then handed to the backend; a failed send stays queued and is retried, never lost."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Choose the backend from SMS_BACKEND; register the `flask sms retry` command."""

"""Sending SMS: one interface, two backends (outbox, http). Every message is first stored in
sms_message, then handed to the backend; a failed send stays queued and is retried, never lost.

A web request only commits the message (the outbox); the SMS worker (`flask sms worker`) sends
it, woken at once by PostgreSQL's NOTIFY (on SQLite it polls), so a slow provider never holds a
request. SMS_SEND_IN_REQUEST=True sends in the request instead (the tests, deterministic)."""

from __future__ import annotations

import datetime as dt
import logging
import select
import threading
import time
from collections.abc import Callable

import click
import psycopg
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, ScriptInfo

from portal.clock import now
from portal.config import ConfigError
from portal.core import mail, outbox
from portal.core.models import SmsMessage, SmsStatus
from portal.core.sms.backends import HttpBackend, OutboxBackend, SmsBackend, SmsSendError
from portal.extensions import db

__all__ = [
    "HttpBackend", "OutboxBackend", "SmsBackend", "SmsSendError",
    "backend", "deliver", "dispatch", "enqueue", "init_app", "on_reply", "on_retry",
    "receive_reply", "record_delivery",
    "retry_due", "run_pending", "send_now", "work",
]

SENDER = "1414"
CHANNEL = mail.CHANNEL  # PostgreSQL LISTEN/NOTIFY: an SMS or an e-mail was committed
POLL_SECONDS = 0.5  # the worker's longest sleep without a NOTIFY (SQLite; a missed wake-up)
WORKER_THREADS = 4  # `flask sms worker`: messages one worker process sends at once (PostgreSQL)

log = logging.getLogger(__name__)
cli = AppGroup("sms", help="Outgoing SMS.")
_before_retry: dict[str, Callable[[SmsMessage], None]] = {}
_reply_handler: list[Callable[[dict], tuple[dict, bool]]] = []


def on_reply(handler: Callable[[dict], tuple[dict, bool]]) -> None:
    """The journey that answers replies from phones registers its handler here (residence: an
    owner's consent by SMS), so the demo outbox can post a reply without knowing the journey."""
    _reply_handler.append(handler)


def receive_reply(payload: dict) -> tuple[dict, bool]:
    """A reply from a phone, as the provider's webhook would post it (demo mode only: the real
    webhook is /sms/inbound). ValueError when no journey takes replies or the payload is bad."""
    if not _reply_handler:
        raise ValueError("no journey takes SMS replies")
    return _reply_handler[-1](payload)


def on_retry(purpose: str, hook: Callable[[SmsMessage], None]) -> None:
    """Let the owner of a purpose rewrite a message before a retry goes out (a deadline it
    prints is then counted again from the real sending time)."""
    _before_retry[purpose] = hook


def backend() -> SmsBackend:
    """The configured provider; a test may put its own in app.extensions["sms_backend"]."""
    return current_app.extensions["sms_backend"]


def enqueue(phone: str, body: str, purpose: str = "") -> SmsMessage:
    """Store the message in the caller's transaction, so it exists before anything is sent."""
    message = SmsMessage(phone=phone, sender=SENDER, body=body, purpose=purpose,
                         status=SmsStatus.QUEUED, attempts=0, next_attempt_at=now())
    db.session.add(message)
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        # Delivered to the worker at COMMIT only; a rolled-back message wakes nobody.
        db.session.execute(sa.text(f"NOTIFY {CHANNEL}"))
    return message


def dispatch(message: SmsMessage | None) -> None:
    """After the caller's commit: send now (SMS_SEND_IN_REQUEST, the tests) or leave it to the
    SMS worker, which the commit has already woken. A web request never waits for the provider."""
    if message is not None and current_app.config.get("SMS_SEND_IN_REQUEST"):
        deliver(message)


def recent(phone_digits: str, limit: int) -> list[SmsMessage]:
    """Stored SMS, newest first; only those to a phone ending in `phone_digits` if given (the
    demo outbox page)."""
    query = sa.select(SmsMessage).order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc())
    if phone_digits:
        query = query.where(SmsMessage.phone.endswith(phone_digits, autoescape=True))
    return list(db.session.scalars(query.limit(limit)))


backoff = outbox.backoff  # the pause before the next attempt (portal.core.outbox)


def deliver(message: SmsMessage) -> bool:
    """One attempt, then commit. A provider failure is recorded and scheduled, never raised:
    a dead provider must not lose an application or answer with a 500."""
    if not outbox.claim(message):  # already sent, given up, or being sent by another worker
        db.session.commit()
        return message.status == SmsStatus.SENT
    if message.attempts > 1 and message.purpose in _before_retry:
        _before_retry[message.purpose](message)
    try:
        ref = backend().send(message.phone, message.sender, message.body)
    except SmsSendError as exc:
        if outbox.failed(message, exc, current_app.config["SMS_MAX_ATTEMPTS"]):
            log.error("SMS %s to %s failed for good: %s", message.id, message.phone, exc)
        else:
            log.warning("SMS %s attempt %s failed: %s", message.id, message.attempts, exc)
    else:
        outbox.sent(message, ref)
    db.session.commit()
    return message.status == SmsStatus.SENT


def record_delivery(provider_ref: str, delivered_at: dt.datetime) -> SmsMessage | None:
    """A provider's delivery report: note when the phone got the message, once (the first
    report counts; repeats change nothing). Never before the provider accepted it, nor in the
    future (clocks differ). The caller commits."""
    message = db.session.scalar(sa.select(SmsMessage).where(
        SmsMessage.provider_ref == provider_ref, SmsMessage.status == SmsStatus.SENT))
    if message is None:
        return None
    if message.delivered_at is None:
        moment = min(max(delivered_at, message.sent_at or delivered_at), now())
        db.session.execute(
            sa.update(SmsMessage)
            .where(SmsMessage.id == message.id, SmsMessage.delivered_at.is_(None))
            .values(delivered_at=moment)
            .execution_options(synchronize_session=False))
        db.session.refresh(message)
    return message


def send_now(phone: str, body: str, purpose: str = "") -> SmsMessage:
    """Store, commit, try once: the message survives whatever the provider does."""
    message = enqueue(phone, body, purpose)
    db.session.commit()
    dispatch(message)
    return message


def retry_due(limit: int = 100) -> int:
    """Send queued messages whose time has come, oldest first; returns how many went out.
    Each row is claimed with SKIP LOCKED (PostgreSQL), so several machines may run this."""
    sent = 0
    for _ in range(limit):
        message = outbox.next_due(SmsMessage)
        if message is None:
            break
        sent += deliver(message)
    db.session.commit()
    return sent


def run_pending() -> int:
    """The worker's one pass: every queued SMS, then every queued e-mail, that is due."""
    return retry_due() + mail.retry_due()


def _listen():
    """Its own autocommit connection, outside the pool: LISTEN lives as long as it does."""
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    listener = psycopg.connect(url, autocommit=True)
    listener.execute(f"LISTEN {CHANNEL}")
    return listener


def _wait(listener, poll: float) -> None:
    if listener is None:
        time.sleep(poll)
        return
    # A timeout too: retries fall due without anyone notifying.
    if select.select([listener.fileno()], [], [], poll * 10)[0]:
        for _ in listener.notifies(timeout=0):
            pass


def work(once: bool = False, poll: float = POLL_SECONDS, stop=None) -> int:
    """The SMS worker: send what is due, then sleep until a NOTIFY (PostgreSQL) or `poll`
    seconds. Several may run at once: each row is claimed (a conditional UPDATE) before it is sent.
    A database restart is waited out, never fatal. `stop` (a threading.Event) ends it after
    its next wake-up (the tests)."""
    if once:
        return run_pending()
    postgres = db.engine.dialect.name == "postgresql"
    log.info("SMS worker started (%s)", "LISTEN/NOTIFY" if postgres else f"polling {poll}s")
    sent, listener = 0, None
    while stop is None or not stop.is_set():
        try:
            if postgres and listener is None:
                listener = _listen()
            sent += run_pending()
            db.session.remove()
            _wait(listener, poll)
        except (sa.exc.OperationalError, sa.exc.InterfaceError, OSError) as exc:
            log.warning("SMS worker: database out of reach, retrying: %s", exc)
            db.session.remove()
            if listener is not None:
                listener.close()
            listener = None
            time.sleep(poll * 10)
        except psycopg.Error as exc:  # the LISTEN connection itself
            log.warning("SMS worker: lost the LISTEN connection, reconnecting: %s", exc)
            listener = None
            time.sleep(poll * 10)
    if listener is not None:
        listener.close()
    return sent


def work_together(app: Flask, threads: int, poll: float = POLL_SECONDS, stop=None) -> int:
    """`threads` workers in this process, each with its own app context (so its own session)
    and LISTEN connection. A provider answering in 2 s lets one worker send a message every
    2 s, so a peak's codes would queue for a minute; on PostgreSQL each worker takes another
    row (SKIP LOCKED) and they send at once. Returns what they sent."""
    counts: list[int] = []

    def run() -> None:
        with app.app_context():
            counts.append(work(poll=poll, stop=stop))

    workers = [threading.Thread(target=run, name=f"sms-worker-{i}", daemon=True)
               for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts)


def default_threads() -> int:
    """PostgreSQL: WORKER_THREADS. SQLite: one, as an attempt holds its one writer lock while
    the provider answers, so more would only wait for each other."""
    return WORKER_THREADS if db.engine.dialect.name == "postgresql" else 1


@cli.command("worker")
@click.option("--once", is_flag=True, help="Send what is due and exit.")
@click.option("--poll", default=POLL_SECONDS, show_default=True,
              help="Seconds between looks at the outbox without a NOTIFY.")
@click.option("--threads", type=click.IntRange(1, 64), default=None,
              help=f"Messages sent at once [default: {WORKER_THREADS} on PostgreSQL, 1 on SQLite].")
def worker_command(once: bool, poll: float, threads: int | None) -> None:
    """Send queued SMS and e-mail as they are committed (run beside the web servers; several
    are safe)."""
    if once:
        click.echo(work(once=True))
        return
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    click.echo(work_together(app, threads or default_threads(), poll=poll))


@cli.command("retry")
@click.option("--limit", default=100, show_default=True, help="Most messages in one run.")
def retry_command(limit: int) -> None:
    """Retry queued SMS that are due (safe to run from cron on several machines)."""
    click.echo(retry_due(limit))


def _build_backend(config) -> SmsBackend:
    kind = config.get("SMS_BACKEND", "outbox")
    if kind == "outbox":
        return OutboxBackend()
    if kind == "http":
        if not config.get("SMS_HTTP_URL"):
            raise ConfigError("SMS_BACKEND=http needs PORTAL_SMS_HTTP_URL (the provider's URL)")
        try:
            return HttpBackend(config["SMS_HTTP_URL"], config.get("SMS_HTTP_TOKEN", ""))
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    raise ConfigError(f"Unknown SMS_BACKEND {kind!r}: use 'outbox' or 'http'")


def init_app(app: Flask) -> None:
    """Choose the backend from SMS_BACKEND; register the `flask sms retry` command."""
    app.extensions["sms_backend"] = _build_backend(app.config)
    app.cli.add_command(cli)

"""Which kiosk a request comes from, its idle settings, and ending a visit."""

from __future__ import annotations

import contextlib
import datetime as dt

from flask import current_app, request, session

from kiosk import devices
from portal.core.sessions import beside_a_page
from portal.domain import limits
from portal.extensions import db

DEVICE_COOKIE = "mk_kiosk"
SEEN = "kiosk_seen"  # session key: when this visitor last did something at the kiosk
# Files a kiosk page fetches beside itself (portal.core.sessions.beside_a_page says why they
# must not write the session).
ASSETS = frozenset({"kiosk.speech_audio", "kiosk.handoff_qr"})
_ENVIRON_KEY = "mekenjai.kiosk"


def current_kiosk():
    """The enrolled kiosk this request comes from, or None (read once per request)."""
    if _ENVIRON_KEY not in request.environ:
        cookie = request.cookies.get(DEVICE_COOKIE)
        request.environ[_ENVIRON_KEY] = devices.from_cookie(cookie) if cookie else None
    return request.environ[_ENVIRON_KEY]


def kiosk_key() -> str | None:
    """A kiosk's identity for rate limits (portal.channels.client_key asks for it)."""
    device = current_kiosk() if request.cookies.get(DEVICE_COOKIE) else None
    return f"kiosk:{device.id}" if device else None


def idle_settings() -> dict:
    """The idle times in seconds: portal/domain/limits.py's, unless a setting overrides them."""
    config = current_app.config
    return {
        "warn": int(config.get("KIOSK_IDLE_WARN_SECONDS", limits.KIOSK_IDLE_WARN.total_seconds())),
        "reset": int(config.get("KIOSK_IDLE_RESET_SECONDS",
                                limits.KIOSK_IDLE_RESET.total_seconds())),
    }


def end_visit(device) -> None:
    """Erase the visitor's unsigned kiosk drafts and their server-side session. The session
    ends whatever erasing does: a draft that cannot be deleted must never hand the visitor's
    account to the next person at this screen (it is logged; `flask jobs run` erases it later,
    devices.erase_abandoned_drafts)."""
    from portal.core.citizens import CITIZEN, forget

    try:
        devices.erase_unsigned_drafts(device, session.get(CITIZEN))
    except Exception:  # noqa: BLE001 - any failure: the visit still ends below
        current_app.logger.exception("kiosk %s: the visit's drafts were not erased",
                                     getattr(device, "id", None))
        with contextlib.suppress(Exception):  # a database gone away fails this too
            db.session.rollback()
    session.clear()
    forget()


def enforce_idle_reset() -> None:
    """The server's half of the idle reset: even if the kiosk's script never ran (network
    down, browser crashed), a visit idle past the reset time is over on the next request."""
    if not request.cookies.get(DEVICE_COOKIE) or beside_a_page() or request.endpoint in ASSETS:
        return  # only the visitor's own steps count as activity
    device = current_kiosk()
    if device is None:
        return
    from portal.clock import now

    moment = now()
    seen = session.get(SEEN)
    if seen is not None:
        idle = moment - dt.datetime.fromtimestamp(seen, dt.UTC)
        if idle.total_seconds() >= idle_settings()["reset"]:
            end_visit(device)
    session[SEEN] = moment.timestamp()


def current_channel() -> str:
    """Where an application is being made: "kiosk:<id>" at an enrolled kiosk, else "portal"."""
    device = current_kiosk() if request.cookies.get(DEVICE_COOKIE) else None
    return devices.channel(device) if device else "portal"


"""The kiosk profile for self-service zones in ЦОН halls (SPEC §3).

A kiosk is an enrolled browser (a device cookie, see kiosk.devices). When such a browser opens
any citizen page, the page is drawn in the kiosk layout: big touch targets, an on-screen keypad,
a "Finish" button, an idle warning and a full reset. Everything else about the journeys is the
same code the phone uses.
"""

from __future__ import annotations

from flask import Flask, request

from kiosk import speech
from kiosk.profile import (
    DEVICE_COOKIE,
    current_channel,
    current_kiosk,
    enforce_idle_reset,
    idle_settings,
    kiosk_key,
)
from kiosk.routes import bp, speak_page

__all__ = ["bp", "current_kiosk", "init_app", "kiosk_key"]


def init_app(app: Flask) -> None:
    from kiosk import cli

    app.register_blueprint(bp, url_prefix="/kiosk")
    app.cli.add_command(cli.kiosk_cli)
    app.before_request(enforce_idle_reset)
    app.after_request(speak_page)
    speech.engine_available()  # logs at start when espeak-ng is missing: no Listen control
    app.extensions["channel_provider"] = current_channel
    app.extensions["client_key_provider"] = kiosk_key

    @app.context_processor
    def kiosk_context():
        if not request.cookies.get(DEVICE_COOKIE):
            return {"kiosk": None, "kiosk_speech": False}
        device = current_kiosk()
        return {"kiosk": device, "kiosk_idle": idle_settings() if device else None,
                "kiosk_speech": bool(device) and speech.engine_available()}

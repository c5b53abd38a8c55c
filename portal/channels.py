"""Through which channel an application is made: the portal, or a kiosk in a ЦОН hall.

The kiosk profile registers a provider at start-up (app.extensions["channel_provider"]); the
journeys only ask this module, so none of them imports the kiosk."""

from __future__ import annotations

from flask import current_app, has_request_context

PORTAL = "portal"


def current_channel() -> str:
    provider = current_app.extensions.get("channel_provider")
    return provider() if provider and has_request_context() else PORTAL


def client_key() -> str:
    """Who a rate limit counts: an enrolled kiosk by its own identity (a ЦОН hall is one
    address for many kiosks and visitors), anyone else by their address (after ProxyFix)."""
    from flask import request

    provider = current_app.extensions.get("client_key_provider")
    key = provider() if provider else None
    return key or request.remote_addr or "unknown"

"""Residence registration's steps, declared once; the one guard (portal.core.wizard) walks them."""

from __future__ import annotations

from flask import url_for

from portal.core.wizard import Step, Wizard
from portal.residence.services import residence


def _status_page(application) -> str:
    """A submitted application's back button lands on its status page."""
    return url_for("status.show", token=application.status_token)


WIZARD = Wizard("residence", [
    Step("who", complete=lambda a: bool(a.subject_iin)),
    Step("address", complete=lambda a: bool(a.address_id)),
    Step("path", complete=lambda a: bool((a.data or {}).get("path_seen"))),
    Step("reason", complete=lambda a: bool((a.data or {}).get("reason"))),
    Step("check"),  # the end of the walk: never "complete"
], load=residence.draft_of, done_endpoint="residence.done", submitted_url=_status_page)

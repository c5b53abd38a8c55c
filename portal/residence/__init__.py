"""Registration by place of residence: one URL per step, a server-side draft behind them.

The steps and their one guard: wizard.py; the step pages: routes.py; signing, submitting and
the pages after: signing.py; the service's definition for the shared pages: definition.py."""

from __future__ import annotations

from flask import Blueprint

from portal.core.registries import RegistryUnavailable
from portal.core.web import render_page
from portal.residence.services import residence

bp = Blueprint("residence", __name__)


@bp.errorhandler(RegistryUnavailable)
def registry_unavailable(_error):
    """A state registry did not answer: say so; the draft is kept (nothing was written)."""
    residence.discard_changes()
    return render_page("residence/unavailable.html"), 503


from . import definition, routes, signing  # noqa: E402,F401 (the views register on bp)

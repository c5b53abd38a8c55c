"""Registration by place of residence: one URL per step, a server-side draft behind them.

The steps and their one guard: wizard.py; the step pages: routes.py; signing, submitting and
the pages after: signing.py; the service's definition for the shared pages: definition.py."""

from __future__ import annotations

from . import definition, signing  # noqa: F401 (the views register on bp)
from .routes import bp  # noqa: F401 (create_app registers it)

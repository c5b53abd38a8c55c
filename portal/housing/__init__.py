"""The housing waiting list (SPEC §2): the citizen's journey, their status page and the public
queue look-up. Thin views over portal.housing.services.housing."""

from __future__ import annotations

from . import after, definition, member, signing  # noqa: F401  (views register on bp)
from .routes import bp, public_bp  # noqa: F401  (create_app registers them)

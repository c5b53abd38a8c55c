"""The housing waiting list (SPEC §2): the citizen's journey, their status page and the public
queue look-up. Thin views over portal.housing.services.housing."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("housing", __name__)
public_bp = Blueprint("housing_public", __name__)  # /queue: a number's place, for anyone

from . import after, definition, routes, signing  # noqa: E402,F401  (views register on bp)

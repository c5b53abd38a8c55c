"""The housing office: staff sign-in, the work list, the audit trail (staff only)."""

from flask import Blueprint

bp = Blueprint("office", __name__)

from . import decisions, routes  # noqa: E402,F401  (registers the views on bp)

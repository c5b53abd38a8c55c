"""The housing office: staff sign-in, the work list, the audit trail (staff only)."""

from . import decisions  # noqa: F401  (registers the views on bp)
from .routes import bp  # noqa: F401  (create_app registers it)

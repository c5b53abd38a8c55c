"""The housing journey's refusal: nothing changed, and `reason` says why."""

from __future__ import annotations

from portal.core.services.errors import Refused


class HousingRefused(Refused):
    """Nothing changed; `reason` says why (the blueprint maps it to a text)."""



"""The steps of the housing journey, declared once (portal/core/wizard.py)."""

from __future__ import annotations

from portal.core.wizard import Step, Wizard
from portal.housing.services import documents, housing


def _data(draft, name, default=None):
    return (draft.data or {}).get(name, default)


def _emergency(draft) -> bool:
    return _data(draft, "case") == "emergency"


WIZARD = Wizard("housing", [
    Step("who", complete=lambda d: bool(d.subject_iin)),
    Step("registries", complete=lambda d: bool(_data(d, "registries_seen"))),
    Step("case", complete=lambda d: bool(_data(d, "case"))),
    Step("conclusion", applies=_emergency, complete=documents.has_conclusion),
    Step("settlement", complete=lambda d: bool(_data(d, "settlement"))),
    Step("category", complete=lambda d: bool(_data(d, "category_seen"))),
    Step("family", complete=lambda d: bool(_data(d, "family_seen"))),
    Step("contacts", complete=lambda d: bool(_data(d, "phone"))),
    Step("consents", complete=lambda d: bool(_data(d, "personal_data_consent"))),
    Step("check"),
], load=housing.draft_of, done_endpoint="housing.done")

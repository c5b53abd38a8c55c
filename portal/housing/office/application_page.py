"""The office's page of one housing application (office/application.html): what it shows and
the forms it offers, from the application, its documents and the registries. Drawn by the views
in decisions.py, again with a form's errors when a decision is refused."""

from __future__ import annotations

import datetime as dt

from wtforms.fields.choices import SelectChoice

from portal.clock import ALMATY
from portal.core.labels import status_label
from portal.core.registries import RegistryUnavailable
from portal.core.registries.settlements import SETTLEMENTS
from portal.core.web import render_page
from portal.domain.housing import categories
from portal.domain.housing import office as rules
from portal.domain.housing.grounds import Ground
from portal.housing import labels as housing_texts  # the grounds' and cases' names
from portal.housing import texts as journey_texts  # the entry's statuses and reasons
from portal.housing.office.services import hearings, housing_office
from portal.housing.office.staff.access import current_staff
from portal.housing.office.staff.models import Role
from portal.housing.services import documents, housing, housing_queue
from portal.i18n import current_language

from . import texts
from .forms import (
    CategoryDecisionForm,
    ComplaintAnswerForm,
    DecisionForm,
    EntryForm,
    ForwardForm,
    HearingForm,
    PreliminaryRefusalForm,
    RecheckCloseForm,
)


def ground(code: str) -> dict:
    ground = Ground(code)
    return {"code": code, "name": housing_texts.GROUND_NAMES[ground],
            "reference": housing_texts.GROUND_REFERENCES[ground]}


def facts_of(application):
    try:
        return housing.facts_of(application)
    except RegistryUnavailable:
        return None


def refusal_form(computed, office) -> PreliminaryRefusalForm:
    """The preliminary refusal's form offering the grounds the office may give now
    (housing_office.office_grounds_choices)."""
    form = PreliminaryRefusalForm()
    form.grounds.choices = [SelectChoice(g.value, str(housing_texts.GROUND_NAMES[g]))
                            for g in (*computed, *office)]
    form.way.choices = [SelectChoice(w.value, str(t))
                        for w, t in housing_texts.HEARING_WAY_CHOICES.items()]
    return form


def hearing_form(files) -> HearingForm:
    """The hearing's form offering the objection's files."""
    form = HearingForm()
    form.files_read.choices = [SelectChoice(d.id, d.original_name)
                               for d in files if d.kind == "objection"]
    return form


def page(application, refusal=None, hearing=None, answer=None, entry=None, status=200):
    facts = facts_of(application)
    computed, office = housing_office.office_grounds_choices(application, facts)
    refusal = refusal or refusal_form(computed, office)
    data = application.data or {}
    files = documents.documents_of(application)
    hearing = hearing or hearing_form(files)
    return render_page(
        "office/application.html", application=application, data=data, facts=facts,
        registries_down=facts is None and application.subject_iin is not None,
        status_label=status_label(application.status),
        case=housing_texts.CASES.get(data.get("case", ""), ""),
        settlement=settlement_name(data.get("settlement"), current_language()),
        category=category_name(data.get("category"), current_language()),
        computed=[ground(g) for g in computed],
        grounds=[ground(g) for g in data.get("grounds", [])],
        conclusions=[d for d in files if d.kind == "conclusion"],
        objection_files=[d for d in files if d.kind == "objection"],
        proposed=hearings.proposed_hearing(application),
        hearing_at=(dt.datetime.fromisoformat(data["hearing_at"]).astimezone(ALMATY)
                    if data.get("hearing_at") else None),
        complaints=list(enumerate(data.get("complaints", []))),
        register_form=DecisionForm(), refusal_form=refusal,
        hearing_form=hearing, hearing_way=housing_texts.hearing_way(data),
        decision_open=hearings.decision_open(application),
        answer_forms={i: answer[1] if answer and answer[0] == i else answer_form(i)
                      for i, _c in enumerate(data.get("complaints", []))},
        outcomes=texts.HEARING_OUTCOMES, answers=texts.COMPLAINT_OUTCOMES,
        bodies=housing_texts.COMPLAINT_BODIES,
        can_answer=current_staff().role == Role.HEAD, forward_form=ForwardForm(),
        entry_form=entry or EntryForm(), entry=housing_queue.entry_of(application),
        ground_names={g.value: housing_texts.GROUND_NAMES[g] for g in Ground},
        entry_labels=journey_texts.ENTRY_STATUSES, entry_reasons=journey_texts.ENTRY_REASONS,
        subjects=housing_texts.COMPLAINT_SUBJECTS,
        recheck_open=rules.open_recheck(application.status, data) is not None,
        recheck_form=RecheckCloseForm(prefix="recheck"),
        category_requests=[(i, r, category_name(r["category"], current_language()),
                            CategoryDecisionForm(prefix=f"k{i}"))
                           for i, r in rules.open_category_requests(application.status, data)],
    ), status


def answer_form(index: int) -> ComplaintAnswerForm:
    return ComplaintAnswerForm(prefix=f"c{index}")


def settlement_name(code: str | None, lang: str) -> str:
    found = SETTLEMENTS.get(code or "")
    return found.name(lang) if found else ""


def category_name(code: str | None, lang: str) -> str:
    try:
        return categories.category(code).name(lang) if code else ""
    except KeyError:
        return code or ""

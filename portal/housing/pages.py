"""What the housing pages share: names in the page's language, the step page, refusal texts."""

from __future__ import annotations

from flask import request
from flask_babel import get_locale

from portal.core.registries import settlements
from portal.core.services.errors import text_for
from portal.core.web import render_page
from portal.domain.housing import categories
from portal.domain.housing.grounds import Ground
from portal.domain.languages import KAZAKH, LANGUAGES
from portal.housing.services import housing

from . import texts
from .forms import RELATION_LABELS, ContinueForm, MemberForm
from .wizard import WIZARD

NO_CATEGORY = "none"


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else KAZAKH


def settlement_name(code: str | None) -> str:
    return settlements.settlement_name(code, _lang())


def list_name(code: str | None) -> str:
    if not code or code == "general":
        return str(texts.GENERAL_LIST_NAME)
    try:
        return categories.category(code).name(_lang())
    except KeyError:
        return code


def ground_rows(codes) -> list[dict]:
    return [{"code": str(g), "name": texts.GROUND_NAMES[Ground(g)],
             "reference": texts.GROUND_REFERENCES[Ground(g)]} for g in codes]


def _page(template: str, application=None, step: str | None = None, fragment=None, **context):
    if application is not None and step is not None:
        context.update(WIZARD.progress(step, application))
    return render_page(template, fragment, application=application, wizard=WIZARD,
                       settlement_name=settlement_name, list_name=list_name,
                       ground_rows=ground_rows, texts=texts, **context)


def _unavailable(application):
    return _page("housing/unavailable.html", application), 503


def _refusal(refused) -> str:
    return text_for(refused, texts.REFUSALS)


# --- start, resume, delete ---------------------------------------------------------------------


def change_family(application, action: str | None, form):
    """Add or remove a family row (the family step and the update after registration share
    it); returns the form to show next: emptied after an addition, with errors after a refusal.
    """
    if action == "remove" and ContinueForm().validate_on_submit():
        housing.remove_member(application, request.form.get("iin", ""))
    elif action == "add" and form.validate_on_submit():
        try:
            housing.add_member(application, form.iin.data, form.relation.data)
        except housing.HousingRefused as refused:
            form.iin.errors = [_refusal(refused)]
        else:
            return MemberForm(formdata=None)
    return form


def family_page(application, form, step: str | None = None, **context):
    """The family page and its htmx fragment (the rows and the add form)."""
    return _page("housing/family.html", application, step, fragment="family", form=form,
                 members=housing.answer(application, "family", []),
                 relation_labels=RELATION_LABELS, continue_form=ContinueForm(), **context)

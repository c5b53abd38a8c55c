"""Wizards: a journey's ordered steps and the one guard that walks them (web layer, neutral).

A journey declares its steps once:

    WIZARD = Wizard("residence", [
        Step("who", template="residence/who.html", complete=lambda a: bool(a.subject_iin)),
        Step("address", complete=lambda a: bool(a.address_id)),
        Step("path", complete=lambda a: bool((a.data or {}).get("path_seen"))),
        Step("reason", form=ReasonForm, template="residence/reason.html", ...),
        Step("check"),                       # never "complete": the end of the walk
    ], load=residence.draft_of, done_endpoint="residence.done")

and decorates its views with `@WIZARD.step("who")` (a step page), `@WIZARD.draft` (a page of a
draft that is no step: resume, delete, sign) or `@WIZARD.submitted` (done, receipt). The guard
signs the citizen in, loads *their* draft (404 for anyone else's), sends a submitted one to its
done page, and sends a deep link past an unfinished step back to the first step that may not be
skipped. Simple form steps need no view at all: give the Step a form, a template, `prefill` and
`save`, and `WIZARD.add_url_rules(bp)` makes their routes.

Rules (after laa-access-civil-legal-aid's means test, STYLE.md §3):
- a step *applies* to a draft or is skipped (`applies`), and is *complete* or not (`complete`);
- a step may be opened when it applies and every applying step before it is complete;
- "Continue" goes to the next applying step; with `?return_to=check` (the Change links of the
  check page) it goes back to the check page, unless an answer changed made an earlier step
  incomplete again (a new address must show its path again), which is then shown first and
  keeps `return_to`;
- the step indicator counts applying steps only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

RETURN_TO = "return_to"


def _always(draft: Any) -> bool:
    return True


def _never(draft: Any) -> bool:
    return False


@dataclass(frozen=True)
class Step:
    name: str  # also the view's endpoint name in the journey's blueprint
    template: str | None = None
    form: type | None = None
    applies: Callable[[Any], bool] = _always
    complete: Callable[[Any], bool] = _never
    prefill: Callable[[Any], dict] | None = None  # form data from the draft (form steps)
    save: Callable[[Any, dict], None] | None = None  # store the validated form.data
    context: Callable[[Any], dict] | None = None  # extra template context (form steps)
    slug: str | None = None  # URL segment; the name with dashes by default

    @property
    def path(self) -> str:
        return self.slug or self.name.replace("_", "-")


def _applicant_iin() -> str | None:
    from portal.core.citizens import current_iin

    return current_iin()


def _login_required(view: Callable) -> Callable:
    from portal.core.citizens import login_required

    return login_required(view)


def _is_draft(draft: Any) -> bool:
    return getattr(draft, "status", "draft") == "draft"


class Wizard:
    """The ordered steps of one journey, and the guard over them."""

    def __init__(self, blueprint: str, steps: Sequence[Step],
                 load: Callable[[int, str], Any], *, done_endpoint: str,
                 id_arg: str = "app_id",
                 is_draft: Callable[[Any], bool] = _is_draft,
                 applicant_iin: Callable[[], str | None] = _applicant_iin,
                 login_required: Callable[[Callable], Callable] = _login_required,
                 submitted_url: Callable[[Any], str] | None = None):
        names = [s.name for s in steps]
        if len(set(names)) != len(names) or not names:
            raise ValueError(f"step names must be unique and not empty: {names}")
        self.blueprint = blueprint
        self.steps: tuple[Step, ...] = tuple(steps)
        self.load = load
        self.done_endpoint = done_endpoint
        self.id_arg = id_arg
        self.is_draft = is_draft
        self.applicant_iin = applicant_iin
        self.login_required = login_required
        self.submitted_url = submitted_url  # where a step of a submitted draft sends the back
        # button (residence: the status page); the done page by default
        self._by_name = {s.name: s for s in self.steps}

    # --- Where a draft stands (pure: no request needed) --------------------------------------

    def __getitem__(self, name: str) -> Step:
        return self._by_name[name]

    @property
    def last(self) -> Step:
        """The end of the walk: the check page."""
        return self.steps[-1]

    def applicable(self, draft: Any) -> list[Step]:
        return [s for s in self.steps if s.applies(draft)]

    def first_incomplete(self, draft: Any) -> Step:
        """The first step this draft may not skip: where to continue, or send someone back."""
        for step in self.applicable(draft):
            if not step.complete(draft):
                return step
        return self.last

    def missing(self, draft: Any) -> Step | None:
        """The first step this draft has not answered, or None when it may be signed: the one
        completeness check of the journey, asked by every way of signing (its ServiceDefinition's
        `missing_step`) when the page is shown and again at the moment of submission."""
        step = self.first_incomplete(draft)
        return None if step is self.last else step

    def missing_name(self, draft: Any) -> str | None:
        step = self.missing(draft)
        return step.name if step else None

    def may_open(self, name: str, draft: Any) -> bool:
        step = self._by_name[name]
        if not step.applies(draft):
            return False
        for before in self.applicable(draft):
            if before.name == name:
                return True
            if not before.complete(draft):
                return False
        return False

    def next_after(self, name: str, draft: Any, return_to: str | None = None) -> Step:
        """Where "Continue" on step `name` goes, with the draft as it is after saving."""
        if return_to == self.last.name:
            return self.first_incomplete(draft)
        steps = self.applicable(draft)
        names = [s.name for s in steps]
        later = steps[names.index(name) + 1:] if name in names else []
        target = later[0] if later else self.last
        return target if self.may_open(target.name, draft) else self.first_incomplete(draft)

    def progress(self, name: str, draft: Any) -> dict:
        """The step indicator: "Step n of m" over the steps that apply to this draft."""
        steps = self.applicable(draft)
        names = [s.name for s in steps]
        number = names.index(name) + 1 if name in names else len(names)
        return {"step_number": number, "step_count": len(steps)}

    # --- URLs and redirects (need a request or app context) ----------------------------------

    def endpoint(self, step: Step | str) -> str:
        return f"{self.blueprint}.{step if isinstance(step, str) else step.name}"

    def url(self, step: Step | str, draft: Any, return_to: str | None = None) -> str:
        values = {self.id_arg: draft.id}
        if return_to:
            values[RETURN_TO] = return_to
        return url_for(self.endpoint(step), **values)

    def _return_to(self) -> str | None:
        value = request.args.get(RETURN_TO)
        return value if value == self.last.name else None  # nothing else is honoured

    def redirect_next(self, name: str, draft: Any):
        """303 to the step after `name` (the draft saved), honouring ?return_to=check."""
        return_to = self._return_to()
        target = self.next_after(name, draft, return_to)
        keep = return_to if target is not self.last else None
        return redirect(self.url(target, draft, keep), 303)

    def redirect_resume(self, draft: Any):
        return redirect(self.url(self.first_incomplete(draft), draft))

    def redirect_missing(self, draft: Any):
        """An unfinished draft sent to be signed: say so, and show the step that is missing."""
        from portal.core.signing_texts import INCOMPLETE

        flash(str(INCOMPLETE), "warning")
        return redirect(self.url(self.first_incomplete(draft), draft), 303)

    def done_url(self, draft: Any) -> str:
        return url_for(self.done_endpoint, **{self.id_arg: draft.id})

    # --- The guard ------------------------------------------------------------------------------

    def _guarded(self, view: Callable, *, step: str | None, drafts: bool | None) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            draft_id = kwargs.pop(self.id_arg)
            iin = self.applicant_iin()
            draft = self.load(draft_id, iin) if iin else None
            if draft is None:
                abort(404)  # not there, or someone else's: the same answer
            if drafts is True and not self.is_draft(draft):
                # The back button after submission: nothing to edit any more.
                flash(_("This application has already been submitted."), "success")
                target = self.submitted_url(draft) if self.submitted_url else None
                return redirect(target or self.done_url(draft), 303)
            if drafts is False and self.is_draft(draft):
                return self.redirect_resume(draft)
            if step is not None and not self.may_open(step, draft):
                return self.redirect_resume(draft)
            return view(draft, *args, **kwargs)

        return self.login_required(wrapped)

    def step(self, name: str) -> Callable[[Callable], Callable]:
        """A step page: the view gets the draft; it opens only when the step may be opened."""
        if name not in self._by_name:
            raise KeyError(name)
        return lambda view: self._guarded(view, step=name, drafts=True)

    def draft(self, view: Callable) -> Callable:
        """A page of the signed-in applicant's draft that is no step (resume, delete, sign)."""
        return self._guarded(view, step=None, drafts=True)

    def submitted(self, view: Callable) -> Callable:
        """A page of a submitted application (done, receipt); a draft goes back to its steps."""
        return self._guarded(view, step=None, drafts=False)

    def any_state(self, view: Callable) -> Callable:
        """The applicant's application whatever its state (submit: a second click lands on the
        same result)."""
        return self._guarded(view, step=None, drafts=None)

    # --- Form steps without a hand-written view ----------------------------------------------

    def add_url_rules(self, bp) -> None:
        """Register GET/POST routes `/<id>/<slug>` for each step with form, template and save
        (a step without `save` has a hand-written view decorated with `step(name)`)."""
        for step in self.steps:
            if step.form and step.template and step.save:
                bp.add_url_rule(f"/<int:{self.id_arg}>/{step.path}", step.name,
                                self.step(step.name)(self._form_view(step)),
                                methods=["GET", "POST"])

    def _form_view(self, step: Step) -> Callable:
        from portal.core.web import render_page

        def view(draft):
            data = step.prefill(draft) if step.prefill else {}
            form = step.form(data=data)
            if form.validate_on_submit():
                step.save(draft, {k: v for k, v in form.data.items() if k != "csrf_token"})
                return self.redirect_next(step.name, draft)
            extra = step.context(draft) if step.context else {}
            return render_page(step.template, form=form, draft=draft, application=draft,
                               step=step, wizard=self, **extra,
                               **self.progress(step.name, draft))

        view.__name__ = step.name
        return view

"""The wizard core on a toy 4-step journey: name, age, guardian (only under 18), check.

Each step: GET renders with the indicator over the steps that apply, an invalid POST shows the
errors, a valid POST goes on, a deep link past an unfinished step goes back. Plus the guard:
sign-in, another's draft, a submitted draft; and a submission race through real requests."""

from __future__ import annotations

import secrets
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Blueprint, redirect
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange

from portal.core.models import Application, AppStatus, StatusEvent
from portal.core.services import lifecycle, notices, numbering
from portal.core.web import render_page
from portal.core.wizard import Step, Wizard
from portal.extensions import db

from .helpers import iin
from .pages import check_page, parse, text_of

TOY = "toy"


class NameForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Enter a name")])


class AgeForm(FlaskForm):
    age = IntegerField("Age", validators=[InputRequired("Enter the age"), NumberRange(0, 130)])


class GuardianForm(FlaskForm):
    guardian = StringField("Guardian", validators=[InputRequired("Enter the guardian")])


def answers(draft) -> dict:
    return draft.data or {}


def save(draft, values: dict) -> None:
    draft.data = {**answers(draft), **values}
    db.session.commit()


def is_minor(draft) -> bool:
    age = answers(draft).get("age")
    return age is not None and age < 18


def load(app_id: int, applicant_iin: str):
    draft = db.session.get(Application, app_id)
    if draft is None or draft.service != TOY or draft.applicant_iin != applicant_iin:
        return None
    return draft


def _form_step(name: str, form, applies=None) -> Step:
    extra = {"applies": applies} if applies else {}
    return Step(name, template="toy/step.html", form=form,
                complete=lambda d: answers(d).get(name) not in (None, ""),
                prefill=lambda d: {name: answers(d).get(name)}, save=save, **extra)


WIZARD = Wizard(TOY, [
    _form_step("name", NameForm),
    _form_step("age", AgeForm),
    _form_step("guardian", GuardianForm, applies=is_minor),
    Step("check"),
], load=load, done_endpoint="toy.done")


def make_blueprint() -> Blueprint:
    bp = Blueprint(TOY, __name__, template_folder=str(Path(__file__).parent / "templates"))
    WIZARD.add_url_rules(bp)

    @bp.route("/new", methods=["POST"])
    def new():
        draft = Application(service=TOY, applicant_iin=WIZARD.applicant_iin(),
                            status=AppStatus.DRAFT, data={},
                            status_token=secrets.token_urlsafe(16))
        db.session.add(draft)
        db.session.commit()
        return WIZARD.redirect_resume(draft)

    @bp.route("/<int:app_id>")
    @WIZARD.draft
    def resume(draft):
        return WIZARD.redirect_resume(draft)

    @bp.route("/<int:app_id>/check")
    @WIZARD.step("check")
    def check(draft):
        shown = [(s.name, answers(draft).get(s.name)) for s in WIZARD.applicable(draft)[:-1]]
        return render_page("toy/check.html", draft=draft, wizard=WIZARD, answers=shown,
                           **WIZARD.progress("check", draft))

    @bp.route("/<int:app_id>/submit", methods=["POST"])
    @WIZARD.any_state
    def submit(draft):
        if lifecycle.claim_for_submission(draft, note="toy"):
            numbering.assign(draft, "T")
            notices.notify_applicant(draft, f"Toy {draft.number}: {notices.status_url(draft)}")
            notices.commit()
        return redirect(WIZARD.done_url(draft), 303)  # a second click lands here too

    @bp.route("/<int:app_id>/done")
    @WIZARD.submitted
    def done(draft):
        return render_page("toy/done.html", draft=draft)

    return bp


@pytest.fixture
def toy(seeded):
    seeded.register_blueprint(make_blueprint(), url_prefix="/toy")
    return seeded


def sign_in_as(client, key: str) -> None:
    with client.session_transaction() as session:
        session["iin"] = iin(key)


@pytest.fixture
def citizen(toy):
    client = toy.test_client()
    sign_in_as(client, "owner_self")
    return client


def start(client) -> str:
    response = client.post("/toy/new")
    assert response.status_code == 302
    assert response.location.endswith("/name")
    return response.location.rsplit("/", 1)[0]


def indicator(response) -> str:
    return parse(response).select_one(".steps").get_text()


# --- The steps ------------------------------------------------------------------------------

def test_first_step_renders_with_the_indicator_over_applying_steps(citizen):
    base = start(citizen)
    response = citizen.get(f"{base}/name")
    assert response.status_code == 200
    check_page(response)
    assert indicator(response) == "Step 1 of 3"  # the guardian step does not apply (yet)


def test_invalid_post_shows_the_error_and_stays(citizen):
    base = start(citizen)
    response = citizen.post(f"{base}/name", data={"name": ""})
    assert response.status_code == 200
    page = check_page(response)
    assert "Enter a name" in page.select_one(".error-summary").get_text()
    assert page.title.get_text().startswith("Қате:")  # "Error:" in Kazakh, the default


def test_valid_post_saves_and_goes_on(citizen):
    base = start(citizen)
    response = citizen.post(f"{base}/name", data={"name": "Asqar"})
    assert response.status_code == 303 and response.location.endswith(f"{base}/age")
    assert 'value="Asqar"' in citizen.get(f"{base}/name").get_data(as_text=True)


def test_deep_link_past_an_unfinished_step_goes_back_to_it(citizen):
    base = start(citizen)
    for later in ("age", "check"):
        response = citizen.get(f"{base}/{later}")
        assert response.status_code == 302 and response.location.endswith(f"{base}/name")
    citizen.post(f"{base}/name", data={"name": "Asqar"})
    response = citizen.post(f"{base}/check")
    assert response.status_code == 405  # the check page is GET only
    assert citizen.get(f"{base}/check").location.endswith(f"{base}/age")


def test_an_adult_skips_the_conditional_step(citizen):
    base = start(citizen)
    citizen.post(f"{base}/name", data={"name": "Asqar"})
    response = citizen.post(f"{base}/age", data={"age": "30"})
    assert response.location.endswith(f"{base}/check")
    # The step does not apply: opening it sends the applicant where they stand.
    assert citizen.get(f"{base}/guardian").location.endswith(f"{base}/check")
    check = citizen.get(f"{base}/check")
    assert check.status_code == 200 and indicator(check) == "Step 3 of 3"


def test_a_minor_gets_the_conditional_step_and_cannot_skip_it(citizen):
    base = start(citizen)
    citizen.post(f"{base}/name", data={"name": "Aru"})
    response = citizen.post(f"{base}/age", data={"age": "15"})
    assert response.location.endswith(f"{base}/guardian")
    assert indicator(citizen.get(f"{base}/guardian")) == "Step 3 of 4"
    assert citizen.get(f"{base}/check").location.endswith(f"{base}/guardian")
    citizen.post(f"{base}/guardian", data={"guardian": "Gulnar"})
    assert indicator(citizen.get(f"{base}/check")) == "Step 4 of 4"


def test_change_from_the_check_page_returns_to_it(citizen):
    base = start(citizen)
    citizen.post(f"{base}/name", data={"name": "Asqar"})
    citizen.post(f"{base}/age", data={"age": "30"})
    links = [a["href"] for a in parse(citizen.get(f"{base}/check")).select("dd a")]
    assert f"{base}/name?return_to=check" in links
    response = citizen.post(f"{base}/name?return_to=check", data={"name": "Askar"})
    assert response.location.endswith(f"{base}/check")


def test_a_change_that_opens_a_step_shows_it_before_returning(citizen):
    base = start(citizen)
    citizen.post(f"{base}/name", data={"name": "Aru"})
    citizen.post(f"{base}/age", data={"age": "30"})
    response = citizen.post(f"{base}/age?return_to=check", data={"age": "15"})
    assert response.location.endswith(f"{base}/guardian?return_to=check")
    response = citizen.post(f"{base}/guardian?return_to=check", data={"guardian": "Gulnar"})
    assert response.location.endswith(f"{base}/check")


def test_return_to_anything_else_is_ignored(citizen):
    base = start(citizen)
    response = citizen.post(f"{base}/name?return_to=https://evil.example", data={"name": "A"})
    assert response.location.endswith(f"{base}/age")


# --- The guard ------------------------------------------------------------------------------

def test_without_a_session_every_step_sends_to_sign_in(toy):
    owner = toy.test_client()
    sign_in_as(owner, "owner_self")
    base = start(owner)
    stranger = toy.test_client()
    for path in ("", "/name", "/check", "/done"):
        response = stranger.get(f"{base}{path}")
        assert response.status_code == 302 and "/sign-in" in response.location


def test_another_applicants_draft_is_not_found(toy):
    owner = toy.test_client()
    sign_in_as(owner, "owner_self")
    base = start(owner)
    other = toy.test_client()
    sign_in_as(other, "one_owner_applicant")
    for path in ("", "/name", "/check", "/done"):
        assert other.get(f"{base}{path}").status_code == 404
    assert other.post(f"{base}/name", data={"name": "X"}).status_code == 404
    assert other.post(f"{base}/submit").status_code == 404


def test_a_submitted_draft_goes_to_its_done_page_and_a_draft_not_to_done(citizen, db):
    base = start(citizen)
    assert citizen.get(f"{base}/done").location.endswith(f"{base}/name")
    citizen.post(f"{base}/name", data={"name": "Asqar"})
    citizen.post(f"{base}/age", data={"age": "30"})
    response = citizen.post(f"{base}/submit")
    assert response.status_code == 303 and response.location.endswith(f"{base}/done")
    done = citizen.get(f"{base}/done")
    check_page(done)
    assert "T-2026-000001" in text_of(parse(done))
    back = citizen.get(f"{base}/age")  # the back button after submission
    assert back.status_code == 303 and back.location.endswith(f"{base}/done")
    notice = parse(citizen.get(back.location)).select_one(".notice.success")
    assert notice.get_text() == "Бұл өтініш бұрын берілген."  # "... already been submitted."
    assert citizen.post(f"{base}/age", data={"age": "5"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Application, int(base.rsplit("/", 1)[1])).data["age"] == 30


def test_simultaneous_submissions_submit_once(toy, db):
    """Eight tabs press Submit at once: one submission, one number, one event, one SMS."""
    owner = toy.test_client()
    sign_in_as(owner, "owner_self")
    base = start(owner)
    owner.post(f"{base}/name", data={"name": "Asqar"})
    owner.post(f"{base}/age", data={"age": "30"})
    clients = []
    for _ in range(8):
        c = toy.test_client()
        sign_in_as(c, "owner_self")
        clients.append(c)
    barrier = threading.Barrier(len(clients))
    results, errors = [], []

    def press(client):
        try:
            barrier.wait()
            results.append(client.post(f"{base}/submit").status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [303] * len(clients)
    db.session.expire_all()
    draft = db.session.get(Application, int(base.rsplit("/", 1)[1]))
    assert draft.status == AppStatus.SUBMITTED and draft.number == "T-2026-000001"
    events = db.session.scalars(sa.select(StatusEvent).where(
        StatusEvent.application_id == draft.id)).all()
    assert [e.status for e in events] == [AppStatus.SUBMITTED]
    from portal.core.models import SmsMessage
    texts = db.session.scalars(sa.select(SmsMessage.body).where(
        SmsMessage.purpose == notices.APPLICANT_NOTICE)).all()
    assert texts == [f"Toy T-2026-000001: http://localhost/s/{draft.status_token}"]


# --- The registry's answers without HTTP ----------------------------------------------------

class Draft:
    def __init__(self, **data):
        self.id, self.status, self.data = 1, "draft", data


def test_first_incomplete_and_may_open_follow_applies_and_complete():
    assert WIZARD.first_incomplete(Draft()).name == "name"
    assert WIZARD.first_incomplete(Draft(name="A", age=30)).name == "check"
    assert WIZARD.first_incomplete(Draft(name="A", age=3)).name == "guardian"
    assert WIZARD.may_open("age", Draft(name="A"))
    assert not WIZARD.may_open("check", Draft(name="A"))
    assert not WIZARD.may_open("guardian", Draft(name="A", age=30))
    assert WIZARD.next_after("age", Draft(name="A", age=17)).name == "guardian"
    assert WIZARD.next_after("age", Draft(name="A", age=18)).name == "check"
    assert WIZARD.progress("guardian", Draft(name="A", age=17)) == {
        "step_number": 3, "step_count": 4}


def test_step_names_must_be_unique():
    with pytest.raises(ValueError):
        Wizard("x", [Step("a"), Step("a")], load=load, done_endpoint="x.done")

"""The service registry: a toy service gives the shared pages its name, status labels, rows and
endpoints; no `if service == ...` anywhere. Also the one refusal style (errors.Refused)."""

from __future__ import annotations

import secrets

import pytest
from flask import render_template_string
from flask_babel import lazy_gettext as _l

from portal.core.models import Application, AppStatus
from portal.core.services.catalogue import Catalogue, Row, ServiceDefinition, UnknownService
from portal.core.services.errors import Refused, text_for
from portal.extensions import db


def toy_rows(application, is_applicant):
    rows = [Row(_l("Status"), application.status)]
    if is_applicant:
        rows.append(Row(_l("Person"), (application.data or {}).get("name", "")))
    return rows


TOY = ServiceDefinition(
    code="toy", name=_l("Registration at place of residence"), prefix="T",
    statuses={AppStatus.SUBMITTED: _l("Submitted"), AppStatus.REGISTERED: _l("Registered"),
              AppStatus.REJECTED: _l("Rejected")},
    final_statuses=frozenset({AppStatus.REGISTERED, AppStatus.REJECTED}),
    good_statuses=frozenset({AppStatus.REGISTERED}),
    done_endpoint="status.show", status_rows=toy_rows,
    poll_statuses=frozenset({AppStatus.SUBMITTED}),
    outcome_texts={"too_late": _l("The owner did not confirm in time (one hour).")})


@pytest.fixture
def services():
    registry = Catalogue()
    registry.register(TOY)
    return registry


def make(app) -> Application:
    application = Application(service="toy", applicant_iin="850314301209",
                              status=AppStatus.REJECTED, data={"name": "Asqar"},
                              status_token=secrets.token_urlsafe(16), outcome="too_late")
    db.session.add(application)
    db.session.commit()
    return application


def test_the_shared_page_gets_name_labels_and_rows_from_the_service(app, services):
    application = make(app)
    service = services.of(application)
    with app.test_request_context("/?lang=en"):
        page = render_template_string(
            "{{ s.name }}|{{ s.status_label(a.status) }}|{{ s.tone(a.status) }}|"
            "{% for r in s.status_rows(a, False) %}{{ r.label }}={{ r.value }};{% endfor %}|"
            "{{ s.outcome_text(a) }}", s=service, a=application)
    assert page == ("Registration at place of residence|Rejected|bad|Status=rejected;|"
                    "The owner did not confirm in time (one hour).")
    assert [r.value for r in service.status_rows(application, True)] == ["rejected", "Asqar"]
    assert service.tone(AppStatus.REGISTERED) == "ok"
    assert service.tone(AppStatus.SUBMITTED) == "wait"
    assert service.status_label("unknown") == "unknown"
    assert service.endpoint_args(application) == {"app_id": application.id}
    assert not service.polls(application)
    application.status = AppStatus.SUBMITTED
    assert service.polls(application)


def test_registering_twice_or_a_taken_prefix_is_an_error(services):
    services.register(TOY)  # the same definition again (a re-import) is harmless
    with pytest.raises(ValueError):
        services.register(ServiceDefinition(code="toy", name="x", prefix="X", statuses={}))
    with pytest.raises(ValueError):
        services.register(ServiceDefinition(code="other", name="x", prefix="T", statuses={}))
    with pytest.raises(UnknownService):
        services.get("housing")
    assert "toy" in services and [s.code for s in services] == ["toy"]


def test_refused_carries_a_stable_reason_and_its_figures():
    refused = Refused("cooldown", seconds=42)
    assert refused.reason == "cooldown" and refused.seconds == 42
    assert repr(refused) == "Refused('cooldown', seconds=42)"
    with pytest.raises(AttributeError):
        refused.minutes  # noqa: B018 - the attribute is what is tested


def test_text_for_fills_lazy_texts_and_callables(app):
    with app.test_request_context("/?lang=en"):
        _texts_for()


def _texts_for():
    table = {"cooldown": lambda seconds: f"wait {seconds} s", "plain": _l("Rejected"),
             "filled": "%(n)d left"}
    assert text_for(Refused("cooldown", seconds=3), table) == "wait 3 s"
    assert text_for(Refused("plain"), table) == "Rejected"
    assert text_for(Refused("filled", n=2), table) == "2 left"
    assert text_for(Refused("unknown"), table) == "unknown"


def test_reading_an_application_settles_it_through_its_service_only(services):
    """The core brings an application up to date on read without knowing the service: the
    catalogue calls the service's own `settle` (residence: the owners' hour), and an
    application of a service nobody registered is left as it is."""
    settled = []
    registry = Catalogue()
    registry.register(ServiceDefinition(code="toy", name="Toy", prefix="T", statuses={},
                                        settle=lambda a, _requester: settled.append(a)))
    mine, stray = Application(service="toy"), Application(service="gone")
    registry.settle(mine)
    registry.settle(stray)
    assert settled == [mine]
    assert services.get("toy").settle(mine) is None  # the default: nothing to bring up to date


def test_what_a_citizen_is_asked_comes_from_every_service(app):
    """The cabinet's "your consent is asked" list is what each registered service waits for
    (portal.core.services.applications names no journey)."""
    from portal.core.services import applications
    from portal.core.services.catalogue import catalogue

    asked = ServiceDefinition(code="asks", name="Asks", prefix="Q", statuses={},
                              awaiting_answer=lambda iin: [f"answer of {iin}"])
    catalogue.register(asked)
    try:
        found = applications.consents_awaiting("900101300001")
    finally:
        catalogue.unregister("asks")
    assert "answer of 900101300001" in found

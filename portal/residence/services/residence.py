"""Registration by place of residence: the draft, the route an address takes, submission.

Each function is one transaction. The registries are asked again at submission: what the
applicant saw on the path page is re-checked, never trusted from the draft.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from portal.clock import local_today
from portal.core import sms
from portal.core.models import Application, AppStatus, Service
from portal.core.registries import registries
from portal.core.services import drafts, lifecycle
from portal.domain import residence as rules
from portal.domain.people import Address, Dwelling, Person, RelationKind
from portal.domain.residence import Outcome  # noqa: F401  (re-exported: services import it here)
from portal.extensions import db

REASONS = ("moved", "bought", "rent", "relatives", "returned", "other")


@dataclass(frozen=True)
class Choice:
    """Someone the applicant may choose on the "who" step."""

    person: Person
    relation: str  # "self", "parent", "guardian"
    problem: rules.SubjectProblem | None


PREFIX = "R"  # application numbers R-<year in Almaty>-<sequence> (services.numbering)


def new_draft(applicant_iin: str, channel: str = "portal") -> Application:
    application = Application(service=Service.RESIDENCE, applicant_iin=applicant_iin,
                              status=AppStatus.DRAFT, data={}, channel=channel,
                              status_token=secrets.token_urlsafe(16))
    db.session.add(application)
    db.session.commit()
    return application


def draft_of(app_id: int, applicant_iin: str) -> Application | None:
    application = db.session.get(Application, app_id)
    if application is None or application.applicant_iin != applicant_iin:
        return None
    if application.service != Service.RESIDENCE:
        return None
    return application


def delete_draft(application: Application) -> bool:
    """With everything that hangs off it (portal.core.services.drafts); False once signed."""
    return drafts.erase(application)


def save(application: Application, **answers) -> None:
    """Store answers of one step; a changed person or address drops what depended on it."""
    lifecycle.change_data(application, **answers)  # under the application's lock
    if "subject_iin" in answers:
        application.subject_iin = answers["subject_iin"]
    if "address_id" in answers:
        application.address_id = answers["address_id"]
    db.session.commit()


def choices(applicant: Person) -> list[Choice]:
    """The applicant, then every child and ward the population registry links to them."""
    today = local_today()
    relations = registries().relations(applicant.iin)
    own_problem = rules.check_subject(applicant, applicant, relations, today)
    people = [Choice(applicant, "self", own_problem)]
    for relation in relations:
        kind = "parent" if relation.kind == RelationKind.PARENT else "guardian"
        problem = rules.check_subject(applicant, relation.ward, relations, today)
        people.append(Choice(relation.ward, kind, problem))
    return people


def subject_of(application: Application) -> Person | None:
    return registries().person(application.subject_iin) if application.subject_iin else None


def address_of(application: Application) -> Address | None:
    return registries().address(application.address_id) if application.address_id else None


@dataclass(frozen=True)
class RouteView:
    route: rules.Route
    dwelling: Dwelling | None


def route_of(application: Application, applicant: Person) -> RouteView | None:
    """Which path this draft's person and address take, from the registries as they are now."""
    subject = subject_of(application)
    if subject is None or application.address_id is None:
        return None
    dwelling = registries().dwelling(application.address_id)
    return RouteView(rules.route(applicant, subject, dwelling, local_today()), dwelling)


def route_key(route: rules.Route) -> str:
    """What the applicant was shown on the path page: the path and the owners to be asked."""
    return f"{route.path}:{','.join(owner.iin for owner in route.consenting_owners)}"


def accept_path(application: Application, route: rules.Route) -> None:
    """The applicant read the path page and goes on; submission checks the route is the same."""
    save(application, path_seen=True, route_seen=route_key(route))


def path_unseen(application: Application) -> None:
    """The route changed under the draft: the path page must be read again before signing."""
    save(application, path_seen=False)


def notify_applicant(application: Application, text: str) -> None:
    """Queue an SMS to the applicant's phone from the registry (sent after commit)."""
    applicant = registries().person(application.applicant_iin)
    if applicant and applicant.phone:
        return sms.enqueue(applicant.phone, text, purpose="applicant_notice")
    return None


def discard_changes() -> None:
    """A registry did not answer mid-request: nothing half-done is kept."""
    db.session.rollback()

"""States built through the services, not by walking the pages: each builder calls what the
routes call, in the order they call it, and returns the application in the state its name says.
One HTTP walk per path stays in the tests (tests/web/housing_helpers.walk, helpers.fill_draft);
the other tests start from a builder.

Call them inside the `app` fixture's app context (a test request context is opened here for
what the routes take from the request: the language, the signed text's labels)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import current_app

from portal.core.models import Application, AppStatus, SmsMessage
from portal.core.registries import registries
from portal.extensions import db
from portal.housing.office.services import hearings
from portal.housing.office.staff.models import StaffMember
from portal.housing.services import documents, housing, housing_after, housing_sms, submission
from portal.housing.signing import signed_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IP = "127.0.0.1"


def _code_sent_to(phone: str) -> str:
    message = db.session.scalars(sa.select(SmsMessage).where(SmsMessage.phone == phone)
                                 .order_by(SmsMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def filed_housing_application(applicant_iin: str, *, case: str = "no_housing",
                              settlement: str | None = None, category: str | None = None,
                              subject_iin: str | None = None, lang: str = "kk",
                              email: str = "") -> Application:
    """A housing application answered and signed with the SMS code as on the pages (who,
    registries, case, the conclusion for an emergency, settlement — the registries' one unless
    given —, category, family, contacts, consents), then submitted: the system has decided."""
    applicant = registries().person(applicant_iin)
    with current_app.test_request_context(f"/?lang={lang}"):
        application = housing.new_draft(applicant.iin)
        housing.save_who(application, applicant, subject_iin or applicant.iin)
        facts = housing.facts_of(application)
        housing.mark_registries_seen(application, facts)
        housing.save_case(application, case)
        if case == "emergency":
            documents.store_document(application, "conclusion", "c.pdf", PDF)
        housing.save_settlement(application, settlement or housing.current_settlement(facts))
        housing.save_category(application, category)
        housing.confirm_family(application)
        housing.save_contacts(application, applicant.phone, email, True)
        housing.save_consents(application, True, True)
        housing.send_signing_code(application, applicant, housing_sms.SIGN)
        submission.submit(application, applicant, _code_sent_to(applicant.phone),
                       signed_text(application, facts), IP, housing_sms.DECISIONS)
    db.session.expire_all()
    return db.session.get(Application, application.id)


def _expect(application: Application, status: str) -> Application:
    assert application.status == status, (application.status, status)
    return application


def housing_under_review(applicant_iin: str) -> Application:
    """An emergency case with no computed ground: waiting for the office's review."""
    return _expect(filed_housing_application(applicant_iin, case="emergency"),
                   AppStatus.UNDER_REVIEW)


def housing_at_preliminary_refusal(applicant_iin: str, **answers) -> Application:
    """A case the registries give a ground against: preliminary refusal, hearing proposed."""
    return _expect(filed_housing_application(applicant_iin, **answers),
                   AppStatus.PRELIMINARY_REFUSAL)


def housing_on_the_list(applicant_iin: str, **answers) -> Application:
    """A case with no ground: on the list with its number."""
    return _expect(filed_housing_application(applicant_iin, **answers), AppStatus.IN_QUEUE)


def housing_refused_after_hearing(applicant_iin: str, staff: StaffMember,
                                  motivation: str = "Sold within five years.",
                                  **answers) -> Application:
    """A preliminary refusal the office upheld at the hearing: finally refused. The controlled
    clock moves to the hearing's time: no final decision comes before it [002 p.17]."""
    application = housing_at_preliminary_refusal(applicant_iin, **answers)
    current_app.config["CLOCK"].set(housing_after.hearing_moment(application.data))
    with current_app.test_request_context("/"):
        hearings.hear(staff, application, housing.facts_of(application), "refused",
                            motivation, IP, hearings.Minutes(
                                participants="The applicant; the officer"))
    return _expect(application, AppStatus.REFUSED)


def housing_refused_with_complaint(applicant_iin: str, staff: StaffMember,
                                   text: str = "The hearing ignored my documents.",
                                   body: str = "provider_head", **answers) -> Application:
    """Finally refused, and the applicant's complaint to the provider's head is registered."""
    application = housing_refused_after_hearing(applicant_iin, staff, **answers)
    housing_after.complain(application, body, text)
    return application

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
from portal.core.services.requester import Requester
from portal.extensions import db
from portal.housing.office.services import hearings
from portal.housing.office.staff.models import StaffMember
from portal.housing.services import documents, housing, housing_after, housing_sms, submission
from portal.housing.signing import signed_text
from portal.residence.services import residence
from portal.residence.services import submission as residence_submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IP = "127.0.0.1"


def _code_sent_to(phone: str) -> str:
    message = db.session.scalars(sa.select(SmsMessage).where(SmsMessage.phone == phone)
                                 .order_by(SmsMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def housing_draft(applicant_iin: str, *, case: str = "no_housing",
                  settlement: str | None = None, category: str | None = None,
                  subject_iin: str | None = None, email: str = "") -> Application:
    """A housing draft answered as on the pages (who, registries, case, the conclusion for an
    emergency, settlement — the registries' one unless given —, category, family, contacts,
    consents): it stands at the check page, ready to sign."""
    applicant = registries().person(applicant_iin)
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
    return application


def filed_housing_application(applicant_iin: str, *, lang: str = "kk",
                              **answers) -> Application:
    """A housing_draft signed with the SMS code as on the pages, then submitted: the system
    has decided."""
    applicant = registries().person(applicant_iin)
    with current_app.test_request_context(f"/?lang={lang}"):
        application = housing_draft(applicant_iin, **answers)
        facts = housing.facts_of(application)
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


# --- residence ---------------------------------------------------------------------------------

def residence_url(application: Application, page: str = "") -> str:
    """/residence/<id> (what tests/web/helpers.fill_draft returns), or one of its pages."""
    return f"/residence/{application.id}" + (f"/{page}" if page else "")


def residence_draft(applicant_iin: str, search: str, *, subject_iin: str | None = None,
                    reason: str = "moved") -> Application:
    """A residence draft answered as on the pages (portal.residence.routes): who, the first
    address found for `search`, the path page read, the reason. It stands at the check page."""
    applicant = registries().person(applicant_iin)
    application = residence.new_draft(applicant.iin)
    residence.save(application, subject_iin=subject_iin or applicant.iin, path_seen=False)
    residence.save(application, address_id=registries().search_addresses(search)[0].id,
                   path_seen=False)
    found = residence_submission.review(application, applicant)
    assert found.view and found.view.route.online_possible and not found.existing, found
    residence.accept_path(application, found.view.route)
    residence.save(application, reason=reason, reason_other="")
    return application


def signed_residence_application(applicant_iin: str, search: str, *, lang: str = "kk",
                                 **answers) -> Application:
    """A residence draft signed with the SMS code and submitted, as residence.signing does;
    `lang` is the language of the applicant's pages (their SMS). Registered at once, or
    waiting for the owners' consent (their SMS sent and their hour running)."""
    applicant = registries().person(applicant_iin)
    application = residence_draft(applicant_iin, search, **answers)
    asking = Requester(iin=applicant.iin, lang=lang)
    row = residence_submission.send_signing_code(application, applicant, lang)
    residence_submission.sign_and_submit(application, applicant, row,
                                         _code_sent_to(applicant.phone), IP, asking)
    db.session.expire_all()
    return db.session.get(Application, application.id)


def residence_registered(applicant_iin: str, search: str, **answers) -> Application:
    """Signed for the applicant's own home (or a lease that needs no consent): registered."""
    return _expect(signed_residence_application(applicant_iin, search, **answers),
                   AppStatus.REGISTERED)


def residence_waiting_for_owners(applicant_iin: str, search: str, owners: int = 1,
                                 **answers) -> Application:
    """Signed for a home others own: their consent requests are out (SMS to each) and the
    application waits for `owners` answers."""
    application = _expect(signed_residence_application(applicant_iin, search, **answers),
                          AppStatus.AWAITING_CONSENT)
    assert len(application.consents) == owners, (len(application.consents), owners)
    return application

"""What the kiosk's 80 mm receipt shows (SPEC §2 "The paper receipt", [003 p.16]): number and
date, the service, the kiosk that took it, when the result is due, the status QR code, the
helpline, and the applicant's name masked (a receipt can be left on the counter)."""

from __future__ import annotations

import datetime as dt

from portal.core.models import Application, AppStatus
from portal.core.registries import registries
from portal.core.services.catalogue import catalogue
from portal.domain.masking import mask_name
from portal.extensions import db


def submitted_application(app_id: int, applicant_iin: str) -> Application | None:
    application = db.session.get(Application, app_id)
    if application is None or application.applicant_iin != applicant_iin:
        return None
    return None if application.status == AppStatus.DRAFT else application



def receipt_of(application: Application, device) -> dict:
    applicant = registries().person(application.applicant_iin)
    service = catalogue.of(application)
    due = service.result_due(application)
    return {
        "application": application,
        "kiosk_name": device.name if device else "",
        "masked_applicant": mask_name(applicant.surname, applicant.given_name) if applicant else "",
        "service": service,
        "due": due,
        "due_is_a_day": isinstance(due, dt.date) and not isinstance(due, dt.datetime),
        "rows": service.receipt_rows(application, True),  # the service's own [003 p.16] lines
    }

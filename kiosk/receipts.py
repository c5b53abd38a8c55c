"""What the kiosk's 80 mm receipt shows (SPEC §2 "The paper receipt", [003 p.16]): number and
date, the service, the kiosk that took it, when the result is due, the status QR code, the
helpline, and the applicant's full name and phone, as p.16 lists them. Not masked: the paper
is printed when the applicant presses for it and handed to them, like the ЦОН's own receipt;
what a visitor leaves on the screen is erased by the idle reset, and the receipt cannot be
printed again once the visit ends (kiosk/routes.py)."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date, format_datetime

from portal.core.models import Application, AppStatus
from portal.core.registries import registries
from portal.core.services.catalogue import catalogue
from portal.extensions import db


def submitted_application(app_id: int, applicant_iin: str) -> Application | None:
    application = db.session.get(Application, app_id)
    if application is None or application.applicant_iin != applicant_iin:
        return None
    return None if application.status == AppStatus.DRAFT else application



# Written out in every language ("2 December 2026, 15:04"), never "12/2/26".
MOMENT = "d MMMM y, HH:mm"
DAY = "d MMMM y"


def receipt_of(application: Application, device) -> dict:
    applicant = registries().person(application.applicant_iin)
    service = catalogue.of(application)
    due = service.result_due(application)
    rows = service.receipt_rows(application, True)  # the service's own [003 p.16] lines
    phone = (application.data or {}).get("phone") or (applicant.phone if applicant else "")
    if isinstance(due, dt.datetime):
        due_text = format_datetime(due, MOMENT)
    elif isinstance(due, dt.date):
        due_text = format_date(due, DAY)
    else:
        due_text = service.pending_due_text
    return {
        "application": application,
        "kiosk_name": device.name if device else "",
        "accepted": format_datetime(application.submitted_at, MOMENT),
        # A service whose rows name the people (housing: the applicant, the representative)
        # says it there; otherwise the kiosk names the applicant.
        "applicant": None if rows or applicant is None else
        ", ".join(part for part in (applicant.full_name, phone) if part),
        "service": service,
        "due_text": due_text,
        "rows": rows,
    }

"""What the kiosk's 80 mm receipt shows (SPEC §2 "The paper receipt", [003 p.16]): number and
date, the service, the kiosk that took it, when the result is due, the status QR code, the
helpline, and the applicant's name masked (a receipt can be left on the counter)."""

from __future__ import annotations

from portal.domain.masking import mask_name
from portal.extensions import db
from portal.models import Application, AppStatus, ConsentStatus
from portal.registries import registries


def submitted_application(app_id: int, applicant_iin: str) -> Application | None:
    application = db.session.get(Application, app_id)
    if application is None or application.applicant_iin != applicant_iin:
        return None
    return None if application.status == AppStatus.DRAFT else application


def result_due(application: Application):
    """When the result is (or was) given: the decision time of a closed application, else the
    end of the last owner's hour (None while an owner's SMS has not gone out yet)."""
    if application.closed_at is not None:
        return application.closed_at
    deadlines = [c.expires_at for c in application.consents if c.status == ConsentStatus.WAITING]
    if not deadlines or any(d is None for d in deadlines):
        return None
    return max(deadlines)


def receipt_of(application: Application, device) -> dict:
    applicant = registries().person(application.applicant_iin)
    return {
        "application": application,
        "kiosk_name": device.name if device else "",
        "masked_applicant": mask_name(applicant.surname, applicant.given_name) if applicant else "",
        "due": result_due(application),
    }

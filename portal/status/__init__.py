"""The status page behind every application's QR code: /s/<random token>.

Whoever holds the token sees the service, number, status, dates and masked consent states;
the applicant, signed in, also sees the person and the address."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from flask import Blueprint, abort, current_app, make_response

from portal.citizens import current_citizen
from portal.extensions import db
from portal.models import Application, AppStatus
from portal.residence import texts
from portal.services import consent, residence
from portal.web import render_page

bp = Blueprint("status", __name__)


def _by_token(token: str) -> Application:
    application = db.session.scalar(
        sa.select(Application).where(Application.status_token == token))
    if application is None or application.status == AppStatus.DRAFT:
        abort(404)
    return application


@bp.route("/s/<token>")
def show(token):
    application = _by_token(token)
    consent.settle(application)  # the hour is enforced on read, job or no job
    citizen = current_citizen()
    is_applicant = citizen is not None and citizen.iin == application.applicant_iin
    return render_page(
        "status/show.html", "consents", application=application, is_applicant=is_applicant,
        subject=residence.subject_of(application) if is_applicant else None,
        address=residence.address_of(application) if is_applicant else None,
        outcome_text=texts.OUTCOMES.get(application.outcome), time_left=consent.time_left)


@bp.route("/s/<token>/qr.svg")
def qr(token):
    """An SVG QR code of the status page's full address; cacheable, it never changes."""
    application = _by_token(token)
    url = f"{current_app.config['PUBLIC_URL']}/s/{application.status_token}"
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    response = make_response(buffer.getvalue())
    response.headers["Content-Type"] = "image/svg+xml"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response

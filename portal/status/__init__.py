"""The status page behind every application's QR code: /s/<random token>.

Whoever holds the token sees the service, number, status, dates and masked consent states;
the applicant, signed in, also sees what the service adds (residence: the person and the
address), from its ServiceDefinition."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, current_app, make_response

from portal.citizens import current_citizen
from portal.services import applications, consent
from portal.services.catalogue import UnknownService, catalogue
from portal.web import render_page

bp = Blueprint("status", __name__)


def _by_token(token: str):
    application = applications.by_status_token(token)
    if application is None:
        abort(404)
    return application


def _service(application):
    """The application's ServiceDefinition (portal.services.catalogue), if its journey is
    registered: the page takes the service's name, status tone and outcome texts from it."""
    try:
        return catalogue.of(application)
    except UnknownService:
        return None


@bp.route("/s/<token>")
def show(token):
    application = _by_token(token)
    consent.settle(application)  # the hour is enforced on read, job or no job
    citizen = current_citizen()
    is_applicant = citizen is not None and citizen.iin == application.applicant_iin
    service = _service(application)
    return render_page(
        "status/show.html", "consents", application=application, is_applicant=is_applicant,
        rows=service.status_rows(application, is_applicant) if service else (),
        service=service, outcome_text=service.outcome_text(application) if service else None,
        time_left=consent.time_left)


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

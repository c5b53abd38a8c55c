"""The status page behind every application's QR code: /s/<random token>.

Whoever holds the token sees the service, number, status, dates and masked consent states;
the applicant, signed in, also sees what the service adds (residence: the person and the
address), from its ServiceDefinition."""

from __future__ import annotations

import functools
import hashlib
import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, current_app, make_response, request

from portal.core.citizens import current_iin, requester
from portal.core.services import applications
from portal.core.services.catalogue import UnknownService, catalogue
from portal.core.web import render_page

bp = Blueprint("status", __name__)


def _by_token(token: str):
    application = applications.by_status_token(token)
    if application is None:
        abort(404)
    return application


def _service(application):
    """The application's ServiceDefinition (portal.core.services.catalogue), if its journey is
    registered: the page takes the service's name, status tone and outcome texts from it."""
    try:
        return catalogue.of(application)
    except UnknownService:
        return None


@bp.route("/s/<token>")
def show(token):
    """The public status page by its link's token, brought up to date on read."""
    application = _by_token(token)
    catalogue.settle(application, requester())  # residence: the owners' hour, on read
    reader = current_iin()  # from the session: the registry is not asked
    is_applicant = reader is not None and reader == application.applicant_iin
    service = _service(application)
    return render_page(
        "status/show.html", "consents", application=application, is_applicant=is_applicant,
        rows=service.status_rows(application, is_applicant) if service else (),
        service=service, outcome_text=service.outcome_text(application) if service else None,
        **(service.status_context if service else {}))


@functools.lru_cache(maxsize=2048)
def _qr_svg(url: str) -> tuple[bytes, str]:
    """The SVG and its ETag for a status page's address (a few KB; at most 2048 per worker)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue()
    return svg, hashlib.sha256(svg).hexdigest()[:32]


_QR_KNOWN = "qr_known_tokens"  # app.extensions: tokens already found submitted (per worker)


@bp.route("/s/<token>/qr.svg")
def qr(token):
    """An SVG QR code of the status page's full address. It never changes for a token (an
    application never goes back to draft), so a token once found is not looked up again, the
    SVG is made once per worker, and browsers keep it (ETag, a month, immutable)."""
    known = current_app.extensions.setdefault(_QR_KNOWN, set())
    if token not in known:
        _by_token(token)  # 404 for an unknown token or a draft
        if len(known) < 100_000:
            known.add(token)
    svg, etag = _qr_svg(f"{current_app.config['PUBLIC_URL']}/s/{token}")
    response = make_response(svg)
    response.headers["Content-Type"] = "image/svg+xml"
    response.headers["Cache-Control"] = "public, max-age=2592000, immutable"
    response.set_etag(etag)
    return response.make_conditional(request)

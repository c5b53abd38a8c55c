"""Kiosk screens: enrolment, the attract screen, services, status by number, finish/reset,
the 80 mm receipt, and handing a draft over to the visitor's phone."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Length, Regexp

from kiosk import devices, handoff, receipts, speech
from kiosk.profile import DEVICE_COOKIE, current_kiosk, end_visit
from portal.core.citizens import current_citizen, login_required
from portal.core.inputs import StringField
from portal.core.services.catalogue import catalogue
from portal.core.services.notices import public_url_for
from portal.core.web import render_page
from portal.domain.iin import is_valid as is_valid_iin
from portal.domain.languages import LANGUAGES
from portal.extensions import limiter
from portal.i18n import current_language

bp = Blueprint("kiosk", __name__)

# Reached from outside a kiosk: the enrolment link, and the phone side of a hand-over.
OPEN_ENDPOINTS = {"kiosk.enrol", "kiosk.to_phone", "kiosk.handoff_qr"}
DEVICE_COOKIE_YEARS = 5
# The Listen control's empty address in the kiosk layout (kiosk/_listen.html), filled in once
# the page is drawn: the words are read out of the page itself (kiosk.speech).
LISTEN_SLOT = b'data-kiosk-speech=""'
SPEECH_HEADER = "X-Kiosk-Speech"  # the same address for an htmx fragment (address results)
SPEECH_CACHE = "public, max-age=31536000, immutable"  # content-addressed: never changes

def _device_key() -> str:
    device = current_kiosk()
    return f"kiosk:{device.id}" if device else (request.remote_addr or "unknown")

@bp.before_request
def only_enrolled_kiosks():
    """Kiosk screens answer only an enrolled, unrevoked kiosk; a revoked one stops at once."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if current_kiosk() is None:
        return render_template("kiosk/refused.html"), 403
    return None

# What the attract screen says below the languages, in all three at once: what a visit is.
ATTRACT_STEPS = (_l("Choose a language"), _l("Choose a service"),
                 _l("Sign in with your IIN and a code sent by SMS"),
                 _l("Take your printed receipt"))


def in_every_language(texts) -> list[list[tuple[str, str]]]:
    """Each lazy text as [(language, words), ...] in kk, ru and en."""
    said = []
    for text in texts:
        words = []
        for language in LANGUAGES:
            with force_locale(language):
                words.append((language, str(text)))
        said.append(words)
    return said


@bp.route("/")
def attract():
    """The first screen: the three languages as big buttons; below them the services this
    kiosk offers and the steps of a visit, in the three languages. Nothing to finish yet."""
    end_visit_if_signed_in()
    offered = [service.name for service in catalogue if service.start_endpoint]
    return render_page("kiosk/attract.html", steps=in_every_language(ATTRACT_STEPS),
                       offered=in_every_language(offered))

def end_visit_if_signed_in() -> None:
    """The attract screen is where a visit starts: nobody is signed in there."""
    if current_citizen() is not None:
        end_visit(current_kiosk())

@bp.route("/services")
def services():
    """The kiosk's list of services."""
    return render_page("kiosk/services.html")

class StatusForm(FlaskForm):
    number = StringField(_l("Application number"), validators=[
        InputRequired(_l("Enter the application number")), Length(max=32)])
    iin = StringField(_l("IIN of the applicant"), validators=[
        InputRequired(_l("Enter the IIN")),
        Regexp(r"^\s*\d{12}\s*$", message=_l("The IIN is 12 digits"))])

@bp.route("/status", methods=["GET", "POST"])
@limiter.limit("30/hour", methods=["POST"])  # per kiosk: portal.channels.client_key
def status():
    """The status of an application by its number, for a visitor without a phone. The IIN is
    asked as well: numbers are sequential, and the kiosk must not page through strangers'."""
    form = StatusForm()
    if form.validate_on_submit():
        iin = form.iin.data.strip()
        found = devices.find_for_status(form.number.data, iin) if is_valid_iin(iin) else None
        if found is not None:
            return redirect(url_for("status.show", token=found.status_token), 303)
        form.number.errors.append(_("We found no application with this number and IIN. "
                                    "Check both against your receipt."))
    return render_page("kiosk/status.html", form=form)

def _to_attract():
    response = redirect(url_for("kiosk.attract"), 303)
    # The next visitor's Back button must find nothing: drop the browser's cache of pages.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    response.delete_cookie("lang")
    return response

@bp.route("/finish", methods=["POST"])
def finish():
    """The visitor is done: erase the visit at once."""
    end_visit(current_kiosk())
    return _to_attract()

@bp.route("/reset", methods=["POST"])
def reset():
    """The idle timer ran out (kiosk.js): the same as Finish."""
    end_visit(current_kiosk())
    return _to_attract()

@bp.route("/receipt/<int:app_id>")
@login_required
def receipt(app_id):
    """The 80 mm receipt printed after submission (SPEC §2 "The paper receipt")."""
    application = receipts.submitted_application(app_id, current_citizen().iin)
    if application is None:
        abort(404)
    return render_page("kiosk/receipt.html", **receipts.receipt_of(application, current_kiosk()))

@bp.route("/<int:app_id>/to-phone", methods=["GET", "POST"])
@login_required
def hand_over(app_id):
    """Continue on your phone: a QR code that opens this draft there after signing in."""
    draft = handoff.kiosk_draft(app_id, current_citizen().iin, current_kiosk())
    if draft is None:
        abort(404)
    token = handoff.start(draft)
    return render_page("kiosk/hand_over.html", draft=draft, token=token,
                       handoff_minutes=handoff.lifetime_minutes())

@bp.route("/to-phone/<token>/qr.svg")
def handoff_qr(token):
    """The hand-over link to the citizen's phone as a QR code (SVG), while it is pending."""
    if handoff.pending(token) is None:
        abort(404)
    url = public_url_for("kiosk.to_phone", token=token)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    response = make_response(buffer.getvalue())
    response.headers["Content-Type"] = "image/svg+xml"
    return response

@bp.route("/to-phone/<token>")
@limiter.limit("20/hour")
@login_required
def to_phone(token):
    """The phone side: after signing in as the same person, the draft is theirs to finish."""
    draft = handoff.take(token, current_citizen().iin)
    if draft is None:
        return render_page("kiosk/handoff_dead.html",
                           handoff_minutes=handoff.lifetime_minutes()), 404
    return redirect(url_for(f"{draft.service}.resume", app_id=draft.id), 303)

@bp.route("/enrol/<token>", methods=["GET", "POST"])
@limiter.limit("10/hour")
def enrol(token):
    """Opened once on the kiosk's own browser: it becomes that kiosk."""
    device = devices.pending(token)
    if device is None:
        return render_page("kiosk/enrol.html", device=None), 404
    if request.method == "POST":
        value = devices.enrol(token)
        if value is None:
            return render_page("kiosk/enrol.html", device=None), 404
        response = redirect(url_for("kiosk.attract"), 303)
        response.set_cookie(
            DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_YEARS * 365 * 24 * 3600,
            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response
    return render_page("kiosk/enrol.html", device=device)


@bp.route("/speech/<key>.opus")
def speech_audio(key):
    """A page's words as Ogg Opus, by their content address: the same bytes forever."""
    if len(key) != speech.KEY_LENGTH or not all(c in "0123456789abcdef" for c in key):
        abort(404)
    path = speech.audio(key)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="audio/ogg", conditional=True, etag=key, max_age=None)
    response.headers["Cache-Control"] = SPEECH_CACHE
    return response


def speak_page(response):
    """After a kiosk page is drawn: give its Listen control the address of the page's words.
    A full page fills the slot in the layout; an htmx fragment (new options on the same page)
    names its own in a header, which kiosk.js gives to the control."""
    if (response.status_code not in (200, 400, 404, 422) or response.mimetype != "text/html"
            or response.direct_passthrough or current_kiosk() is None):
        return response
    body = response.get_data()
    fragment = request.headers.get("HX-Request") == "true"
    if not fragment and LISTEN_SLOT not in body:
        return response
    lang = current_language()
    key = speech.remember(body.decode("utf-8"), lang, fragment=fragment)
    if key is None:
        return response
    url = url_for("kiosk.speech_audio", key=key)
    if fragment:
        response.headers[SPEECH_HEADER] = url
    else:
        response.set_data(body.replace(LISTEN_SLOT, f'data-kiosk-speech="{url}"'.encode(), 1))
    return response

"""The home page, the personal account ("My applications") and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from portal.core.citizens import login_required, requester, signed_in
from portal.core.services import applications
from portal.core.web import render_page
from portal.extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The home page: the services, and signing in."""
    return render_page("home.html")


@bp.route("/cabinet")
@login_required
def cabinet():
    """My applications: drafts to resume, submitted ones to follow, consents asked of me."""
    citizen = signed_in()  # the greeting's name is in the session: no registry read
    drafts, submitted = applications.of_applicant(citizen.iin, requester())
    return render_page("cabinet/index.html", drafts=drafts, submitted=submitted,
                       consents=applications.consents_awaiting(citizen.iin))


@bp.route("/healthz")
def healthz():
    """200 while the database answers; a load balancer takes the instance out otherwise.

    One round trip: a pooled connection in autocommit (no transaction to roll back afterwards),
    outside the request's ORM session (which then has nothing to end at teardown)."""
    try:
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("SELECT 1")
    except sa.exc.SQLAlchemyError:
        return jsonify(status="database unavailable"), 503
    return jsonify(status="ok")

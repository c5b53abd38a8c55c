"""Forwarding a complaint to the authority for quality of public services (SPEC §2
"Complaints"; [002 p.19]: the provider sends the complaint and the administrative file to the
reviewing body within 3 working days of receiving it).

The administrative file is assembled here as one package (a plain, JSON-ready dict): the
application as signed, its documents, the decisions with their signatures, the hearing's
minutes (the objections and the outcome), the status history and the staff audit trail.

It is handed over through `ComplaintAuthority`, the interface a real integration (the
authority's e-government channel) implements and names in COMPLAINT_AUTHORITY
("package.module:Class"). The embedded default, `StoredAuthority`, keeps the package with the
application as a document of kind "authority_package" and answers with a reference to it: the
package is kept, the complaint marked sent, and the office can download what was sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import Protocol

import sqlalchemy as sa
from flask import current_app
from werkzeug.utils import import_string

from portal.core.models import Application, StatusEvent
from portal.core.models.housing import HousingDocument, HousingDocumentContent
from portal.core.models.signing import Signature
from portal.extensions import db
from portal.housing.office.staff.models import StaffAudit

PACKAGE_KIND = "authority_package"  # HousingDocument.kind of a stored package
PACKAGE_VERSION = 1


class ComplaintAuthority(Protocol):
    def forward(self, application: Application, package: dict) -> str:
        """Hand the package over; return the authority's reference for it. Called inside the
        forwarding transaction: raise to leave the complaint unforwarded (rolled back)."""
        ...


class StoredAuthority:
    """The embedded default: the package is stored with the application (not committed: the
    forward's transaction commits it with the complaint marked sent)."""

    def forward(self, application: Application, package: dict) -> str:
        content = json.dumps(package, ensure_ascii=False, indent=1).encode()
        document = HousingDocument(
            application_id=application.id, kind=PACKAGE_KIND,
            stored_name=f"{secrets.token_hex(16)}.json",
            original_name=f"administrative-file-{application.number}.json",
            mime="application/json", size=len(content))
        db.session.add(document)
        db.session.flush()
        db.session.add(HousingDocumentContent(document_id=document.id, content=content))
        return f"stored:{document.id}"


def authority() -> ComplaintAuthority:
    configured = current_app.config.get("COMPLAINT_AUTHORITY")
    if isinstance(configured, str):
        return import_string(configured.replace(":", "."))()
    return configured or StoredAuthority()


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def package_of(application: Application, complaint: dict, forwarded_by: str,
               at: dt.datetime) -> dict:
    """The administrative file of one application for one complaint (module docstring)."""
    documents = db.session.execute(
        sa.select(HousingDocument, HousingDocumentContent.content)
        .outerjoin(HousingDocumentContent,
                   HousingDocumentContent.document_id == HousingDocument.id)
        .where(HousingDocument.application_id == application.id,
               HousingDocument.kind != PACKAGE_KIND)
        .order_by(HousingDocument.id)).all()
    signatures = db.session.scalars(sa.select(Signature).where(
        Signature.application_id == application.id).order_by(Signature.id)).all()
    events = db.session.scalars(sa.select(StatusEvent).where(
        StatusEvent.application_id == application.id)
        .order_by(StatusEvent.at, StatusEvent.id)).all()
    audit = db.session.scalars(sa.select(StaffAudit).where(
        StaffAudit.application_id == application.id)
        .order_by(StaffAudit.at, StaffAudit.id)).all()
    data = application.data or {}
    return {
        "version": PACKAGE_VERSION,
        "forwarded_at": at.isoformat(),
        "forwarded_by": forwarded_by,
        "complaint": complaint,
        "application": {
            "number": application.number, "service": application.service,
            "status": application.status, "applicant_iin": application.applicant_iin,
            "subject_iin": application.subject_iin, "submitted_at": _iso(
                application.submitted_at), "closed_at": _iso(application.closed_at),
            "data": data,
        },
        "documents": [{"kind": d.kind, "name": d.original_name, "mime": d.mime,
                       "size": d.size, "uploaded_at": _iso(d.uploaded_at),
                       "content_base64": base64.b64encode(c).decode() if c else None}
                      for d, c in documents],
        "signatures": [{"purpose": s.purpose, "method": s.method, "signer_iin": s.signer_iin,
                        "signed_at": _iso(s.signed_at), "content": s.content,
                        "content_sha256": s.content_sha256, "cms": s.cms,
                        "certificate_serial": s.certificate_serial} for s in signatures],
        "decisions": {key: data[key] for key in (
            "grounds", "motivation", "refusal_motivation", "queue_number", "hearing_at",
            "notice_due", "decision_due") if key in data},
        "hearing": {"objections": data.get("objections", []),
                    "hearing_at": data.get("hearing_at"), "minutes": data.get("hearing")},
        "status_history": [{"at": _iso(e.at), "status": e.status, "actor": e.actor,
                            "note": e.note} for e in events],
        "audit_trail": [{"at": _iso(a.at), "login": a.login, "action": a.action,
                         "before": a.before, "after": a.after} for a in audit],
    }

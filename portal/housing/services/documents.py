"""The files an application carries (the expert's conclusion, an objection's, a category's
supporting data): checked by content, capped per application and per person per day, kept in
the database with their bytes."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

import filetype
import sqlalchemy as sa

from portal.clock import now
from portal.core.models import Application, AppStatus, AuditEvent
from portal.core.models.housing import HousingDocument, HousingDocumentContent
from portal.core.services import turns
from portal.domain import limits
from portal.extensions import db
from portal.housing.services.errors import HousingRefused

MAX_UPLOAD_BYTES = limits.UPLOAD_MAX_BYTES  # [SPEC §2]: the expert's conclusion
DOCUMENTS_PER_APPLICATION = limits.DOCUMENTS_PER_APPLICATION
UPLOADS_PER_DAY = limits.UPLOADS_PER_PERSON_PER_DAY  # per applicant, within 24 hours
UPLOADED = "document_uploaded"  # AuditEvent.kind of each accepted file
DAY = dt.timedelta(hours=24)
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def check_upload(content: bytes) -> str:
    """The MIME type by content (never the name or the browser's word); HousingRefused
    `empty`, `too_large` or `wrong_type`."""
    if not content:
        raise HousingRefused("empty")
    if len(content) > MAX_UPLOAD_BYTES:
        raise HousingRefused("too_large")
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise HousingRefused("wrong_type")
    return kind.mime


def _safe_name(name: str) -> str:
    name = Path(name or "").name
    return re.sub(r"[^\w.\- ]", "_", name)[:120] or "file"


def add_document(application: Application, kind: str, filename: str,
                 content: bytes) -> HousingDocument:
    """Check the file and the caps, and add it with its bytes (not committed: the caller's
    transaction holds the applicant's turn until it commits). HousingRefused as
    `check_upload`, or `too_many_documents` / `too_many_uploads` (rolled back)."""
    mime = check_upload(content)
    _check_caps(application)
    document = HousingDocument(application_id=application.id, kind=kind,
                               stored_name=f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}",
                               original_name=_safe_name(filename), mime=mime,
                               size=len(content))
    db.session.add(document)
    db.session.flush()
    db.session.add(HousingDocumentContent(document_id=document.id, content=content))
    # The daily count's record: it outlives the document and its draft.
    db.session.add(AuditEvent(kind=UPLOADED, iin=application.applicant_iin,
                              detail=f"application {application.id}: {kind}, {len(content)} B"))
    return document


def store_document(application: Application, kind: str, filename: str,
                   content: bytes) -> HousingDocument:
    document = add_document(application, kind, filename, content)
    db.session.commit()
    return document


def _check_caps(application: Application) -> None:
    """DOCUMENTS_PER_APPLICATION and UPLOADS_PER_DAY, counted in the applicant's turn, so
    uploads sent at once (two tabs, a script) cannot all slip under the cap."""
    turns.take_turn(f"upload:{application.applicant_iin}")
    held = db.session.scalar(sa.select(sa.func.count(HousingDocument.id)).where(
        HousingDocument.application_id == application.id))
    if held >= DOCUMENTS_PER_APPLICATION:
        db.session.rollback()
        raise HousingRefused("too_many_documents")
    sent = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.iin == application.applicant_iin, AuditEvent.kind == UPLOADED,
        AuditEvent.at > now() - DAY))
    if sent >= UPLOADS_PER_DAY:
        db.session.rollback()
        raise HousingRefused("too_many_uploads")


# Built once, with bound parameters: the check page lists the documents on every view.
_DOCUMENTS = (sa.select(HousingDocument)
              .where(HousingDocument.application_id == sa.bindparam("application_id"))
              .order_by(HousingDocument.id))
_DOCUMENTS_OF_KIND = _DOCUMENTS.where(HousingDocument.kind == sa.bindparam("kind"))


def documents_of(application: Application, kind: str | None = None) -> list[HousingDocument]:
    if kind:
        return list(db.session.scalars(_DOCUMENTS_OF_KIND,
                                       {"application_id": application.id, "kind": kind}))
    return list(db.session.scalars(_DOCUMENTS, {"application_id": application.id}))


def document_of(application: Application, document_id: int) -> HousingDocument | None:
    document = db.session.get(HousingDocument, document_id)
    return document if document and document.application_id == application.id else None


def document_content(document: HousingDocument) -> bytes | None:
    """The file's bytes; None for a file uploaded before they were kept in the database
    (migration ki5e6r7a8s9e did not move the old files off the disk)."""
    return db.session.scalar(sa.select(HousingDocumentContent.content).where(
        HousingDocumentContent.document_id == document.id))


def remove_document(application: Application, document_id: int) -> None:
    document = document_of(application, document_id)
    if document is not None and application.status == AppStatus.DRAFT:
        db.session.delete(document)  # its bytes cascade in the schema
        db.session.commit()


def has_conclusion(application: Application) -> bool:
    return bool(documents_of(application, "conclusion"))



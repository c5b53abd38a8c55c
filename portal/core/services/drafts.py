"""Erasing drafts: a draft goes with everything that hangs off it; a signed application never.

A draft that reached signing holds rows in other tables: the ЭЦП challenge its check page
issued, the SMS signing code, uploaded documents (their bytes cascade), status events.
Deleting the application alone broke their foreign keys (a 500, the draft stayed, and at a
kiosk the next visitor inherited the session). So the children go first, then the
application, in one transaction; `CHILDREN` names every table whose key onto
`application.id` does not already cascade in the schema (tests/web/test_erasing_drafts.py
checks none is missing). Kiosk hand-overs and the queue entry cascade (or are set NULL) in
the schema.

`signature` is deliberately not a child: an application with a signature is signed, and its
key (no ON DELETE) makes even a mistaken delete fail in the database.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from portal.core.models import (
    Application,
    AppStatus,
    ConsentRequest,
    HousingDocument,
    OneTimeCode,
    SigningChallenge,
    StatusEvent,
)
from portal.extensions import db

# Children whose key onto application.id has no ON DELETE in the schema, deleted first.
CHILDREN = (SigningChallenge, OneTimeCode, StatusEvent, ConsentRequest, HousingDocument)


def erase(application: Application) -> bool:
    """Delete this draft and all that hangs off it (commits). False, with nothing deleted, when
    the database says it is no draft any more (the object in hand may be stale: a second tab
    signed it a moment ago)."""
    return _erase(sa.select(Application.id).where(Application.id == application.id)) == 1


def erase_unsigned_of(applicant_iin: str, channel: str) -> int:
    """Delete every draft this person made on one channel ("kiosk:<id>"): how many (commits)."""
    return _erase(sa.select(Application.id).where(Application.applicant_iin == applicant_iin,
                                                  Application.channel == channel))


def erase_untouched(channel_prefix: str, before: dt.datetime) -> int:
    """Delete the drafts of a channel family ("kiosk:") not changed since `before` (commits):
    what a visit left behind when erasing it failed."""
    return _erase(sa.select(Application.id).where(Application.channel.startswith(channel_prefix),
                                                  Application.updated_at < before))


def _erase(query: sa.Select) -> int:
    # The rows are locked first (PostgreSQL), so a submission running now either finished
    # before (the row is no draft: not chosen) or waits and then finds nothing to submit.
    ids = list(db.session.scalars(query.where(Application.status == AppStatus.DRAFT)
                                  .with_for_update()))
    if not ids:
        db.session.rollback()
        return 0
    _delete_children(ids)
    gone = db.session.execute(
        sa.delete(Application).where(Application.id.in_(ids),
                                     Application.status == AppStatus.DRAFT)
        .execution_options(synchronize_session=False)).rowcount
    if gone != len(ids):  # one was signed in between: delete nothing at all
        db.session.rollback()
        return 0
    db.session.commit()
    _forget(ids)
    return gone


def _delete_children(ids: list[int]) -> None:
    # A document's bytes cascade from it in the schema (housing_document_content).
    for child in CHILDREN:
        db.session.execute(sa.delete(child).where(child.application_id.in_(ids))
                           .execution_options(synchronize_session=False))


def _forget(ids: list[int]) -> None:
    """The session must not flush the deleted rows' objects again."""
    for obj in list(db.session.identity_map.values()):
        # the identity, not obj.id: reading an attribute would load the deleted row
        if isinstance(obj, Application) and sa.inspect(obj).identity[0] in ids:
            db.session.expunge(obj)

"""Staff decisions signed with ЭЦП (SPEC §2 "Preliminary decision and hearing": the final
decision is signed with the ЭЦП of an authorised person).

Where ЭЦП is configured (a trust store: `app.extensions["ecp_verifier"]`), every result after
the hearing (the positive one too [002 p.17]) and the head's answer to a complaint are issued
only with a verified signature by
the deciding staff member's own key: the certificate's IIN must be the account's
(`flask staff set-iin`). The signed text is canonical (portal.ecp.canonical): the application's
number, the decision, the grounds stored with the preliminary refusal (for a refusal), the
hearing's minutes, its motivation, who decides, and a single-use server nonce, in the staff
member's language. The form posts the decision's fields back with the CMS; the text is rebuilt
from them, so a changed motivation no longer matches the challenge's digest and is refused.

The decision itself is portal.housing.office.services.housing_office's, unchanged: the Signature is
added to
its transaction, so a decision and its signature are committed together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal import ecp
from portal.core.models import Application
from portal.core.services import signing
from portal.core.services.catalogue import catalogue
from portal.core.services.errors import Refused
from portal.domain.housing import office as rules
from portal.domain.housing.grounds import Ground
from portal.ecp import signing as ecp_signing
from portal.extensions import db
from portal.housing import labels
from portal.housing.office.services import complaints, hearings, housing_office
from portal.housing.office.staff.models import StaffMember
from portal.housing.services import documents

FINAL_REFUSAL = "final_refusal"  # the hearing's result, either outcome (the purpose's name kept)
COMPLAINT = "complaint"  # the head's answer to complaint number `index`

DECISIONS = {
    FINAL_REFUSAL: _l("Final refusal after the hearing"),
    rules.HearingOutcome.REGISTERED.value: _l("Registered in the list after the hearing"),
    rules.ComplaintOutcome.SATISFIED.value: _l("The complaint is satisfied"),
    rules.ComplaintOutcome.PARTLY.value: _l("The complaint is partly satisfied"),
    rules.ComplaintOutcome.REFUSED.value: _l("The complaint is refused"),
}


@dataclass(frozen=True)
class Pending:
    """A decision waiting for its signature: what the form posts back with the CMS."""

    kind: str  # FINAL_REFUSAL | COMPLAINT
    outcome: str  # the hearing's or the complaint's outcome
    motivation: str
    index: int = 0  # the complaint's position (COMPLAINT only)
    participants: str = ""  # the hearing's minutes (FINAL_REFUSAL only)
    statement: str = ""
    files_read: tuple[int, ...] = ()

    @property
    def minutes(self) -> hearings.Minutes:
        return hearings.Minutes(self.participants, self.statement, self.files_read)

    @property
    def purpose(self) -> str:
        """One signature per decision of an application (Signature is unique per purpose)."""
        return FINAL_REFUSAL if self.kind == FINAL_REFUSAL else f"{COMPLAINT}_{self.index}"

    def fields(self) -> tuple[tuple[str, str], ...]:
        return (("kind", self.kind), ("outcome", self.outcome),
                ("motivation", self.motivation), ("index", str(self.index)),
                ("participants", self.participants), ("statement", self.statement),
                ("files_read", ",".join(str(f) for f in self.files_read)))


def required() -> bool:
    """Whether final decisions need the staff member's ЭЦП here (ЭЦП is configured)."""
    return current_app.extensions.get("ecp_verifier") is not None


def needs_signature(kind: str, outcome: str) -> bool:
    """Every hearing result and every answer to a complaint, where ЭЦП is configured."""
    del outcome  # the positive result is signed too [002 p.17]
    return required() and kind in (FINAL_REFUSAL, COMPLAINT)


def decision_text(staff: StaffMember, application: Application, pending: Pending, nonce: str,
                  language: str) -> str:
    data = application.data or {}
    with force_locale(language):
        hearing = pending.kind == FINAL_REFUSAL
        refused = hearing and pending.outcome == rules.HearingOutcome.REFUSED.value
        decision = DECISIONS[(FINAL_REFUSAL if refused else pending.outcome)]
        lines = [(str(_l("Decision")), str(decision))]
        if refused:  # the grounds with their references, from the stored decision
            lines.append((str(_l("Grounds")), "; ".join(
                f"{labels.GROUND_NAMES[Ground(g)]} ({labels.GROUND_REFERENCES[Ground(g)]})"
                for g in data.get("grounds", []))))
        if hearing:
            lines += [(str(_l("Who took part in the hearing")),
                       " ".join(pending.participants.split())),
                      (str(_l("What the applicant said")), " ".join(pending.statement.split())),
                      (str(_l("Files read")), ", ".join(
                          d.original_name for d in documents.documents_of(application)
                          if d.id in pending.files_read) or "—")]
        lines += [(str(_l("Motivation")), " ".join(pending.motivation.split())),
                  (str(_l("Decided by")), f"{staff.full_name} ({staff.iin})")]
        return signing.normalize(ecp.canonical_text(
            service=str(catalogue.of(application).name), reference=application.number,
            nonce=nonce, lines=lines, language=language))


def start(staff: StaffMember, application: Application, pending: Pending,
          language: str) -> ecp_signing.Challenge:
    """A nonce and the text for NCALayer to sign (committed). Refused("no_iin") when the
    account has no IIN: nobody's certificate could be checked against it."""
    if not staff.iin:
        raise housing_office.OfficeRefused("no_iin")
    if pending.kind == FINAL_REFUSAL and not hearings.decision_open(application):
        raise housing_office.OfficeRefused("hearing_not_yet")  # nothing to sign yet
    return ecp_signing.new_challenge(
        lambda nonce: decision_text(staff, application, pending, nonce, language),
        application=application, purpose=pending.purpose, iin=staff.iin)


def finish(staff: StaffMember, application: Application, pending: Pending, nonce: str,
           cms_b64: str, language: str, facts, ip: str | None) -> None:
    """Verify the staff member's CMS over the decision's text, then issue the decision with
    the Signature in its transaction. Raises Refused("ecp_*") or OfficeRefused."""
    if not staff.iin:
        raise housing_office.OfficeRefused("no_iin")
    if not cms_b64 or len(cms_b64) > ecp_signing.MAX_CMS_CHARS:
        raise Refused(f"ecp_{ecp.Reason.MALFORMED.value}")
    text = decision_text(staff, application, pending, nonce, language)
    try:
        signing.sign_with_ecp(application, staff.iin, nonce, cms_b64, text, pending.purpose)
    except Refused:
        db.session.rollback()
        raise
    if pending.kind == FINAL_REFUSAL:
        hearings.hear(staff, application, facts, pending.outcome, pending.motivation, ip,
                            pending.minutes)
    else:
        complaints.answer_complaint(staff, application, pending.index, pending.outcome,
                                        pending.motivation, facts, ip)

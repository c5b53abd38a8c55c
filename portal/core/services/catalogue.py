"""The services the portal offers, each described once: the shared pages (status, receipt, the
cabinet) and the shared services (numbering, notices, signing) ask the definition instead of
testing `if application.service == ...`.

A journey registers its ServiceDefinition when its package is imported (phase 2: from
create_app, next to its blueprint). Texts are lazy strings, so a definition is made at import
time and read in the request's language. Row builders take the application and whether the
reader is the applicant (a status page read through the QR code shows no personal data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.core.models import Application
from portal.core.services.errors import Refused
from portal.core.services.requester import NOBODY, Requester


@dataclass(frozen=True)
class Row:
    """One line of a summary list: a label and its value (both already displayable)."""

    label: Any  # a lazy string
    value: Any


RowBuilder = Callable[[Application, bool], Sequence[Row]]


def _no_rows(application: Application, is_applicant: bool) -> Sequence[Row]:
    return ()


def _nothing_missing(application: Application) -> str | None:
    return None


def _not_known(application: Application) -> dt.date | dt.datetime | None:
    return None


def _up_to_date(application: Application, requester: Requester = NOBODY) -> None:
    return None


def _nothing_asked(iin: str) -> Sequence[Any]:
    return ()


@dataclass(frozen=True)
class ServiceDefinition:
    code: str  # Application.service
    name: Any  # lazy: "Registration at place of residence"
    prefix: str  # application numbers: "R" gives R-2026-000001
    statuses: Mapping[str, Any]  # status code -> lazy label, in the order of the life cycle
    final_statuses: frozenset[str] = frozenset()
    good_statuses: frozenset[str] = frozenset()  # shown as a success (a green tag)
    start_endpoint: str = ""  # the service's start page
    start_label: Any = ""  # the cabinet's button: "Register at an address"
    resume_endpoint: str = ""  # a draft: where "Continue" goes (takes the draft's id)
    done_endpoint: str = ""  # a submitted application's confirmation page
    receipt_endpoint: str = ""  # its printable receipt
    delete_endpoint: str = ""  # deleting a draft from the cabinet (POST)
    id_arg: str = "app_id"  # the URL argument those endpoints take
    status_rows: RowBuilder = _no_rows  # the status page, after number/service/dates
    receipt_rows: RowBuilder = _no_rows  # the receipt, after number/date/service
    cabinet_rows: RowBuilder = _no_rows  # a line in "My applications"
    # A page of the application the cabinet links to beside its number: (label, endpoint) or
    # None (housing: the list member's own page, while on the list).
    cabinet_link: Callable[[Application], tuple[Any, str] | None] | None = None
    outcome_texts: Mapping[str, Any] = field(default_factory=dict)  # Application.outcome -> text
    # What only this service shows on the shared status page (residence: the owners' consents),
    # included inside the page's htmx block; the block polls while the status is in
    # poll_statuses (waiting for someone else: the page refreshes itself).
    status_partial: str | None = None
    poll_statuses: frozenset[str] = frozenset()
    # When the result is due (a receipt's "Result due"): a date, a moment, or None while it is
    # not known yet, and then pending_due_text says what it depends on.
    result_due: Callable[[Application], dt.date | dt.datetime | None] = _not_known
    pending_due_text: Any = ""
    # Signing with ЭЦП (portal.ecp.routes), offered only when both are given:
    # signed_lines(draft) -> the check page's (label, value) lines, already in the request's
    # language (the signed text is built from them with the number/draft id and a nonce);
    # submit_signed(draft, signature, requester) submits the draft whose Signature was just
    # recorded, in the same transaction, and commits; False if it was no longer a draft
    # (`requester`, built by the route, words the applicant's SMS in their language).
    signed_lines: Callable[[Application], Sequence[tuple[Any, Any]]] | None = None
    submit_signed: Callable[[Application, Any, Requester], bool] | None = None
    # What the citizen reads when submit_signed refuses (errors.Refused reason -> text).
    refusal_texts: Mapping[str, Any] = field(default_factory=dict)
    # The journey's one completeness check: the first step a draft has not answered (its
    # wizard's step name), or None when it may be signed. Every way of signing asks it through
    # require_complete, before the signature is checked and again at the moment of submission.
    missing_step: Callable[[Application], str | None] = _nothing_missing
    # Reading an application brings it up to date first (residence: the owners' hour is
    # enforced on read, job or no job); the status page and the cabinet call it. In the
    # service's transaction rules: it commits what it changes.
    settle: Callable[[Application, Requester], None] = _up_to_date
    # What the service waits for this citizen to answer, listed in their cabinet (residence:
    # the consents asked of an owner, only those still open on this read).
    awaiting_answer: Callable[[str], Sequence[Any]] = _nothing_asked
    # What the service's part of the status page needs besides the application (residence:
    # time_left of a consent).
    status_context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def signs_with_ecp(self) -> bool:
        return self.signed_lines is not None and self.submit_signed is not None

    def status_label(self, status: str) -> str:
        label = self.statuses.get(status)
        return str(label) if label is not None else status

    def tone(self, status: str) -> str:
        """"ok", "bad" or "wait": how the status tag looks."""
        if status in self.good_statuses:
            return "ok"
        return "bad" if status in self.final_statuses else "wait"

    def outcome_text(self, application: Application) -> str | None:
        text = self.outcome_texts.get(application.outcome) if application.outcome else None
        return str(text) if text is not None else None

    def polls(self, application: Application) -> bool:
        return application.status in self.poll_statuses

    def endpoint_args(self, application: Application) -> dict:
        return {self.id_arg: application.id}


class UnknownService(LookupError):
    pass


class Catalogue:
    """The registry. The app has one (`catalogue`); tests may build their own."""

    def __init__(self) -> None:
        self._by_code: dict[str, ServiceDefinition] = {}

    def register(self, definition: ServiceDefinition) -> ServiceDefinition:
        known = self._by_code.get(definition.code)
        if known is not None and known is not definition:
            raise ValueError(f"service {definition.code!r} is already registered")
        if any(d.prefix == definition.prefix and d.code != definition.code
               for d in self._by_code.values()):
            raise ValueError(f"number prefix {definition.prefix!r} is already taken")
        self._by_code[definition.code] = definition
        return definition

    def get(self, code: str) -> ServiceDefinition:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownService(code) from None

    def of(self, application: Application) -> ServiceDefinition:
        return self.get(application.service)

    def settle(self, application: Application, requester: Requester = NOBODY) -> None:
        """Bring an application up to date on read (its service's `settle`), if its service is
        registered; `requester` is who reads it, in which language (their SMS's)."""
        definition = self._by_code.get(application.service)
        if definition is not None:
            definition.settle(application, requester)

    def __iter__(self) -> Iterator[ServiceDefinition]:
        return iter(self._by_code.values())

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def unregister(self, code: str) -> None:
        """For tests only."""
        self._by_code.pop(code, None)


catalogue = Catalogue()
register = catalogue.register


class Incomplete(Refused):
    """A draft sent to be signed before every step was answered: nothing is signed or
    submitted (`step`: the first step that is missing)."""

    def __init__(self, step: str):
        super().__init__("incomplete", step=step)


def require_complete(application: Application) -> None:
    """Raise Incomplete unless the draft's journey has every answer it needs. Writes nothing."""
    if application.service not in catalogue:
        return
    step = catalogue.of(application).missing_step(application)
    if step is not None:
        raise Incomplete(step)

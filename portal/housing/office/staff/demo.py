"""Two demo staff accounts with fixed passwords and TOTP secrets, for `flask demo seed` only.

They are printed in the README so a visitor can try the office; never in production (the
caller seeds them only in demo mode).
"""

from __future__ import annotations

from . import accounts

DEMO_STAFF = (
    # login, full name, role, settlements, password, TOTP secret (base32), IIN (their ЭЦП's)
    ("officer", "Айгүл Серікқызы Нұрланова", "officer", ["almaty", "astana", "karaganda"],
     "demo-officer-2026", "JBSWY3DPEHPK3PXPOFFICERA", "840512473013"),
    ("head", "Ерлан Бақытұлы Омаров", "head", ["almaty", "astana", "shymkent", "karaganda"],
     "demo-head-2026", "JBSWY3DPEHPK3PXPHEADHEAD", "790203373021"),
)


def seed_demo_staff() -> int:
    """Create the demo staff that are missing; returns how many were created."""
    created = 0
    for login, name, role, settlements, password, secret, iin in DEMO_STAFF:
        if accounts.by_login(login) is None:
            accounts.add(login, name, role, settlements, password, totp_secret=secret, iin=iin)
            created += 1
    return created


# The housing office's demo work (README "The housing office (staff)"): submitted as the
# citizen's journey would, then left where staff take over. (person, case, settlement)
DEMO_CASES = (
    ("emergency", "emergency", "karaganda"),  # an emergency case awaiting review
    ("sold_recently", "no_housing", "astana"),  # a preliminary refusal awaiting its hearing
    ("worsened", "no_housing", "almaty"),  # a preliminary refusal, with a complaint to the head
)
DEMO_COMPLAINT = ("worsened", "The flat was sold to pay for my mother's surgery; the hearing "
                              "did not read my documents.")
DEMO_CONCLUSION = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed_demo_cases(people: dict[str, str]) -> int:
    """File the demo housing applications that are missing (`people`: demo key -> IIN); returns
    how many were filed. Safe to run again: a person with a submitted application is skipped."""
    from portal.clock import now
    from portal.core.models import AppStatus
    from portal.core.registries import registries
    from portal.core.services import lifecycle, notices, numbering
    from portal.housing.services import documents, housing, housing_after, submission

    filed = 0
    for key, case, settlement in DEMO_CASES:
        iin = people[key]
        if any(a.status != AppStatus.DRAFT for a in housing.drafts_of(iin)):
            continue
        person = registries().person(iin)
        application = housing.new_draft(iin)
        housing.save_who(application, person, iin)
        facts = housing.facts_of(application)
        housing.mark_registries_seen(application, facts)
        housing.save_case(application, case)
        if case == "emergency":
            documents.store_document(application, "conclusion", "conclusion.pdf", DEMO_CONCLUSION)
        housing.save_settlement(application, settlement)
        housing.save_category(application, None)
        housing.confirm_family(application)
        housing.save_contacts(application, person.phone, "", True)
        housing.save_consents(application, True, True)
        moment = now()
        lifecycle.claim_for_submission(application, note="demo seed", at=moment)
        numbering.assign(application, submission.PREFIX, moment)
        submission.decide(application, facts, moment)
        notices.commit()
        if key == DEMO_COMPLAINT[0]:
            housing_after.complain(application, "provider_head", DEMO_COMPLAINT[1])
        filed += 1
    return filed

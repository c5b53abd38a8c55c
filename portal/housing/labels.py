"""Names of the housing list's domain codes (refusal grounds with their legal references, the
two cases, complaint bodies), shared by the citizen's journey (portal.housing) and the office
(portal.housing.office), which must not import each other."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from portal.domain import limits
from portal.domain.housing.deadlines import ComplaintBody, HearingWay
from portal.domain.housing.grounds import Ground

GROUND_NAMES = {
    Ground.ON_UNIFIED_BASE: _l(
        "Already registered on the unified republican e-base of people in need of housing"),
    Ground.OWNED_IN_FIVE_YEARS: lazy_ngettext(
        "Owned a dwelling in the Republic of Kazakhstan in the last %(num)d year",
        "Owned a dwelling in the Republic of Kazakhstan in the last %(num)d years",
        limits.LOOK_BACK_YEARS),
    Ground.OWNED_IN_SETTLEMENT: _l(
        "Owned a dwelling in this settlement (housing fund of a state institution)"),
    Ground.OWNED_IN_RK: _l(
        "Owned a dwelling in the Republic of Kazakhstan (housing fund of a state enterprise)"),
    Ground.HAD_STATE_RENTAL: _l(
        "Had a dwelling from the state housing fund or one rented by the local executive body "
        "in the private housing fund"),
    Ground.UNRELIABLE_DATA: _l("The documents or data submitted were found unreliable"),
    Ground.PRIVATISED: _l(
        "Received and privatised a dwelling from the state housing fund before"),
    Ground.EMERGENCY_ELSEWHERE: _l(
        "The only dwelling, declared emergency, is in another settlement"),
    Ground.STATE_MORTGAGE: _l(
        "Bought a dwelling with a mortgage loan under a state or National Bank mortgage "
        "programme"),
    Ground.EMERGENCY_WRONG_SETTLEMENT: _l(
        "Applied outside the settlement where the only dwelling was declared emergency"),
    Ground.DELIBERATE_WORSENING: lazy_ngettext(
        "In need because housing conditions were deliberately worsened in the last %(num)d year",
        "In need because housing conditions were deliberately worsened in the last %(num)d "
        "years", limits.LOOK_BACK_YEARS),
    Ground.NO_PERSONAL_DATA_CONSENT: _l(
        "No consent to access the personal data needed for the service"),
    Ground.NOT_REGISTERED_THREE_YEARS: _l(
        "Not registered by place of residence in this city for the last three years"),
    Ground.NOT_ADULT: _l("The applicant is not of age"),
    Ground.NOT_CITIZEN: _l(
        "The applicant is neither a citizen of the Republic of Kazakhstan nor a kandas"),
    Ground.EMERGENCY_NOT_CONFIRMED: _l(
        "The only dwelling is not confirmed as declared emergency"),
}

_P15 = {n: _l("Rules (Order No. 130 of 17.04.2025), p. 15 sub. %(n)s", n=n)
        for n in (1, 2, 3, 4, 5, 7, 8, 9)}

GROUND_REFERENCES = {
    Ground.ON_UNIFIED_BASE: _P15[1],
    Ground.OWNED_IN_FIVE_YEARS: _P15[2],
    Ground.OWNED_IN_SETTLEMENT: _P15[3],
    Ground.OWNED_IN_RK: _P15[4],
    Ground.HAD_STATE_RENTAL: _P15[5],
    Ground.UNRELIABLE_DATA: _l(
        "Rules (Order No. 130 of 17.04.2025), p. 15 sub. 6; Appendix 1 row 9 sub. 1"),
    Ground.PRIVATISED: _P15[7],
    Ground.EMERGENCY_ELSEWHERE: _P15[8],
    Ground.STATE_MORTGAGE: _P15[9],
    Ground.EMERGENCY_WRONG_SETTLEMENT: _l(
        "Rules (Order No. 130 of 17.04.2025), Appendix 1 row 9 sub. 3"),
    Ground.DELIBERATE_WORSENING: _l(
        "Rules (Order No. 130 of 17.04.2025), Appendix 1 row 9 sub. 3"),
    Ground.NO_PERSONAL_DATA_CONSENT: _l(
        "Rules (Order No. 130 of 17.04.2025), Appendix 1 row 9 sub. 4; p. 12"),
    Ground.NOT_REGISTERED_THREE_YEARS: _l(
        "Rules (Order No. 130 of 17.04.2025), Appendix 1 row 9 sub. 2; p. 6"),
    Ground.NOT_ADULT: _l("Rules (Order No. 130 of 17.04.2025), Appendix 1 row 9 sub. 2; p. 7"),
    Ground.NOT_CITIZEN: _l("Rules (Order No. 130 of 17.04.2025), Appendix 1 row 9 sub. 2; p. 7"),
    Ground.EMERGENCY_NOT_CONFIRMED: _l(
        "Rules (Order No. 130 of 17.04.2025), Appendix 1 row 9 sub. 2; p. 7 sub. 2, p. 13"),
}

CASES = {
    "no_housing": lazy_ngettext("No dwelling owned in Kazakhstan in the last %(num)d year",
                                "No dwelling owned in Kazakhstan in the last %(num)d years",
                                limits.LOOK_BACK_YEARS),
    "emergency": _l("The only dwelling is declared emergency"),
}

COMPLAINT_BODIES = {
    ComplaintBody.PROVIDER_HEAD: _l("The head of the service provider (%(num)s working days)",
                                    num=limits.COMPLAINT_HEAD_WORKING_DAYS),
    ComplaintBody.QUALITY_AUTHORITY: _l(
        "The authorised body for the quality of public services (%(num)s working days)",
        num=limits.COMPLAINT_QUALITY_AUTHORITY_WORKING_DAYS),
}

# What a complaint is about [002 p.18]: decisions, actions, inaction.
COMPLAINT_SUBJECTS = {
    "decision": _l("A decision (the preliminary or final refusal)"),
    "action": _l("An action of the provider (the review, the hearing)"),
    "delay": _l("A delay: the decision is late"),
}

# How to take part in the hearing, as the notice says it [002 p.17: "place (way)"]; %(place)s is
# the office's address or phone the officer typed.
HEARING_WAYS = {
    HearingWay.ONLINE: _l("online: send your objection and files on the application's page "
                          "before the hearing"),
    HearingWay.PHONE: _l("by phone: the officer calls you at the number in the application "
                         "(%(place)s)"),
    HearingWay.IN_PERSON: _l("in person, at %(place)s"),
}

HEARING_WAY_CHOICES = {
    HearingWay.ONLINE: _l("Online, by an objection on the application's page"),
    HearingWay.PHONE: _l("By phone (write the office's number)"),
    HearingWay.IN_PERSON: _l("In person (write the office's address)"),
}


def hearing_way(data: dict) -> str:
    """How the applicant takes part in their hearing, in the current language."""
    way = HearingWay(data.get("hearing_way") or HearingWay.ONLINE)
    return str(HEARING_WAYS[way]) % {"place": data.get("hearing_place") or ""}

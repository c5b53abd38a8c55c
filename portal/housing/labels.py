"""Names of the housing list's domain codes: refusal grounds (named by their key, with their
legal references worded from the domain's), the two cases, complaint bodies. Shared by the
citizen's journey (portal.housing) and the office (portal.housing.office), which must not
import each other."""

from __future__ import annotations

from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l

from portal.domain import limits
from portal.domain.housing.deadlines import ComplaintBody, HearingWay
from portal.domain.housing.grounds import GROUNDS, Appendix1, Ground, Point

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

# A ground's legal reference is written once, in the domain (GROUNDS[ground].reference); here
# are only the words to say it in each language.
_RULES = _l("Rules (Order No. 130 of 17.04.2025)")
_POINT = _l("p. %(n)s")
_POINT_SUB = _l("p. %(n)s sub. %(sub)s")
_APPENDIX_1 = _l("Appendix 1 row 9 sub. %(sub)s")


def _part(part: Point | Appendix1) -> str:
    if isinstance(part, Appendix1):
        return _APPENDIX_1 % {"sub": part.sub}
    if part.sub is None:
        return _POINT % {"n": part.n}
    return _POINT_SUB % {"n": part.n, "sub": part.sub}


def ground_reference(ground: Ground) -> str:
    """The ground's legal reference in the current language, from the domain's parts."""
    return f"{_RULES}, " + "; ".join(_part(p) for p in GROUNDS[ground].reference)


GROUND_REFERENCES = {ground: LazyString(ground_reference, ground) for ground in Ground}

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

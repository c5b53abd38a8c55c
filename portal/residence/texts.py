"""What the applicant reads about each rule, in their language."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from portal.domain import limits
from portal.domain.residence import Duplicate, Path, SubjectProblem
from portal.residence.services.residence import Outcome

SUBJECT_PROBLEMS = {
    SubjectProblem.CHILD_UNDER_14: _l(
        "A child under 14 is not registered separately: their place of residence is the place "
        "of residence of their parents or legal representatives (Civil Code, article 16). "
        "Nothing needs to be done for the child."),
    SubjectProblem.NOT_LINKED: _l(
        "The population registry does not show you as this person's parent or guardian. "
        "If this is wrong, visit a Public Service Centre (ЦОН) with the documents."),
    SubjectProblem.CAPABLE_ADULT: _l(
        "This person has full legal capacity and applies for themself."),
    SubjectProblem.CHILD_OVER_16: _l(
        "From the age of 16 a person with full legal capacity applies for themself."),
    SubjectProblem.APPLICANT_NOT_ADULT: _l(
        "Only an adult can apply for another person."),
    SubjectProblem.APPLICANT_INCAPABLE: _l(
        "A person declared incapable or of limited capacity by a court is registered by their "
        "guardian or legal representative."),
    SubjectProblem.APPLICANT_UNDER_16: _l(
        "Under 16 you are registered by a parent or legal representative."),
}

# The short note beside a person on "Who will be registered?" who cannot be chosen there: why,
# in a few words (the full text, SUBJECT_PROBLEMS, comes when they are chosen).
SUBJECT_NOTES = {
    SubjectProblem.CHILD_OVER_16: _l("applies for themself"),
    SubjectProblem.CAPABLE_ADULT: _l("applies for themself"),
    SubjectProblem.CHILD_UNDER_14: _l("lives at the parents' place of residence"),
}
SUBJECT_NOTE_OTHER = _l("cannot be registered online")

RELATION_LABELS = {
    "self": _l("Myself: %(name)s"),
    "parent": _l("My child: %(name)s"),
    "guardian": _l("A person in my guardianship: %(name)s"),
}

OUTCOMES = {
    Outcome.NOT_IN_LEASE: _l(
        "The person is not listed in the lease agreement of this state rental home. Contact the "
        "local executive body (akimat) that manages the home."),
    Outcome.OWNER_REFUSED: _l("The owner refused to give consent."),
    Outcome.OWNER_TOO_LATE: lazy_ngettext("The owner did not confirm in time (%(num)d hour).",
                                          "The owner did not confirm in time (%(num)d hours).",
                                          limits.hours(limits.CONSENT_PERIOD)),
    Outcome.OWNER_NOT_REACHED: _l(
        "The SMS to the owner could not be delivered, so the owner could not be asked. Check "
        "with the owner that their phone number in the registry is right, then apply again."),
    Outcome.NO_LONGER_ONLINE: _l(
        "The registries changed since you chose the address: this registration cannot be made "
        "online. Visit a Public Service Centre (ЦОН)."),
}

OFFLINE_REASONS = {
    Path.OFFLINE_ONLY: _l(
        "An owner or co-owner of this home is a minor, or has been declared incapable or of "
        "limited capacity by a court. In this case registration is made only in person, at a "
        "Public Service Centre (ЦОН)."),
    Path.OWNER_UNREACHABLE: _l(
        "An owner who must give consent has no mobile number in the mobile citizens' database, "
        "so they cannot receive the code from 1414. Registration is made at a Public Service "
        "Centre (ЦОН), where the owner can give consent in person."),
    Path.UNKNOWN_DWELLING: _l(
        "The real estate registry has no record of who owns this home, so we cannot check "
        "whose consent is needed. Registration is made at a Public Service Centre (ЦОН)."),
}

DUPLICATES = {
    Duplicate.AWAITING_CONSENT: _l(
        "This person already has an application waiting for the owners' consent. A new one can "
        "be made once that one is decided."),
    Duplicate.ALREADY_REGISTERED: _l(
        "This person is already registered at this address. Nothing needs to be done."),
}

REGISTRY_DOWN = _l("We could not reach the state information systems, so nothing was submitted. "
                   "Your draft is saved. Try again in a few minutes.")

SUBMISSION_REFUSED = {
    "subject": _l(
        "The population registry has changed since you started, and you cannot apply for this "
        "person now. Nothing was submitted; your draft is kept."),
    "route_changed": _l(
        "The registries have changed since you chose the address, so the application would "
        "now go another way. Nothing was submitted; your draft is kept. Read what happens now."),
    "duplicate": _l(
        "Nothing was submitted: an application like this one exists already. Your draft is "
        "kept."),
    "owner_phone_busy": _l(
        "The owner has received too many consent requests in the last hour. Your draft is "
        "saved: try again in an hour."),
    "applicant_limit": _l(
        "You have sent too many applications that need an owner's consent today. Your draft is "
        "saved: try again tomorrow."),
}

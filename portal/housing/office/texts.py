"""Translated names for the office: audit actions, kinds of work."""

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in refused"),
    "lockout": _l("Account locked after too many attempts"),
    "sign_out": _l("Signed out"),
    "totp_setup": _l("Authenticator app set up"),
    "housing_register": _l("Registered in the list after the emergency review"),
    "housing_preliminary_refusal": _l("Preliminary refusal issued"),
    "housing_hearing_registered": _l("Hearing: registered in the list"),
    "housing_hearing_refused": _l("Hearing: refused finally"),
    "housing_complaint_satisfied": _l("Complaint satisfied"),
    "housing_complaint_refused": _l("Complaint refused"),
    "housing_complaint_partly": _l("Complaint partly satisfied"),
    "housing_complaint_forwarded": _l("Complaint forwarded to the quality authority"),
    "housing_application_viewed": _l("Application page viewed"),
    "housing_document_viewed": _l("Document downloaded"),
    "housing_audit_exported": _l("Audit trail exported"),
    "staff_settlements": _l("Staff member's settlements changed"),
    "housing_entry_suspend": _l("Entry suspended"),
    "housing_entry_restore": _l("Entry restored"),
    "housing_entry_close": _l("Entry closed"),
    "housing_recheck_closed": _l("Re-check closed: no ground"),
    "housing_category_confirmed": _l("Category confirmed: moved to its list"),
    "housing_category_refused": _l("Category not confirmed"),
}

KINDS = {
    "emergency_review": _l("Emergency review"),
    "hearing": _l("Hearing"),
    "complaint": _l("Complaint"),
    "complaint_forward": _l("Complaint to forward to the quality authority"),
    "recheck": _l("Re-check: a family change brought a new ground"),
    "category": _l("Category request the registries did not confirm"),
}

REFUSALS = {
    "item_handled": _l("This item has been handled meanwhile. Nothing was changed; see the "
                       "application now."),
    "no_decision": _l("Choose the decision."),
    "status_changed": _l("The application has changed meanwhile (someone decided it already, "
                         "or the applicant withdrew it). Nothing was changed; see its status "
                         "now."),
    "no_motivation": _l("Write the motivation of the decision."),
    "motivation_too_long": _l("The motivation is too long: at most 4000 characters."),
    "no_grounds": _l("Choose at least one ground."),
    "unknown_ground": _l("Choose the grounds from the list."),
    "already_answered": _l("This complaint is already answered. Nothing was changed."),
    "head_only": _l("Only the head of the provider answers complaints."),
    "unknown_reason": _l("Choose a reason that fits the change: a suspension or a closing "
                         "needs one, a restoring none."),
    "entry_changed": _l("The entry has changed meanwhile. Nothing was changed; see its status "
                        "now."),
    "already_forwarded": _l("This complaint is already forwarded or satisfied. Nothing was "
                            "changed."),
    "forward_only_fully": _l("A complaint to the quality authority is kept by the provider only "
                             "when it is satisfied fully; otherwise forward it."),
    "forward_overdue": _l("The 3 working days to satisfy this complaint have passed: it can only "
                          "be forwarded now."),
    "already_listed": _l("This person is already on this waiting list with another "
                         "application: a person holds one place in a list. Nothing was "
                         "changed."),
    "hearing_not_yet": _l("The final decision comes after the hearing: its time has not come, "
                          "and the applicant has not waived it. Nothing was changed."),
    "hearing_outside_window": _l("The hearing must be after the day of the notice and no later "
                                 "than 2 working days after it (Rules, p. 17). Choose another "
                                 "date. Nothing was changed."),
    "hearing_not_working_time": _l("The hearing must be on a working day between 9:00 and "
                                   "18:30. Choose another time. Nothing was changed."),
    "hearing_way_unknown": _l("Choose how the applicant takes part in the hearing."),
    "hearing_place_missing": _l("Write the office's address (in person) or phone (by phone) "
                                "for the hearing."),
    "hearing_place_too_long": _l("The address or phone may be at most %(max)d characters."),
    "no_participants": _l("Write who took part in the hearing."),
    "minutes_too_long": _l("The minutes are too long."),
    "unknown_file": _l("Choose the files from the list."),
    "no_iin": _l("Final decisions are signed with your ЭЦП, and your account has no IIN to check "
                 "it against. Ask the administrator to add your IIN to your account."),
}

REGISTRIES_DOWN = _l("The registries do not answer now, and this decision needs them. Nothing "
                     "was changed; try again in a few minutes.")

DONE = {
    "recheck_closed": _l("The re-check is closed: no ground. The applicant is told."),
    "category": _l("The category request is decided. The applicant is told."),
    "register": _l("Registered in the list with number %(number)s. The applicant gets an SMS."),
    "preliminary_refusal": _l("The preliminary refusal is issued; the hearing is proposed for "
                              "%(when)s. The applicant gets an SMS."),
    "hearing": _l("The outcome of the hearing is recorded. The applicant gets an SMS."),
    "complaint": _l("The answer to the complaint is recorded. The applicant gets an SMS."),
    "entry": _l("The entry is changed. The applicant gets an SMS."),
    "forwarded": _l("The complaint and the administrative file are forwarded to the quality "
                    "authority. The applicant gets an SMS."),
}

HEARING_OUTCOMES = {"registered": _l("Registered in the list"),
                    "refused": _l("Refused finally")}
COMPLAINT_OUTCOMES = {"satisfied": _l("Satisfied"), "partly": _l("Partly satisfied"),
                      "refused": _l("Refused")}

ROLES = {"officer": _l("Officer"), "head": _l("Head of the provider")}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))

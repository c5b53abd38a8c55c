"""Forms of the housing waiting list journey."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from portal.core.forms import RadioField
from portal.core.inputs import IntegerField, StringField
from portal.domain import limits
from portal.domain.housing.facts import FamilyRelation


class WhoForm(FlaskForm):
    person = RadioField(_l("Who is to be put on the housing list?"), choices=[],
                        validators=[InputRequired(_l("Choose who is to be put on the list"))])


class ContinueForm(FlaskForm):
    """A page whose only answer is "I have read this": the CSRF token and a button."""


class CaseForm(FlaskForm):
    case = RadioField(
        _l("Why do you need housing?"),
        choices=[SelectChoice("no_housing", lazy_ngettext(
                     "I have not owned a dwelling in Kazakhstan for %(num)d year",
                     "I have not owned a dwelling in Kazakhstan for %(num)d years",
                     limits.LOOK_BACK_YEARS)),
                 SelectChoice("emergency", _l("My only dwelling has been declared emergency"))],
        validators=[InputRequired(_l("Choose why you need housing"))])


class UploadForm(FlaskForm):
    file = FileField(_l("The expert's technical conclusion (PDF, JPG or PNG, at most %(num)s MB)",
                       num=limits.UPLOAD_MAX_MEGABYTES))


class SettlementForm(FlaskForm):
    settlement = RadioField(_l("In which settlement do you want to join the list?"),
                            choices=[], validators=[InputRequired(_l("Choose a settlement"))])


class CategoryForm(FlaskForm):
    category = RadioField(_l("Do you belong to a category of art. 74 of the Law on Housing "
                             "Relations?"), choices=[],
                          invalid_choice_message=_l("Choose a category or “None”"),
                          validators=[InputRequired(_l("Choose a category or “None”"))])


RELATION_LABELS = {
    FamilyRelation.SPOUSE.value: _l("Spouse"),
    FamilyRelation.CHILD.value: _l("Child"),
    FamilyRelation.PARENT.value: _l("Parent"),
    FamilyRelation.OTHER.value: _l("Other family member"),
}


class MemberForm(FlaskForm):
    iin = StringField(_l("IIN of the family member"), validators=[
        InputRequired(_l("Enter the IIN")),
        Regexp(r"^\s*\d{12}\s*$", message=_l("The IIN is 12 digits"))])
    relation = RadioField(_l("Who is this person to you?"),
                          choices=[SelectChoice(k, v) for k, v in RELATION_LABELS.items()],
                          validators=[InputRequired(_l("Choose who this person is to you"))])


class ContactsForm(FlaskForm):
    phone = StringField(_l("Mobile phone"), validators=[
        InputRequired(_l("Enter a mobile phone number")),
        Regexp(r"^\s*\+?7\s*7\d{2}[\s\d-]{7,10}$",
               message=_l("Enter a Kazakh mobile number, for example +7 701 123 45 67"))])
    email = StringField(_l("E-mail (optional)"), validators=[
        Optional(), Length(max=120),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
               message=_l("Enter an e-mail address like %(example)s",
                          example="name@example.kz"))])
    sms = BooleanField(_l("Send me notices about this application by SMS"))


class ConsentsForm(FlaskForm):
    personal_data = BooleanField(_l("I consent to the use of my and my family members' personal "
                                    "data in the information systems for this service"))
    truth = BooleanField(_l("I confirm that the data I gave is true and complete"),
                         validators=[InputRequired(_l("Confirm that the data is true"))])


class QueueLookupForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form on a public page: nothing changes

    settlement = RadioField(_l("Settlement"), choices=[],
                            validators=[InputRequired(_l("Choose a settlement"))])
    list_code = RadioField(_l("List"), choices=[],
                           validators=[InputRequired(_l("Choose a list"))])
    number = IntegerField(_l("Number in the list"), validators=[
        InputRequired(_l("Enter the number in the list")),
        NumberRange(min=1, max=10**9, message=_l("Enter a number from 1"))])


class ObjectionForm(FlaskForm):
    text = TextAreaField(_l("Your objection"), validators=[
        InputRequired(_l("Write your objection")),
        Length(max=limits.OBJECTION_MAX_CHARS, message=_l(
            "The text may be at most %(max)d characters. Shorten it, or attach a document."))])
    file = FileField(_l("A supporting document (PDF, JPG or PNG, at most %(num)s MB, optional)",
                       num=limits.UPLOAD_MAX_MEGABYTES))
    waive = BooleanField(_l("I do not need the hearing: decide on this objection without "
                            "waiting for it"))


class ComplaintForm(FlaskForm):
    subject = RadioField(_l("What is the complaint about?"), choices=[],
                         validators=[InputRequired(_l("Choose what the complaint is about"))])
    body = RadioField(_l("Who should review the complaint?"), choices=[],
                      validators=[InputRequired(_l("Choose who should review the complaint"))])
    text = TextAreaField(_l("Your complaint"), validators=[
        InputRequired(_l("Write your complaint")),
        Length(max=limits.COMPLAINT_MAX_CHARS, message=_l(
            "The text may be at most %(max)d characters. Shorten it, please."))])


class CategoryRecheckForm(FlaskForm):
    """On the list: re-check a category the authority has corrected [002 p.9]."""

    category = RadioField(_l("Which category should be re-checked?"), choices=[],
                          validators=[InputRequired(_l("Choose the category"))])
    file = FileField(_l("A supporting document (PDF, JPG or PNG, at most %(num)s MB, optional)",
                       num=limits.UPLOAD_MAX_MEGABYTES))


class PhoneForm(FlaskForm):
    """The member's new mobile phone (the registries' one was not right)."""

    phone = StringField(_l("Your mobile phone now"), validators=[
        InputRequired(_l("Enter a mobile phone number")),
        Regexp(r"^\s*\+?[78]\s*7\d{2}[\s\d-]{7,10}$",
               message=_l("Enter a Kazakh mobile number, for example +7 701 123 45 67"))])

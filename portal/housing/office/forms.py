from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import RadioField, SelectField, SelectMultipleField
from portal.core.inputs import HiddenField, IntegerField, StringField


class SignInForm(FlaskForm):
    login = StringField(_l("Login"), validators=[InputRequired(_l("Enter your login"))])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(_l("Enter your password"))])
    # Not required here: a staff member setting up the app for the first time has no code yet.
    code = StringField(_l("Code from the authenticator app"))


class SetupForm(FlaskForm):
    code = StringField(_l("Code from the authenticator app"),
                       validators=[InputRequired(_l("Enter the code from the authenticator app"))])


class WorkListFilter(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    settlement = SelectField(_l("Settlement"))
    kind = SelectField(_l("Kind of work"))


class AuditQuery(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    application = IntegerField(
        _l("Application number"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter an application number"))])


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class DecisionForm(FlaskForm):
    """A decision with nothing to type (register): the CSRF token only."""


class PreliminaryRefusalForm(FlaskForm):
    grounds = SelectMultipleField(
        _l("Grounds for refusal"), option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        invalid_choice_message=_l("Choose the grounds from the list."),
        validators=[InputRequired(_l("Choose at least one ground"))])
    motivation = TextAreaField(_l("Motivation"), filters=[_strip], validators=[
        DataRequired(_l("Write the motivation of the decision")), Length(max=4000)])
    # The hearing [002 p.17]: empty date and time keep the one the system proposes.
    hearing_date = DateField(_l("Date of the hearing"), validators=[Optional()],
                             format="%Y-%m-%d")
    hearing_time = TimeField(_l("Time of the hearing"), validators=[Optional()])
    way = RadioField(_l("How the applicant takes part"), choices=[], default="online")
    place = StringField(_l("The office's address or phone (in person, by phone)"),
                        filters=[_strip], validators=[Length(max=45)])


class HearingForm(FlaskForm):
    outcome = RadioField(_l("Outcome of the hearing"), choices=[
        SelectChoice("registered", _l("Register in the list (a queue number is given)")),
        SelectChoice("refused", _l("Refuse finally (a motivation is required)"))],
        validators=[InputRequired(_l("Choose the outcome of the hearing"))])
    motivation = TextAreaField(_l("Motivation"), validators=[Length(max=4000)])
    participants = StringField(_l("Who took part in the hearing"), filters=[_strip], validators=[
        DataRequired(_l("Write who took part in the hearing")), Length(max=300)])
    statement = TextAreaField(_l("What the applicant said (or: did not take part)"),
                              validators=[Length(max=3000)])
    files_read = SelectMultipleField(
        _l("The objection's files read at the hearing"), coerce=int,
        invalid_choice_message=_l("Choose the files from the list."),
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))

    def validate_motivation(self, field):
        if self.outcome.data == "refused" and not (field.data or "").strip():
            raise ValidationError(_l("Write the motivation of the final refusal"))


class SignedDecisionForm(FlaskForm):
    """What templates/signing/_ecp.html posts for a staff decision: the decision's fields (the
    signed text is rebuilt from them), the nonce, the language and the CMS."""

    kind = HiddenField()
    outcome = HiddenField()
    motivation = HiddenField()
    participants = HiddenField()
    statement = HiddenField()
    files_read = HiddenField()  # the ids, comma-separated
    index = IntegerField(validators=[Optional(), NumberRange(min=0, max=1000)])
    nonce = HiddenField()
    lang = HiddenField()
    cms = HiddenField()


class ComplaintAnswerForm(FlaskForm):
    outcome = RadioField(_l("Answer"), choices=[
        SelectChoice("satisfied", _l("Satisfy the complaint (the decision is changed)")),
        SelectChoice("partly", _l("Satisfy the complaint in part (say which part)")),
        SelectChoice("refused", _l("Refuse the complaint"))],
        validators=[InputRequired(_l("Choose the answer"))])
    text = TextAreaField(_l("Motivation"), filters=[_strip], validators=[
        DataRequired(_l("Write the motivation of the answer")), Length(max=4000)])


class ForwardForm(FlaskForm):
    """Forward a complaint to the quality authority with the administrative file (a button)."""


class EntryForm(FlaskForm):
    """Suspend (with why), restore or close an entry on the list."""

    move = RadioField(_l("Change the entry"), choices=[
        SelectChoice("suspend", _l("Suspend it")), SelectChoice("restore", _l("Restore it")),
        SelectChoice("close", _l("Close it for good"))],
        validators=[InputRequired(_l("Choose the change"))])
    reason = RadioField(_l("Why"), choices=[
        SelectChoice("data_not_confirmed", _l("Suspend: the data is not confirmed")),
        SelectChoice("consent_withdrawn", _l("Suspend: the consent to personal data is "
                                             "withdrawn")),
        SelectChoice("housed", _l("Close: provided with a dwelling")),
        SelectChoice("removed", _l("Close: removed from the list by a motivated decision"))],
        validators=[Optional()])
    note = TextAreaField(_l("Motivation"), filters=[_strip], validators=[Length(max=4000)])


class RecheckCloseForm(FlaskForm):
    """A re-check with no ground after all: closed, with the motivation."""

    motivation = TextAreaField(_l("Why there is no ground"), filters=[_strip],
                               validators=[Length(max=4000)])


class CategoryDecisionForm(FlaskForm):
    """The office's answer to a category request the registries did not confirm."""

    decision = RadioField(_l("The category"), choices=[
        SelectChoice("confirm", _l("Confirmed: move the entry to the category's list with its "
                                   "original date")),
        SelectChoice("refuse", _l("Not confirmed: the entry stays where it is"))],
        validators=[InputRequired(_l("Choose the decision"))])
    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[Length(max=4000)])

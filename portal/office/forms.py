from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional


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

    settlement = SelectField(_l("Settlement"), validate_choice=False)
    kind = SelectField(_l("Kind of work"), validate_choice=False)


class AuditQuery(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    application = IntegerField(
        _l("Application number"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter an application number"))])

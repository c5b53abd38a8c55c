from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.core.forms import RadioField
from portal.core.inputs import StringField

REASON_LABELS = {
    "moved": _l("I moved to a new place of residence"),
    "bought": _l("I bought or received a home"),
    "rent": _l("I rent this home"),
    "relatives": _l("I live with relatives"),
    "returned": _l("I returned from abroad or from another region"),
    "other": _l("Other reason"),
}


class WhoForm(FlaskForm):
    person = RadioField(_l("Who will be registered?"), choices=[],
                        invalid_choice_message=_l("Choose a person from the list"),
                        validators=[InputRequired(_l("Choose who will be registered"))])


class AddressForm(FlaskForm):
    address_id = RadioField(_l("Choose the flat or house"), choices=[], coerce=int,
                            invalid_choice_message=_l("Choose an address from the list"),
                            validators=[InputRequired(_l("Choose an address from the list"))])


class ReasonForm(FlaskForm):
    reason = RadioField(_l("Why are you registering at this address?"),
                        choices=[SelectChoice(k, v) for k, v in REASON_LABELS.items()],
                        validators=[InputRequired(_l("Choose the reason for registration"))])
    other = StringField(_l("Describe the reason"), validators=[Optional(), Length(max=200)])

    def validate_other(self, field):
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Describe the reason in a few words"))

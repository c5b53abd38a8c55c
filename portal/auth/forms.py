from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, ValidationError

from portal.core.inputs import StringField
from portal.domain import iin as iin_rules


class IINForm(FlaskForm):
    iin = StringField(_l("IIN"), validators=[InputRequired(_l("Enter your IIN"))],
                      filters=[lambda v: "".join((v or "").split())])

    def validate_iin(self, field):
        if not iin_rules.is_valid(field.data):
            raise ValidationError(_l("Enter a valid IIN: 12 digits, as in your identity card"))

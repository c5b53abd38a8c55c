"""The owner's forms: the code on the link page; the IIN and the code at /consent."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from portal.domain import iin as iin_rules
from portal.signing_forms import CodeForm


class ConsentCodeForm(CodeForm):
    """The one code form (portal.signing_forms), with the owner's own label."""

    code = StringField(_l("Code from the 1414 SMS"),
                       validators=CodeForm.code.kwargs["validators"])


class OwnerCodeForm(ConsentCodeForm):
    """Without the link the code alone is not enough: it must come with the owner's IIN, so a
    guess is counted on that owner's own request and a stranger cannot try every request."""

    iin = StringField(_l("Your IIN"), validators=[InputRequired(_l("Enter your IIN"))],
                      filters=[lambda v: "".join((v or "").split())])

    def validate_iin(self, field):
        if not iin_rules.is_valid(field.data):
            raise ValidationError(_l("Enter a valid IIN: 12 digits, as in your identity card"))

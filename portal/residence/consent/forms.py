"""The owner's form at /consent: the one code form (portal.core.signing_forms.CodeForm) with the
IIN.
On the link page the owner types the code into the CodeForm itself (its label is the page's)."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, ValidationError

from portal.core.inputs import StringField
from portal.core.signing_forms import CodeForm
from portal.domain import iin as iin_rules


class OwnerCodeForm(CodeForm):
    """Without the link the code alone is not enough: it must come with the owner's IIN, so a
    guess is counted on that owner's own request and a stranger cannot try every request."""

    iin = StringField(_l("Your IIN"), validators=[InputRequired(_l("Enter your IIN"))],
                      filters=[lambda v: "".join((v or "").split())],
                      render_kw={"autocomplete": "off", "inputmode": "numeric"})
    # The code again, so that it comes after the IIN as on the page: the error summary lists
    # the problems in the form's order.
    code = StringField(*CodeForm.code.args, **CodeForm.code.kwargs)

    def validate_iin(self, field):
        if not iin_rules.is_valid(field.data):
            raise ValidationError(_l("Enter a valid IIN: 12 digits, as in your identity card"))

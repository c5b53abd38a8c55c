"""The choice fields every form of ours uses: WTForms' own (`RadioField`, `SelectField`,
`SelectMultipleField`), which check that what was sent is among the field's choices, with two
changes:

- Nothing sent (no radio button ticked, an empty value) is left to the field's own validators:
  the required one says its translated "Choose …", `Optional()` lets it pass, and a field with
  neither (a search filter: nothing chosen is "all") passes too, where WTForms would say "Not
  a valid choice".
- A value that was sent but is not among the choices (a tampered form, a stale page), or is
  not even of the choices' type, is refused with a translated message: NOT_A_CHOICE, or the
  field's own `invalid_choice_message`; never WTForms' own English words.

A view sets `field.choices` to what it offers before it validates, and then trusts
`field.data`: no view checks a choice again by hand. tests/unit/test_choice_fields.py proves
the field; tests/integration/test_choice_fields_everywhere.py keeps every form on it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import fields

NOT_A_CHOICE = _l("Choose one of the options offered")


class ChoiceChecked:
    """The mixin: choices checked only for what was sent, and said in our words."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_choice_message", NOT_A_CHOICE)
        kwargs.setdefault("invalid_value_message", kwargs["invalid_choice_message"])
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        if not any(self.raw_data or ()):
            return  # nothing sent: the required validator (or Optional) speaks
        super().pre_validate(form)


class RadioField(ChoiceChecked, fields.RadioField):
    """One answer among radio buttons."""


class SelectField(ChoiceChecked, fields.SelectField):
    """One answer from a drop-down list."""


class SelectMultipleField(ChoiceChecked, fields.SelectMultipleField):
    """Several answers (checkboxes with `option_widget=CheckboxInput()`)."""

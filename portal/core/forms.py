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
the field and keeps every form on it.

The drop-down writes its options with portal.core.inputs' attribute writer: WTForms' own builds
each option's attributes through Markup.format, about 20 µs an option (the office's settlement
filter cost ~0.3 ms a render). The HTML is the same (tests/unit/test_choice_fields.py compares)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import fields, widgets

from portal.core.inputs import RadioInput, html_attributes

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


class Select(widgets.Select):
    """WTForms' drop-down with its options written by html_attributes."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        attrs = {"value": value, **(choice.render_kw or {}), **kwargs}
        if choice.selected:
            attrs["selected"] = True
        label = escape(choice.label or choice.value)
        return Markup(f"<option {html_attributes(**attrs)}>{label}</option>")


class RadioField(ChoiceChecked, fields.RadioField):
    """One answer among radio buttons."""

    option_widget = RadioInput()


class SelectField(ChoiceChecked, fields.SelectField):
    """One answer from a drop-down list."""

    widget = Select()


class SelectMultipleField(ChoiceChecked, fields.SelectMultipleField):
    """Several answers (checkboxes with `option_widget=CheckboxInput()`)."""

"""WTForms' inputs, written without Markup.format: the same HTML, at a fraction of the cost.

WTForms builds each attribute of an input through Markup.format (about 20 µs an attribute; an
input of ours has eight, so ~0.15 ms a field, and a radio button each). Its `Input` widgets
take their attribute writer from the class (`html_params`), so ours are WTForms' own widgets
with `html_attributes` in its place, and our fields are WTForms' own with those widgets.
Forms use these fields, and tests/unit/test_choice_fields.py keeps them to it and compares the
HTML with WTForms' byte for byte."""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import fields, widgets
from wtforms.widgets.core import clean_key


def html_attributes(**attrs) -> Markup:
    """WTForms' html_params (sorted, `class_` -> `class`, `data_`/`aria_` with hyphens, True
    alone, False left out), without Markup.format per attribute."""
    out = []
    for key, value in sorted(attrs.items()):
        if value is True:
            out.append(clean_key(key))
        elif value is not False:
            text = str(escape(value)).replace('"', "&quot;")  # a Markup value keeps its quotes
            out.append(f'{clean_key(key)}="{text}"')
    return Markup(" ".join(out))


class TextInput(widgets.TextInput):
    html_params = staticmethod(html_attributes)


class HiddenInput(widgets.HiddenInput):
    html_params = staticmethod(html_attributes)


class NumberInput(widgets.NumberInput):
    html_params = staticmethod(html_attributes)


class RadioInput(widgets.RadioInput):
    html_params = staticmethod(html_attributes)


class StringField(fields.StringField):
    widget = TextInput()


class HiddenField(fields.HiddenField):
    widget = HiddenInput()


class IntegerField(fields.IntegerField):
    widget = NumberInput()

"""WTForms checks our choices (portal.core.forms): nothing sent is the required validator's
"Choose …"; a value sent that is not offered is refused in our words; and every form of ours
uses these fields, so no view re-checks a choice by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.core.forms import NOT_A_CHOICE, RadioField, SelectField, SelectMultipleField
from portal.core.inputs import HiddenField, IntegerField, StringField

ROOT = Path(__file__).resolve().parents[2]
CHOICE_FIELDS = {"RadioField", "SelectField", "SelectMultipleField"}
# portal.core.inputs: the same inputs, written without Markup.format.
INPUT_FIELDS = {"StringField", "HiddenField", "IntegerField"}


class Answers(Form):
    colour = RadioField("Colour", choices=[SelectChoice("red", "Red"),
                                           SelectChoice("blue", "Blue")],
                        validators=[InputRequired("Choose a colour")])
    flat = RadioField("Flat", choices=[SelectChoice(7, "Flat 7")], coerce=int,
                      invalid_choice_message="Choose a flat from the list",
                      validators=[InputRequired("Choose a flat")])
    why = SelectField("Why", choices=[SelectChoice("", "Any"), SelectChoice("moved", "Moved")],
                      validators=[Optional()])
    files = SelectMultipleField("Files", choices=[SelectChoice(1, "a.pdf"),
                                                  SelectChoice(2, "b.pdf")], coerce=int)
    kind = SelectField("Kind", choices=[SelectChoice("", "All kinds"),
                                        SelectChoice("review", "Review")])  # a search filter


def _errors(**sent) -> dict:
    form = Answers(MultiDict([(k, v) for k, values in sent.items()
                              for v in (values if isinstance(values, list) else [values])]))
    form.validate()
    return form.errors


def _form(**sent) -> Answers:
    return Answers(MultiDict(list(sent.items())))


def test_nothing_sent_shows_the_required_message_alone():
    errors = _errors()
    assert errors["colour"] == ["Choose a colour"]
    assert errors["flat"] == ["Choose a flat"]
    assert "why" not in errors and "files" not in errors  # Optional, and none ticked
    assert "kind" not in errors  # a filter with nothing chosen: "all"


def test_an_empty_value_is_nothing_sent():
    assert _errors(colour="", flat="")["colour"] == ["Choose a colour"]


def test_a_value_not_offered_is_refused_in_our_words():
    errors = _errors(colour="green", flat="7", why="bribe", files=["1", "9"], kind="bribe")
    assert errors == {"colour": [NOT_A_CHOICE], "why": [NOT_A_CHOICE], "files": [NOT_A_CHOICE],
                      "kind": [NOT_A_CHOICE]}


def test_a_field_may_say_which_list_to_choose_from():
    assert _errors(colour="red", flat="8")["flat"] == ["Choose a flat from the list"]


def test_a_value_that_is_no_number_is_refused_in_the_same_words():
    errors = _errors(colour="red", flat="seven", files=["x"])
    assert errors == {"flat": ["Choose a flat from the list"], "files": [NOT_A_CHOICE]}


def test_choices_offered_pass_and_keep_their_type():
    form = _form(colour="blue", flat="7", why="", files="2")
    assert form.validate(), form.errors
    assert (form.colour.data, form.flat.data, form.why.data, form.files.data) == \
        ("blue", 7, "", [2])


def test_no_choices_set_is_a_programming_error_not_a_pass():
    class Unset(Form):
        pick = RadioField("Pick")

    with pytest.raises(TypeError):
        Unset(MultiDict([("pick", "x")])).validate()


# --- every form of ours uses them --------------------------------------------------------------

def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wtforms"):
            found += [f"{path.relative_to(ROOT)}:{node.lineno} imports wtforms' {a.name}"
                      for a in node.names if a.name in CHOICE_FIELDS | INPUT_FIELDS]
        elif isinstance(node, ast.keyword) and node.arg == "validate_choice":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} sets validate_choice")
    return found


def _sources() -> list[Path]:
    mine = {ROOT / "portal" / "core" / "forms.py", ROOT / "portal" / "core" / "inputs.py"}
    return [p for folder in ("portal", "kiosk") for p in sorted((ROOT / folder).rglob("*.py"))
            if p not in mine]


def test_every_choice_field_of_ours_is_checked_by_portal_core_forms():
    sources = _sources()
    assert any(p.name == "forms.py" for p in sources)  # a tree that moved is no pass
    offences = [o for path in sources for o in _offences(path)]
    assert not offences, offences


def test_the_check_itself_catches_wtforms_choice_fields(tmp_path, monkeypatch):
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    bad = tmp_path / "bad.py"
    bad.write_text("from wtforms import RadioField, StringField, BooleanField\n"
                   "from wtforms.fields import SelectField\n"
                   "f = RadioField(choices=[], validate_choice=False)\n")
    assert len(_offences(bad)) == 4  # RadioField, StringField (ours: inputs), SelectField, kwarg


class Tricky(Form):
    pick = SelectField("Pick <one>", choices=[
        SelectChoice("", "All & any"),
        SelectChoice('a"b', 'Quote " and <tag>', render_kw={"data_code": "x&y", "disabled": True}),
        SelectChoice("c", "Chosen", render_kw={"aria_label": "c's", "hidden": False}),
        SelectChoice(True, None)])
    group = SelectField("Grouped", choices=[SelectChoice("n1", "N 1", optgroup="North"),
                                            SelectChoice("s1", "S 1", optgroup="South & more")])


@pytest.mark.parametrize("sent", [{}, {"pick": "c", "group": "s1"}, {"pick": 'a"b'}])
def test_our_drop_down_writes_the_html_wtforms_writes(sent):
    """Our options are written without Markup.format: byte for byte what WTForms' own Select
    writes, for quotes, ampersands, data-/aria- keys, True and False, groups, a selection."""
    from wtforms.widgets import Select as WTFormsSelect

    form = Tricky(MultiDict(sent))
    for field in (form.pick, form.group):
        ours = field(class_="wide", aria_describedby="pick-hint")
        theirs = WTFormsSelect()(field, class_="wide", aria_describedby="pick-hint")
        assert ours == theirs
        assert "<option" in ours
    assert ('selected value="c"' in form.pick()) == (sent.get("pick") == "c")


class Inputs(Form):
    name = StringField("Name <b>", render_kw={"autocomplete": "name", "data_x": 'a"b&c'})
    token = HiddenField()
    number = IntegerField("Number", validators=[InputRequired(), NumberRange(min=1, max=99)])
    colour = RadioField("Colour", choices=[SelectChoice("red", 'Red "&" <i>'),
                                           SelectChoice("blue", "Blue")])


@pytest.mark.parametrize("sent", [{}, {"name": 'Ann "A" <x> & co', "token": "t&k", "number": "7",
                                      "colour": "blue"}, {"number": "x"}])
def test_our_inputs_write_the_html_wtforms_writes(sent):
    """Text, hidden, number and radio inputs, with quotes, ampersands, data-/aria- keys, True,
    False, the required flag and its min/max: byte for byte WTForms' own widgets' HTML."""
    from wtforms import widgets

    form = Inputs(MultiDict(sent))
    form.validate()
    attrs = {"class_": "wide", "aria_describedby": "x-hint", "aria_invalid": "true",
             "inputmode": "numeric", "disabled": False, "readonly": True}
    pairs = [(form.name, widgets.TextInput()), (form.token, widgets.HiddenInput()),
             (form.number, widgets.NumberInput())]
    pairs += [(option, widgets.RadioInput()) for option in form.colour]
    for field, theirs in pairs:
        assert type(field.widget) is not type(theirs)  # ours, not WTForms' own
        assert field.widget(field, **attrs) == theirs(field, **attrs)
        assert field.widget(field) == theirs(field)
    assert 'data-x="a&#34;b&amp;c"' in form.name()  # render_kw still reaches our widget

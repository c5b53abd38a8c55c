"""Templates translate through portal.i18n's plain gettext functions (newstyle: `{% trans %}`
passes its variables, the function escapes them), in place of Jinja's context-taking wrappers.
They must mean exactly what Jinja's own newstyle gettext means for an autoescaped template."""

from __future__ import annotations

import pytest
from flask import render_template_string
from jinja2 import Environment
from markupsafe import Markup

# Strings the catalogues translate (kk, ru), so the language is seen to apply.
PROBLEM = {"en": "There is a problem", "ru": "Проверьте введённые данные",
           "kk": "Енгізілген деректерді тексеріңіз"}


def test_every_template_is_html_so_always_autoescaped(app):
    """The plain functions always escape (Jinja's look at the template's autoescape): that
    holds only while every template is .html, which Flask autoescapes."""
    names = app.jinja_env.list_templates()
    assert names and all(name.endswith(".html") for name in names)
    assert not any("{% autoescape" in app.jinja_env.loader.get_source(app.jinja_env, name)[0]
                   for name in names)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_string_is_said_in_the_pages_language(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        assert render_template_string('{{ _("There is a problem") }}') == PROBLEM[lang]
        assert render_template_string('{{ gettext("There is a problem") }}') == PROBLEM[lang]


CASES = [
    ('{{ _("Hello %(name)s & you", name=who) }}', {"who": "<b>Ann</b>"}),
    ("{% trans name=who %}Hello {{ name }} & co{% endtrans %}", {"who": "<i>x</i>"}),
    ("{% trans count=n %}{{ count }} file <b>{% pluralize %}{{ count }} files{% endtrans %}",
     {"n": 1}),
    ("{% trans count=n %}{{ count }} file{% pluralize %}{{ count }} files & {{ who }}"
     "{% endtrans %}", {"n": 3, "who": "<s>"}),
    ('{{ ngettext("%(num)d day", "%(num)d days", n) }}', {"n": 2}),
    ('{{ pgettext("menu", "Open %(what)s", what=who) }}', {"who": "<u>"}),
    ('{{ npgettext("menu", "%(num)d row", "%(num)d rows", n) }}', {"n": 5}),
    ('{{ _("100%% sure") }}', {}),
    ('{{ _("A safe <br> %(x)s", x=safe) }}', {"safe": Markup("<br>")}),
]


@pytest.mark.parametrize(("source", "values"), CASES)
def test_the_same_text_as_jinjas_own_newstyle_gettext(app, source, values):
    """Jinja's own newstyle callables over identity "translations", in an autoescaping
    environment, are the reference; ours, in English (the catalogue's identity), must match."""
    reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    reference.install_gettext_callables(
        gettext=lambda s: s, ngettext=lambda s, p, n: s if n == 1 else p,
        pgettext=lambda c, s: s, npgettext=lambda c, s, p, n: s if n == 1 else p,
        newstyle=True)
    expected = reference.from_string(source).render(**values)
    with app.test_request_context("/?lang=en"):
        assert render_template_string(source, **values) == expected
    assert "<b>Ann" not in expected and "<i>x" not in expected  # variables escaped

"""Languages: Kazakh first, then Russian and English.

The choice comes from `?lang=` (and is then remembered in a cookie), else the cookie, else the
browser's Accept-Language, else Kazakh. Links on every page switch it without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton
from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
from markupsafe import Markup

LANG_COOKIE = "lang"
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages) or languages[0]


def lang_url(code: str) -> str:
    """The current page in another language (GET, so it works from any page without JS).

    A query-only relative link: the browser keeps the page's own path. Built from the raw path
    it could leave the site: on the 404 page of `/%5Cevil.example` the link `/\\evil.example?..`
    is read by browsers as `//evil.example/...`, another host."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"?{urlencode(args, doseq=True)}"


def current_language() -> str:
    """The request's language, worked out once (each of Flask-Babel's look-ups walks several
    context proxies, and a page asks several times)."""
    if not has_request_context():
        return str(get_locale() or current_app.config["LANGUAGES"][0])
    cached = request.environ.get("mekenjai.language")
    if cached is None:
        cached = request.environ["mekenjai.language"] = str(
            get_locale() or current_app.config["LANGUAGES"][0])
    return cached


def request_translations():
    """Flask-Babel's translations, looked up once per request: templates call gettext for every
    string, and each of Flask-Babel's own lookups walks several context proxies."""
    if not has_request_context():
        return get_translations()
    cached = request.environ.get("mekenjai.translations")
    if cached is None:
        cached = request.environ["mekenjai.translations"] = get_translations()
    return cached


# One date style for the office's pages [design]: the day with the month's short name and the
# year ("4 дек. 2026 г.", "2026 ж. 4 жел.", "Dec 4, 2026"), a moment adds the 24-hour time
# ("10:00", as clocks in Kazakhstan read), both in Asia/Almaty. Never "10:00:00 AM".
_ALMATY = ZoneInfo("Asia/Almaty")
DAY_SKELETON, TIME_SKELETON = "yMMMd", "Hm"


@functools.cache
def _locale(code: str) -> Locale:
    """Babel's Locale, parsed once a language (given the code, Babel parses it on every date:
    the office's work list formats about thirty)."""
    return Locale.parse(code)


def _when(value) -> dt.date | dt.datetime | None:
    if isinstance(value, str):  # an ISO date or moment as stored in application data
        value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(_ALMATY)
    return value


def format_day(value, lang: str | None = None) -> str:
    """The day of a date, a moment or an ISO text in the reader's language; "" for none."""
    when = _when(value) if value else None
    if when is None:
        return ""
    day = when.date() if isinstance(when, dt.datetime) else when
    return format_skeleton(DAY_SKELETON, dt.datetime.combine(day, dt.time()),
                           locale=_locale(lang or current_language()))


def format_moment(value, lang: str | None = None) -> str:
    """The day and the 24-hour time of a moment (Asia/Almaty) in the reader's language."""
    when = _when(value) if value else None
    if when is None:
        return ""
    if not isinstance(when, dt.datetime):
        return format_day(when, lang)
    language = lang or current_language()
    time = format_skeleton(TIME_SKELETON, when.replace(tzinfo=None), locale=_locale(language))
    return f"{format_day(when, language)}, {time}"


def template_gettext(string: str, **variables) -> Markup:
    return Markup(request_translations().ugettext(string)) % variables


def template_ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    return Markup(request_translations().ungettext(singular, plural, num)) % variables


def template_pgettext(context: str, string: str, **variables) -> Markup:
    variables.setdefault("context", context)
    return Markup(request_translations().upgettext(context, string)) % variables


def template_npgettext(context: str, singular: str, plural: str, num: int,
                       **variables) -> Markup:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return Markup(request_translations().unpgettext(context, singular, plural, num)) % variables


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    # Newstyle gettext ({% trans %} passes its variables to gettext, which escapes them), with
    # callables of the same meaning that are plain functions: Jinja's own wrappers take the
    # template context and call through it twice, about a third of a string's cost, 15-50
    # strings a page. Every template is .html, so always autoescaped (test_template_gettext.py).
    app.jinja_env.install_gettext_callables(
        gettext=template_gettext, ngettext=template_ngettext, newstyle=True)
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext,
        pgettext=template_pgettext, npgettext=template_npgettext)

    @app.after_request
    def remember_language(response):
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != chosen:
            response.set_cookie(
                LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                secure=app.config["SESSION_COOKIE_SECURE"], httponly=True,
            )
        response.headers.add("Vary", "Cookie")
        response.headers.add("Vary", "Accept-Language")
        return response

    @app.context_processor
    def language_context():
        return {
            "current_language": current_language,
            "language_names": LANGUAGE_NAMES,
            "lang_url": lang_url,
        }

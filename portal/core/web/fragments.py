"""One template per page and fragment: the whole page, or the block htmx asked for."""

from __future__ import annotations

from flask import make_response, render_template
from jinja2_fragments.flask import render_block

from portal.extensions import htmx


def render_page(template: str, fragment: str | None = None, **context):
    """One template answers both ways: the whole page, or (when htmx targets the fragment's
    element, whose id equals the block name) just that block."""
    if fragment and htmx and htmx.target == fragment:
        response = make_response(render_block(template, fragment, **context))
    else:
        response = make_response(render_template(template, **context))
    response.headers.add("Vary", "HX-Target")
    return response

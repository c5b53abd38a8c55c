"""The warm-up gunicorn's master runs before it forks the workers (portal/warm.py, issue 24):
after it, serving pages loads no template, it opens no database connection, and a template
that does not compile stops the start instead of failing a citizen's request."""

from __future__ import annotations

import pytest
from jinja2 import BaseLoader, ChoiceLoader, DictLoader, TemplateSyntaxError
from sqlalchemy import event

from portal.extensions import db
from portal.warm import warm_up

PAGES = ["/", "/sign-in", "/residence/", "/housing/", "/queue", "/consent", "/office/sign-in"]


class CountingLoader(BaseLoader):
    """The app's own loader, counting the templates it is asked for."""

    def __init__(self, inner: BaseLoader):
        self.inner, self.loaded = inner, []

    def get_source(self, environment, template):
        self.loaded.append(template)
        return self.inner.get_source(environment, template)

    def list_templates(self):
        return self.inner.list_templates()


def _counting(app) -> CountingLoader:
    # A new loader also starts Jinja's cache afresh (its keys name the loader).
    loader = app.jinja_env.loader = CountingLoader(app.jinja_env.loader)
    return loader


def test_pages_after_the_warm_up_load_no_template(app, client):
    loader = _counting(app)
    compiled = warm_up(app)
    assert len(compiled) == len(set(loader.loaded)) >= 60
    assert "base.html" in compiled and "kiosk/attract.html" in compiled
    loader.loaded.clear()
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    assert loader.loaded == []


def test_without_the_warm_up_each_page_compiles_on_its_first_request(app, client):
    loader = _counting(app)
    client.get("/sign-in")
    assert {"auth/sign_in.html", "base.html", "macros.html"} <= set(loader.loaded)


def test_the_warm_up_opens_no_database_connection(app):
    # It runs before the fork: a connection opened there would be shared by every worker.
    checkouts = []

    def checked_out(*args):
        checkouts.append(args)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", checked_out)
    try:
        warm_up(app)
    finally:
        event.remove(engine, "checkout", checked_out)
    assert checkouts == []


def test_a_template_that_does_not_compile_stops_the_start(app):
    app.jinja_env.loader = ChoiceLoader(
        [app.jinja_env.loader, DictLoader({"broken.html": "{% if %}"})])
    with pytest.raises(TemplateSyntaxError):
        warm_up(app)

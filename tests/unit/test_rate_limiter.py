"""portal.extensions.Limiter skips Flask-Limiter's before-request pass when nothing app-wide is
set (a fifth of a page's time), through Flask-Limiter's documented request filter. These check
that skipping it loses no limit (and would fail if Flask-Limiter moved route checks into that
pass)."""

from flask import Blueprint, Flask

from portal.extensions import Limiter


def _app(blueprint_limit=None, **limiter_args) -> tuple[Flask, Limiter]:
    app = Flask(__name__)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    limiter = Limiter(key_func=lambda: "one-client", **limiter_args)
    limiter.init_app(app)
    blueprint = Blueprint("part", __name__)
    blueprint.add_url_rule("/part", "part", lambda: "part")
    if blueprint_limit:
        limiter.limit(blueprint_limit)(blueprint)
    app.register_blueprint(blueprint)

    @app.route("/free")
    def free():
        return "free"

    @app.route("/limited")
    @limiter.limit("2/minute")
    def limited():
        return "limited"

    return app, limiter


def _statuses(app, path, times):
    client = app.test_client()
    return [client.get(path).status_code for _ in range(times)]


def test_a_route_limit_holds_without_the_before_request_pass():
    app, _ = _app()
    assert _statuses(app, "/limited", 3) == [200, 200, 429]


def test_a_route_without_a_limit_resolves_no_limits(monkeypatch):
    app, limiter = _app()
    resolved = []
    original = limiter.limit_manager.resolve_limits
    monkeypatch.setattr(limiter.limit_manager, "resolve_limits",
                        lambda *a, **k: resolved.append(1) or original(*a, **k))
    assert _statuses(app, "/free", 3) == [200, 200, 200]
    assert resolved == []


def test_default_and_application_limits_still_apply_when_set():
    app, _ = _app(default_limits=["2/minute"])
    assert _statuses(app, "/free", 3) == [200, 200, 429]
    app, _ = _app(application_limits=["3/minute"])
    assert _statuses(app, "/free", 4) == [200, 200, 200, 429]


def test_blueprint_and_meta_limits_still_apply_when_set():
    app, _ = _app(blueprint_limit="2/minute")
    assert _statuses(app, "/part", 3) == [200, 200, 429]
    app, _ = _app(meta_limits=["1/hour"])
    client = app.test_client()
    assert [client.get("/limited").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/free").status_code == 429  # a breach counts against every page

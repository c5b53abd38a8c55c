"""Production settings (issue 6; hardening item 9; architecture item 7): what production
refuses, the client address behind trusted proxies, and limits and sessions shared through a
real Redis server by several app instances."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from portal import create_app
from portal.config import (
    DEMO_TRUST_DIR,
    SECRET_SETTINGS,
    ConfigError,
    from_environment,
    secret_problem,
)
from portal.extensions import db, limiter
from tests.support_ecp.pki import FakeNca
from tests.web.helpers import sign_in

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_SECRET = secrets.token_hex(32)


class GatewayRegistries:
    """Stands for a production adapter of the state registries (none is called here)."""


@pytest.fixture(scope="module")
def nca_trust_dir(tmp_path_factory) -> Path:
    """A trust store that is not the demo one (its own root and intermediate)."""
    return FakeNca(name="PROD", key_offset=40).write_trust_dir(tmp_path_factory.mktemp("nca"))


@pytest.fixture
def production_env(monkeypatch, tmp_path, nca_trust_dir):
    """A complete production environment; each test spoils one thing."""
    for name in list(os.environ):
        if name.startswith("PORTAL_"):
            monkeypatch.delenv(name)
    values = {
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": GOOD_SECRET,
        "PORTAL_SMS_BACKEND": "http",
        "PORTAL_SMS_HTTP_URL": "http://127.0.0.1:9/send",
        "PORTAL_SMS_HTTP_TOKEN": secrets.token_hex(32),
        "PORTAL_SMS_INBOUND_SECRET": secrets.token_hex(32),
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
        "PORTAL_INSTANCE_DIR": str(tmp_path),
        "PORTAL_REDIS_URL": "redis://127.0.0.1:9/0",
        "PORTAL_ECP_TRUST_DIR": str(nca_trust_dir),
        "PORTAL_MAIL_BACKEND": "smtp",
        "PORTAL_MAIL_SMTP_HOST": "127.0.0.1",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def _production_app():
    return create_app({"REGISTRIES": GatewayRegistries()})


def _refusal(monkeypatch, config=None, **env) -> str:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        create_app({"REGISTRIES": GatewayRegistries()} if config is None else config)
    return str(refused.value)


def test_production_settings_are_accepted(production_env):
    config = from_environment()
    assert config["RATELIMIT_STORAGE_URI"] == production_env["PORTAL_REDIS_URL"]
    assert config["REDIS_URL"] == production_env["PORTAL_REDIS_URL"]
    assert config["SESSION_COOKIE_SECURE"] is True and config["DEMO_MODE"] is False
    app = _production_app()
    assert app.config["SESSION_TYPE"] == "redis"
    assert app.extensions["ecp_verifier"] is not None


def test_production_refuses_the_outbox_sms_backend(production_env, monkeypatch):
    message = _refusal(monkeypatch, PORTAL_SMS_BACKEND="outbox")
    assert "PORTAL_SMS_BACKEND=outbox" in message


def test_production_refuses_the_outbox_mail_backend(production_env, monkeypatch):
    """Applicants who gave an e-mail address would never get their notices."""
    message = _refusal(monkeypatch, PORTAL_MAIL_BACKEND="outbox")
    assert "PORTAL_MAIL_BACKEND=outbox" in message
    assert "PORTAL_MAIL_BACKEND=smtp needs PORTAL_MAIL_SMTP_HOST" in _refusal(
        monkeypatch, PORTAL_MAIL_BACKEND="smtp", PORTAL_MAIL_SMTP_HOST=None)


@pytest.mark.parametrize("secret", ["short", "x" * 31])
def test_production_refuses_a_short_secret_key(production_env, monkeypatch, secret):
    assert "at least 32 bytes" in _refusal(monkeypatch, PORTAL_SECRET_KEY=secret)


@pytest.mark.parametrize("value", ["Production", "prod", "prodution", "live", ""])
def test_an_unknown_portal_env_refuses_to_start(production_env, monkeypatch, value):
    """Only the closed list starts: "prod" once started as development, with a 1-character
    secret, the outbox SMS and, with PORTAL_DEMO=1, everyone's codes at /demo/sms."""
    message = _refusal(monkeypatch, PORTAL_ENV=value, PORTAL_SECRET_KEY="s",
                       PORTAL_SMS_BACKEND="outbox", PORTAL_DEMO="1")
    assert f"PORTAL_ENV={value!r} is not a known environment" in message
    assert "development, test, staging, production" in message


@pytest.mark.parametrize("secret", ["a" * 32, "ab" * 16, "0123456789abcdef" * 4, "a" * 63 + "b",
                                    "password" * 8])
def test_production_refuses_a_low_entropy_secret_key(production_env, monkeypatch, secret):
    message = _refusal(monkeypatch, PORTAL_SECRET_KEY=secret)
    assert "PORTAL_SECRET_KEY is" in message and "generate one" in message


@pytest.mark.parametrize("name", sorted(SECRET_SETTINGS.values()))
@pytest.mark.parametrize("weak", ["s", "a" * 32])
def test_every_secret_setting_is_held_to_the_one_rule(production_env, monkeypatch, name, weak):
    """The session key, the SMS provider's token and the webhook secret (a 1-character one was
    accepted): all by portal.config.secret_problem."""
    message = _refusal(monkeypatch, **{name: weak})
    assert message.endswith(secret_problem(name, weak)) or f"{secret_problem(name, weak)};" in \
        message


def test_a_generated_secret_passes_the_one_rule():
    for _ in range(200):
        assert secret_problem("K", secrets.token_hex(16)) is None
        assert secret_problem("K", secrets.token_urlsafe(32)) is None


def test_production_refuses_demo_mode(production_env, monkeypatch):
    """PORTAL_DEMO=1 serves every citizen's one-time codes at /demo/sms: refused, not ignored."""
    assert "PORTAL_DEMO=1 publishes" in _refusal(monkeypatch, PORTAL_DEMO="1")


def test_production_refuses_to_start_without_the_ecp_trust_settings(production_env, monkeypatch):
    message = _refusal(monkeypatch, PORTAL_ECP_TRUST_DIR=None)
    assert "PORTAL_ECP_TRUST_DIR must name the directory" in message


def test_production_checks_revocation_hard_fail_by_default(production_env):
    from portal.ecp import HttpOcspChecker

    assert from_environment()["ECP_OCSP"] == "on"
    checker = _production_app().extensions["ecp_verifier"].inner.ocsp
    assert isinstance(checker, HttpOcspChecker)
    assert (checker.on_unknown, checker.on_unavailable) == ("reject", "reject")


def test_production_refuses_revocation_checking_off(production_env, monkeypatch):
    assert "PORTAL_ECP_OCSP must be on" in _refusal(monkeypatch, PORTAL_ECP_OCSP="off")


@pytest.mark.parametrize("name", ["PORTAL_ECP_OCSP_UNKNOWN", "PORTAL_ECP_OCSP_UNAVAILABLE"])
def test_production_refuses_accepting_an_unknown_revocation_status(production_env, monkeypatch,
                                                                   name):
    assert f"{name}=accept accepts a certificate" in _refusal(monkeypatch, **{name: "accept"})


def test_production_refuses_the_demo_trust_store(production_env, monkeypatch, tmp_path):
    message = _refusal(monkeypatch, PORTAL_ECP_TRUST_DIR=str(DEMO_TRUST_DIR))
    assert "holds the demo certificates" in message
    copied = tmp_path / "trust"  # the demo root copied beside a real one: still refused
    shutil.copytree(production_env["PORTAL_ECP_TRUST_DIR"], copied)
    shutil.copy(DEMO_TRUST_DIR / "root.pem", copied / "demo-root.pem")
    assert "holds the demo certificates" in _refusal(monkeypatch,
                                                     PORTAL_ECP_TRUST_DIR=str(copied))


def test_production_refuses_an_unreadable_trust_store(production_env, monkeypatch, tmp_path):
    message = _refusal(monkeypatch, PORTAL_ECP_TRUST_DIR=str(tmp_path / "missing"))
    assert "is not a directory" in message


def test_production_refuses_the_demo_registries(production_env, monkeypatch):
    """No adapter means the demo stand-in: refused, and so is the stand-in given by name."""
    from demo_registries.local import LocalRegistries

    message = _refusal(monkeypatch, config={})
    assert "production refuses the demo stand-in for the state registries" in message
    message = _refusal(monkeypatch, config={"REGISTRIES": LocalRegistries()})
    assert "PORTAL_REGISTRIES is the demo stand-in (demo_registries.local)" in message
    message = _refusal(monkeypatch, config={},
                       PORTAL_REGISTRIES="demo_registries.local:LocalRegistries")
    assert "PORTAL_REGISTRIES is the demo stand-in (demo_registries.local)" in message


def test_production_builds_the_registries_adapter_it_is_given(production_env, monkeypatch):
    monkeypatch.setenv("PORTAL_REGISTRIES", f"{__name__}:GatewayRegistries")
    app = create_app()
    assert type(app.extensions["registries"]) is GatewayRegistries


def test_every_refusal_is_named_at_once(production_env, monkeypatch):
    message = _refusal(monkeypatch, config={}, PORTAL_DEMO="1", PORTAL_SECRET_KEY="a" * 40,
                       PORTAL_ECP_OCSP="off")
    for part in ("PORTAL_DEMO=1", "PORTAL_SECRET_KEY", "PORTAL_ECP_OCSP", "demo_registries"):
        assert part in message


def test_staging_runs_on_the_demo_stand_ins_with_production_checks(production_env, monkeypatch):
    """The production shape (scripts/prod-shape.sh) has no gateway and no NCA: staging lets it
    use the demo registries and trust store, and refuses all the rest as production does."""
    monkeypatch.setenv("PORTAL_ENV", "staging")
    monkeypatch.setenv("PORTAL_ECP_TRUST_DIR", str(DEMO_TRUST_DIR))
    app = create_app()
    assert type(app.extensions["registries"]).__module__ == "demo_registries.local"
    assert app.extensions["ecp_verifier"].inner.ocsp.on_unknown == "reject"
    assert "PORTAL_DEMO=1" in _refusal(monkeypatch, config={}, PORTAL_DEMO="1")
    assert "PORTAL_SECRET_KEY" in _refusal(monkeypatch, config={}, PORTAL_DEMO=None,
                                           PORTAL_SECRET_KEY="a" * 32)


def test_the_production_shape_settings_pass_the_checks(tmp_path, monkeypatch):
    """scripts/prod-shape.sh's write_env, run as it is, gives settings staging accepts."""
    script = (f'source <(sed -n "/^write_env()/,/^}}/p" {REPO_ROOT}/scripts/prod-shape.sh); '
              f'log() {{ :; }}; STATE={tmp_path} PY={sys.executable} ROOT={REPO_ROOT} write_env')
    subprocess.run(["bash", "-c", script], check=True, cwd=REPO_ROOT)
    for name in list(os.environ):
        if name.startswith("PORTAL_"):
            monkeypatch.delenv(name)
    for line in (tmp_path / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        if name.startswith("PORTAL_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'shape.db'}")
    monkeypatch.setenv("PORTAL_INSTANCE_DIR", str(tmp_path))
    app = create_app()
    assert app.config["ENV_NAME"] == "staging" and app.extensions["ecp_verifier"] is not None


def test_production_refuses_rate_limits_in_memory(production_env, monkeypatch):
    message = _refusal(monkeypatch, PORTAL_REDIS_URL=None)
    assert "rate limits kept in memory" in message
    message = _refusal(monkeypatch, PORTAL_RATELIMIT_STORAGE="memory://")
    assert "rate limits kept in memory" in message


def test_rate_limits_may_use_their_own_storage(production_env, monkeypatch):
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE", "redis://127.0.0.1:9/1")
    assert from_environment()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:9/1"


def test_development_still_starts_with_the_demo_settings(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("PORTAL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'dev.db'}")
    config = from_environment()
    assert config["RATELIMIT_STORAGE_URI"] == "memory://" and config["TRUSTED_PROXIES"] == 0


def test_trusted_proxies_must_be_a_number(production_env, monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "one")
    with pytest.raises(ConfigError, match="PORTAL_TRUSTED_PROXIES"):
        from_environment()
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "2")
    assert from_environment()["TRUSTED_PROXIES"] == 2


# --- The client address behind trusted proxies (ProxyFix) ------------------------------------


def _limited_app(config: dict):
    app = create_app(config)

    @limiter.limit("2/minute")
    def whoami():
        from flask import request

        return request.remote_addr

    app.add_url_rule("/_whoami", "whoami", whoami)
    return app


@pytest.mark.parametrize("trusted", [0, 1])
def test_limits_key_on_the_forwarded_client_only_behind_a_trusted_proxy(app_config, trusted):
    app = _limited_app({**app_config, "TRUSTED_PROXIES": trusted,
                        "PROXY_ADDRESSES": ("10.9.9.0/24",)})
    with app.app_context():
        limiter.reset()
        client = app.test_client()

        def get(client_ip):
            return client.get("/_whoami", headers={"X-Forwarded-For": client_ip},
                              environ_base={"REMOTE_ADDR": "10.9.9.9"})

        first, second = get("203.0.113.1"), get("203.0.113.1")
        third, other = get("203.0.113.1"), get("203.0.113.2")
        db.engine.dispose()
    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 429]
    if trusted:
        assert first.get_data(as_text=True) == "203.0.113.1"
        assert other.status_code == 200  # another citizen behind the same proxy
    else:
        assert first.get_data(as_text=True) == "10.9.9.9"  # the header is not believed
        assert other.status_code == 429


def test_forwarded_for_is_believed_only_from_a_configured_proxy_address(app_config):
    """An app port reached past nginx: the peer's own X-Forwarded-For is not believed."""
    app = _limited_app({**app_config, "TRUSTED_PROXIES": 1})  # proxies: loopback (default)
    with app.app_context():
        limiter.reset()
        client = app.test_client()

        def seen(peer):
            return client.get("/_whoami", headers={"X-Forwarded-For": "203.0.113.7"},
                              environ_base={"REMOTE_ADDR": peer}).get_data(as_text=True)

        assert seen("127.0.0.1") == "203.0.113.7"  # from the proxy: the client's address
        assert seen("198.51.100.4") == "198.51.100.4"  # straight to the app: its own
        db.engine.dispose()


def test_proxy_addresses_are_read_from_the_environment_and_checked(monkeypatch, app_config):
    monkeypatch.setenv("PORTAL_PROXY_ADDRESSES", "10.0.0.5, 10.1.0.0/16")
    assert from_environment()["PROXY_ADDRESSES"] == ("10.0.0.5", "10.1.0.0/16")
    with pytest.raises(ConfigError, match="PORTAL_PROXY_ADDRESSES"):
        create_app({**app_config, "TRUSTED_PROXIES": 1, "PROXY_ADDRESSES": ("nginx",)})


# --- Several app instances sharing one Redis --------------------------------------------------


def _start_server(env: dict) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "tests.support.probe_server"],
                               cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        process.wait()
        process.stdout.close()
        pytest.fail(f"probe server did not start: {line!r}")
    return process, f"http://127.0.0.1:{line.split()[1]}"


def _status(url: str) -> int:
    request = urllib.request.Request(f"{url}/_probe", data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _ten_probes_over_two_servers(env: dict) -> list[int]:
    servers = [_start_server(env) for _ in range(2)]
    try:
        return [_status(servers[i % 2][1]) for i in range(10)]
    finally:
        for process, _url in servers:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()


def _server_env(tmp_path, **extra) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PORTAL_")}
    env.update({
        "PORTAL_SECRET_KEY": GOOD_SECRET,
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "PORTAL_INSTANCE_DIR": str(tmp_path),
        "PYTHONPATH": str(REPO_ROOT),
        **extra,
    })
    return env


def test_a_limit_holds_across_two_app_servers_sharing_redis(tmp_path, redis_url):
    env = _server_env(tmp_path, PORTAL_ENV="staging", PORTAL_REDIS_URL=redis_url,
                      PORTAL_SMS_BACKEND="http", PORTAL_SMS_HTTP_URL="http://127.0.0.1:9/send",
                      PORTAL_ECP_TRUST_DIR=str(DEMO_TRUST_DIR))
    statuses = _ten_probes_over_two_servers(env)
    assert statuses.count(200) == 5 and statuses.count(429) == 5


def test_without_shared_storage_each_server_counts_alone(tmp_path):
    """The control: with memory storage two servers let 10 through a limit of 5."""
    env = _server_env(tmp_path, PORTAL_ENV="development", PORTAL_RATELIMIT_STORAGE="memory://")
    assert _ten_probes_over_two_servers(env) == [200] * 10


def test_a_session_made_on_one_instance_works_on_another_until_signed_out(
        seeded, app_config, redis_url):
    config = {**app_config, "REDIS_URL": redis_url}
    first, second = create_app(config), create_app(config)
    one, two = first.test_client(), second.test_client()
    with first.app_context():
        sign_in(one, "owner_self")
    two.set_cookie("mk_session", one.get_cookie("mk_session").value)
    with second.app_context():
        assert two.get("/cabinet").status_code == 200
        assert two.post("/sign-out").status_code == 303
    with first.app_context():
        assert one.get("/cabinet").status_code == 302
    for instance in (first, second):
        instance.session_interface.client.close()
        with instance.app_context():
            db.engine.dispose()

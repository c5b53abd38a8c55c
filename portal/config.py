"""Settings, all from PORTAL_* environment variables, with safe defaults for a newcomer.

PORTAL_ENV is one of ENVIRONMENTS; anything else refuses to start. In `production` and `staging`
check_production() refuses what is only for demos and tests (docs/DEPLOY.md lists every refusal).
"""

from __future__ import annotations

import math
import os
import secrets
from collections import Counter
from pathlib import Path

from portal.domain import languages, limits

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_TRUST_DIR = REPO_ROOT / "demo" / "ecp-trust"  # test certificates anyone can sign with
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", REPO_ROOT / "instance"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key() -> str:
    """A random key kept in instance/ so sessions survive a restart of the dev server."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class ConfigError(RuntimeError):
    pass


MIN_SECRET_BYTES = 32  # a 256-bit key for the session cookie and the code hashes
# A character-frequency (Shannon) estimate of the whole secret, in bits. It underrates real
# randomness (32 random hex digits score 90 or more, 64 score 210 or more) and catches what a
# person types: "x" * 32 scores 0, "a" * 31 + "b" 6.
MIN_SECRET_ENTROPY_BITS = 80
GENERATE_SECRET = "python -c 'import secrets; print(secrets.token_hex(32))'"

# The known environments. `staging` is the production shape on a test bench
# (scripts/prod-shape.sh): production's checks, except that it may run on the demo stand-ins
# for the state registries and the NCA (it has neither gateway nor real certificates).
ENVIRONMENTS = ("development", "test", "staging", "production")
STRICT_ENVIRONMENTS = frozenset({"staging", "production"})

# ЭЦП settings (portal.ecp.setup): config key -> environment variable.
ECP_SETTINGS = {
    "ECP_TRUST_DIR": "PORTAL_ECP_TRUST_DIR",
    "ECP_OCSP": "PORTAL_ECP_OCSP",
    "ECP_OCSP_URL": "PORTAL_ECP_OCSP_URL",
    "ECP_OCSP_UNKNOWN": "PORTAL_ECP_OCSP_UNKNOWN",
    "ECP_OCSP_UNAVAILABLE": "PORTAL_ECP_OCSP_UNAVAILABLE",
    "NCANODE_URL": "PORTAL_NCANODE_URL",
    "NCALAYER_URL": "PORTAL_NCALAYER_URL",
}
# The secret settings, each held to secret_problem(): config key -> environment variable.
SECRET_SETTINGS = {
    "SECRET_KEY": "PORTAL_SECRET_KEY",
    "SMS_HTTP_TOKEN": "PORTAL_SMS_HTTP_TOKEN",
    "SMS_INBOUND_SECRET": "PORTAL_SMS_INBOUND_SECRET",
}


def secret_problem(name: str, value: str | bytes) -> str | None:
    """Why `value` is too weak for the secret setting `name`, or None: the one rule for every
    secret. At least MIN_SECRET_BYTES bytes, not a shorter string repeated ("abab…"), and at
    least MIN_SECRET_ENTROPY_BITS by its character frequencies."""
    data = value.encode() if isinstance(value, str) else bytes(value)
    if len(data) < MIN_SECRET_BYTES:
        return f"{name} must be at least {MIN_SECRET_BYTES} bytes long (e.g. {GENERATE_SECRET})"
    if data in (data + data)[1:-1]:  # equal to a rotation of itself: a repeated block
        return f"{name} is a short string repeated: generate one ({GENERATE_SECRET})"
    counts = Counter(data)
    bits = -sum(n * math.log2(n / len(data)) for n in counts.values())
    if bits < MIN_SECRET_ENTROPY_BITS:
        return (f"{name} is too predictable ({len(counts)} different characters): generate "
                f"one ({GENERATE_SECRET})")
    return None


def environment() -> str:
    """PORTAL_ENV, which must be one of ENVIRONMENTS: a misspelt "prod" or "Production" would
    otherwise start without production's checks."""
    env = os.environ.get("PORTAL_ENV", "development").strip()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV={env!r} is not a known environment: use one of "
                          + ", ".join(ENVIRONMENTS))
    return env


def ecp_from_environment(strict: bool = False) -> dict:
    """The PORTAL_ECP_* settings that are set. With `strict` (production, staging) revocation
    checking is on unless PORTAL_ECP_OCSP says otherwise, which check_production refuses."""
    found = {key: os.environ[name].strip() for key, name in ECP_SETTINGS.items()
             if os.environ.get(name, "").strip()}
    if strict:
        found.setdefault("ECP_OCSP", "on")
    return found


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


# The kiosk's idle times (kiosk.profile.idle_settings): config key -> environment variable. Unset,
# portal/domain/limits.py's KIOSK_IDLE_WARN and KIOSK_IDLE_RESET hold.
KIOSK_IDLE_SETTINGS = {
    "KIOSK_IDLE_WARN_SECONDS": "PORTAL_KIOSK_IDLE_WARN_SECONDS",
    "KIOSK_IDLE_RESET_SECONDS": "PORTAL_KIOSK_IDLE_RESET_SECONDS",
}


def kiosk_idle_from_environment() -> dict:
    """The PORTAL_KIOSK_IDLE_* settings that are set, in whole seconds: each above zero, and the
    warning before the reset (a reset first would erase the visit without a warning)."""
    found = {key: _int(name, 0) for key, name in KIOSK_IDLE_SETTINGS.items()
             if os.environ.get(name, "").strip()}
    for key, value in found.items():
        if value <= 0:
            raise ConfigError(f"{KIOSK_IDLE_SETTINGS[key]} must be a number of seconds above 0")
    warn = found.get("KIOSK_IDLE_WARN_SECONDS", int(limits.KIOSK_IDLE_WARN.total_seconds()))
    reset = found.get("KIOSK_IDLE_RESET_SECONDS", int(limits.KIOSK_IDLE_RESET.total_seconds()))
    if warn >= reset:
        raise ConfigError(f"the kiosk's idle warning ({warn} s, PORTAL_KIOSK_IDLE_WARN_SECONDS) "
                          f"must come before its reset ({reset} s, "
                          "PORTAL_KIOSK_IDLE_RESET_SECONDS)")
    return found


def from_environment() -> dict:
    env = environment()
    production = env in STRICT_ENVIRONMENTS
    secret = os.environ.get("PORTAL_SECRET_KEY")
    if production and not secret:
        raise ConfigError(f"PORTAL_SECRET_KEY must be set in {env}")
    redis_url = os.environ.get("PORTAL_REDIS_URL", "").strip()
    registries = os.environ.get("PORTAL_REGISTRIES", "").strip()  # "package.module:Class"
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret or _dev_secret_key(),
        "DEMO_MODE": _flag("PORTAL_DEMO"),  # refused in production (check_production)
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "PORTAL_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
        ),
        "PUBLIC_URL": os.environ.get("PORTAL_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SMS_BACKEND": os.environ.get("PORTAL_SMS_BACKEND", "outbox"),
        "SMS_HTTP_URL": os.environ.get("PORTAL_SMS_HTTP_URL", ""),
        "SMS_HTTP_TOKEN": os.environ.get("PORTAL_SMS_HTTP_TOKEN", ""),
        "SMS_INBOUND_SECRET": os.environ.get("PORTAL_SMS_INBOUND_SECRET", ""),
        # E-mail notices (portal.core.mail): the outbox (demo), or an SMTP server.
        "MAIL_BACKEND": os.environ.get("PORTAL_MAIL_BACKEND", "outbox"),
        "MAIL_SMTP_HOST": os.environ.get("PORTAL_MAIL_SMTP_HOST", ""),
        "MAIL_SMTP_PORT": _int("PORTAL_MAIL_SMTP_PORT", 587),
        "MAIL_SMTP_STARTTLS": _flag("PORTAL_MAIL_SMTP_STARTTLS", True),
        "MAIL_SMTP_USER": os.environ.get("PORTAL_MAIL_SMTP_USER", ""),
        "MAIL_SMTP_PASSWORD": os.environ.get("PORTAL_MAIL_SMTP_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("PORTAL_MAIL_FROM", Defaults.MAIL_FROM),
        # Sessions live in Redis when it is given, else in the database.
        "REDIS_URL": redis_url,
        # Rate-limit counters: PORTAL_RATELIMIT_STORAGE, else the same Redis, else memory.
        "RATELIMIT_STORAGE_URI": (os.environ.get("PORTAL_RATELIMIT_STORAGE", "").strip()
                                  or redis_url or "memory://"),
        "TRUSTED_PROXIES": _int("PORTAL_TRUSTED_PROXIES", 0),
        "PROXY_ADDRESSES": tuple(a.strip() for a in os.environ.get(
            "PORTAL_PROXY_ADDRESSES", "127.0.0.1,::1").split(",")),
        "SESSION_COOKIE_SECURE": _flag("PORTAL_SECURE_COOKIES", production),
        "KIOSK_ID": os.environ.get("PORTAL_KIOSK_ID", ""),
        **kiosk_idle_from_environment(),
        **ecp_from_environment(production),
        # The state registries' adapter (portal.core.registries.init_app); unset: the demo stand-in,
        # which production refuses.
        **({"REGISTRIES": registries} if registries else {}),
    }


def check_production(config) -> None:
    """Production (and staging) refuses what is only for demos and tests: raises ConfigError
    naming every problem. docs/DEPLOY.md ("What production refuses") lists them."""
    env = config.get("ENV_NAME")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"ENV_NAME={env!r} is not a known environment: use one of "
                          + ", ".join(ENVIRONMENTS))
    if env not in STRICT_ENVIRONMENTS:
        return
    problems = []
    if config.get("SMS_BACKEND", "outbox") == "outbox":
        problems.append("PORTAL_SMS_BACKEND=outbox only stores and logs messages, one-time codes "
                        "included, in clear: use the http backend in production")
    problems += _secret_problems(config)
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        problems.append("rate limits kept in memory are counted by each worker alone: set "
                        "PORTAL_REDIS_URL (or PORTAL_RATELIMIT_STORAGE) in production")
    if int(config.get("TRUSTED_PROXIES") or 0) < 0:
        problems.append("PORTAL_TRUSTED_PROXIES cannot be negative")
    if config.get("DEMO_MODE"):
        problems.append("PORTAL_DEMO=1 publishes everyone's one-time codes at /demo/sms: unset "
                        "it in production")
    problems += _ecp_problems(config, demo_allowed=env == "staging")
    if env == "production":
        problems.append(_registries_problem(config.get("REGISTRIES")))
        problems.append(_mail_problem(config))
    problems = [problem for problem in problems if problem]
    if problems:
        raise ConfigError(f"Refusing to start in {env}: " + "; ".join(problems))


def _mail_problem(config) -> str | None:
    """E-mail notices go out for real in production (staging keeps them in its outbox, so a
    test shape never writes to real people)."""
    if config.get("MAIL_BACKEND", "outbox") == "outbox":
        return ("PORTAL_MAIL_BACKEND=outbox only stores the e-mail notices applicants asked for "
                "and never sends them: set smtp and PORTAL_MAIL_SMTP_HOST in production")
    if config.get("MAIL_BACKEND") == "smtp" and not config.get("MAIL_SMTP_HOST"):
        return "PORTAL_MAIL_BACKEND=smtp needs PORTAL_MAIL_SMTP_HOST"
    return None


def _secret_problems(config) -> list[str | None]:
    """Every secret setting by the one rule; the SMS ones may be unset (webhooks then answer
    403, the provider call carries no token), never weak."""
    return [secret_problem(name, config.get(key) or "")
            for key, name in SECRET_SETTINGS.items()
            if config.get(key) or key == "SECRET_KEY"]


def _ecp_problems(config, demo_allowed: bool) -> list[str]:
    """ЭЦП must be on, against the real NCA roots, with revocation checked hard-fail: a
    certificate whose status is unknown, or whose responder cannot be reached, is refused."""
    trust_dir = config.get("ECP_TRUST_DIR")
    if not trust_dir:
        return ["PORTAL_ECP_TRUST_DIR must name the directory of the NCA root and intermediate "
                "certificates (pki.gov.kz): ЭЦП cannot be off in production"]
    problems = []
    if (config.get("ECP_OCSP") or "off") != "on":
        problems.append("PORTAL_ECP_OCSP must be on in production: without it a revoked "
                        "certificate signs")
    for key in ("ECP_OCSP_UNKNOWN", "ECP_OCSP_UNAVAILABLE"):
        if (config.get(key) or "reject") != "reject":
            problems.append(f"PORTAL_{key}={config.get(key)} accepts a certificate whose "
                            "revocation status is not known: it must be reject in production")
    if not demo_allowed:
        problems.append(_demo_trust_problem(trust_dir))
    return problems


def _demo_trust_problem(trust_dir) -> str | None:
    """The demo trust store, or any of its certificates copied elsewhere, is refused: its
    private keys are in the repository (demo/ecp-trust)."""
    from portal.ecp.trust import TrustStore

    try:
        store = TrustStore.from_directory(trust_dir)
    except (OSError, ValueError) as exc:
        return f"PORTAL_ECP_TRUST_DIR={trust_dir}: {exc}"
    demo = TrustStore.from_directory(DEMO_TRUST_DIR)
    demo_prints = {cert.sha256 for cert in (*demo.roots, *demo.intermediates)}
    if any(cert.sha256 in demo_prints for cert in (*store.roots, *store.intermediates)):
        return (f"PORTAL_ECP_TRUST_DIR={trust_dir} holds the demo certificates of demo/ecp-trust "
                "(their keys are public): use the NCA's own")
    return None


def _registries_problem(adapter) -> str | None:
    """Production asks the state information systems, never the demo stand-in."""
    if adapter is None:
        return ("PORTAL_REGISTRIES is not set: production refuses the demo stand-in for the "
                "state registries (demo_registries); name the e-government gateway's adapter "
                "(package.module:Class)")
    module = adapter.partition(":")[0] if isinstance(adapter, str) else type(adapter).__module__
    if module.split(".")[0] == "demo_registries":
        return f"PORTAL_REGISTRIES is the demo stand-in ({module}): not in production"
    return None


class Defaults:
    """What every environment shares; from_environment() and tests override."""

    ENV_NAME = "development"
    DEMO_MODE = False
    PUBLIC_URL = "http://127.0.0.1:5000"
    SMS_BACKEND = "outbox"
    SMS_HTTP_URL = ""
    SMS_HTTP_TOKEN = ""
    SMS_INBOUND_SECRET = ""
    MAIL_BACKEND = "outbox"  # or "smtp" (portal.core.mail)
    MAIL_SMTP_HOST = ""
    MAIL_SMTP_PORT = 587
    MAIL_SMTP_STARTTLS = True
    MAIL_SMTP_USER = ""
    MAIL_SMTP_PASSWORD = ""
    MAIL_FROM = "Mekenjai <noreply@mekenjai.kz>"
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = ""  # sessions in Redis when set, else in the database (Flask-Session)
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app whose X-Forwarded-* are trusted
    PROXY_ADDRESSES = ("127.0.0.1", "::1")  # ...and only from these peers (portal.proxies)
    SESSION_COOKIE_SECURE = False
    KIOSK_ID = ""
    # The kiosks' spoken pages (kiosk.speech): each app server's own cache of Ogg Opus files,
    # named by their content; the words behind them are in the database.
    KIOSK_SPEECH_DIR = os.environ.get("PORTAL_KIOSK_SPEECH_DIR",
                                      str(INSTANCE_DIR / "kiosk-speech"))
    LANGUAGES = languages.LANGUAGES  # one list: portal.domain.languages
    BABEL_DEFAULT_LOCALE = "kk"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    BABEL_TRANSLATION_DIRECTORIES = str(REPO_ROOT / "translations")
    # Pre-ping: a connection the database dropped (a restart, a fail-over, a killed backend) is
    # replaced before the request uses it, instead of costing that request a 503. It costs a
    # `SELECT 1` round trip on each checkout (docs/BENCHMARKS.md measured 13 % of the status
    # page's time); a citizen losing a request after each restart is worse. pool_recycle renews
    # connections older than 30 minutes (before a firewall or idle timeouts can cut them).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800, "pool_pre_ping": True}
    # False: a request only commits its SMS to the outbox and the SMS worker sends it
    # (portal.core.sms). True sends within the request (the tests, to stay deterministic).
    SMS_SEND_IN_REQUEST = _flag("PORTAL_SMS_SEND_IN_REQUEST")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "mk_session"
    # Server-side sessions (portal.core.sessions): the cookie holds only a random id.
    # The stored session's own expiry (real time); a sign-in ends after this long without a
    # request (portal/domain/limits.py: CITIZEN_SESSION_IDLE).
    PERMANENT_SESSION_LIFETIME = int(limits.CITIZEN_SESSION_IDLE.total_seconds())
    SESSION_IDLE_MINUTES = int(limits.CITIZEN_SESSION_IDLE.total_seconds()) // 60
    SESSION_MAX_HOURS = 12  # and 12 hours after it began, however busy
    SESSION_KEY_PREFIX = "mk:session:"
    SESSION_SQLALCHEMY_TABLE = "sessions"
    # Store a session only when it changed (Flask-Session's should_set_storage); the idle clock
    # renews it once a minute while the citizen is active (portal.auth.routes.sessions).
    SESSION_REFRESH_EACH_REQUEST = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; htmx pages stay open
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    MAX_CONTENT_LENGTH = limits.UPLOAD_MAX_BYTES + 1024 * 1024  # one upload plus the form
    TEMPLATES_AUTO_RELOAD = False
    # The legal and security figures, each with its source, in portal/domain/limits.py.
    SIGN_IN_CODE_MINUTES = limits.minutes(limits.CODE_LIFETIME)
    CODE_MAX_ATTEMPTS = limits.CODE_MAX_ATTEMPTS
    CODE_RESEND_SECONDS = int(limits.CODE_RESEND_AFTER.total_seconds())
    SMS_MAX_ATTEMPTS = limits.SMS_MAX_ATTEMPTS

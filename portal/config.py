"""Settings, all from PORTAL_* environment variables, with safe defaults for a newcomer."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from portal.domain import limits

REPO_ROOT = Path(__file__).resolve().parent.parent
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


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def from_environment() -> dict:
    env = os.environ.get("PORTAL_ENV", "development")
    production = env == "production"
    secret = os.environ.get("PORTAL_SECRET_KEY")
    if production and not secret:
        raise ConfigError("PORTAL_SECRET_KEY must be set in production")
    redis_url = os.environ.get("PORTAL_REDIS_URL", "").strip()
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret or _dev_secret_key(),
        "DEMO_MODE": _flag("PORTAL_DEMO") and not production,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "PORTAL_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
        ),
        "PUBLIC_URL": os.environ.get("PORTAL_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SMS_BACKEND": os.environ.get("PORTAL_SMS_BACKEND", "outbox"),
        "SMS_HTTP_URL": os.environ.get("PORTAL_SMS_HTTP_URL", ""),
        "SMS_HTTP_TOKEN": os.environ.get("PORTAL_SMS_HTTP_TOKEN", ""),
        "SMS_INBOUND_SECRET": os.environ.get("PORTAL_SMS_INBOUND_SECRET", ""),
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
    }


def check_production(config) -> None:
    """Production refuses what is only for demos and tests (raises ConfigError, saying why)."""
    if config.get("ENV_NAME") != "production":
        return
    problems = []
    if config.get("SMS_BACKEND", "outbox") == "outbox":
        problems.append("PORTAL_SMS_BACKEND=outbox only stores and logs messages, one-time codes "
                        "included, in clear: use the http backend in production")
    secret = config.get("SECRET_KEY") or ""
    if len(secret.encode() if isinstance(secret, str) else secret) < MIN_SECRET_BYTES:
        problems.append(f"PORTAL_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes long "
                        "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')")
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        problems.append("rate limits kept in memory are counted by each worker alone: set "
                        "PORTAL_REDIS_URL (or PORTAL_RATELIMIT_STORAGE) in production")
    if int(config.get("TRUSTED_PROXIES") or 0) < 0:
        problems.append("PORTAL_TRUSTED_PROXIES cannot be negative")
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems))


class Defaults:
    """What every environment shares; from_environment() and tests override."""

    ENV_NAME = "development"
    DEMO_MODE = False
    PUBLIC_URL = "http://127.0.0.1:5000"
    SMS_BACKEND = "outbox"
    SMS_HTTP_URL = ""
    SMS_HTTP_TOKEN = ""
    SMS_INBOUND_SECRET = ""
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = ""  # sessions in Redis when set, else in the database (Flask-Session)
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app whose X-Forwarded-* are trusted
    PROXY_ADDRESSES = ("127.0.0.1", "::1")  # ...and only from these peers (portal.proxies)
    SESSION_COOKIE_SECURE = False
    KIOSK_ID = ""
    LANGUAGES = ("kk", "ru", "en")
    BABEL_DEFAULT_LOCALE = "kk"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    BABEL_TRANSLATION_DIRECTORIES = str(REPO_ROOT / "translations")
    # No pre-ping: it cost a `SELECT 1` round trip before every request's first query (13 % of
    # the status page's time, docs/BENCHMARKS.md). A connection the database dropped (a restart)
    # fails once instead: SQLAlchemy then discards the whole pool, so each worker loses one
    # request after a database restart. pool_recycle renews connections older than 30 minutes
    # (before a firewall or PostgreSQL's idle timeouts can cut them).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "mk_session"
    # Server-side sessions (portal.sessions): the cookie holds only a random id.
    # The stored session's own expiry (real time); a sign-in ends after this long without a
    # request (portal/domain/limits.py: CITIZEN_SESSION_IDLE).
    PERMANENT_SESSION_LIFETIME = int(limits.CITIZEN_SESSION_IDLE.total_seconds())
    SESSION_IDLE_MINUTES = int(limits.CITIZEN_SESSION_IDLE.total_seconds()) // 60
    SESSION_MAX_HOURS = 12  # and 12 hours after it began, however busy
    SESSION_KEY_PREFIX = "mk:session:"
    SESSION_SQLALCHEMY_TABLE = "sessions"
    # Store a session only when it changed (Flask-Session's should_set_storage); the idle clock
    # renews it once a minute while the citizen is active (portal.auth.sessions).
    SESSION_REFRESH_EACH_REQUEST = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; htmx pages stay open
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    MAX_CONTENT_LENGTH = limits.UPLOAD_MAX_BYTES + 1024 * 1024  # one upload plus the form
    TEMPLATES_AUTO_RELOAD = False
    # The legal and security figures, each with its source, in portal/domain/limits.py.
    SIGN_IN_CODE_MINUTES = limits.CODE_LIFETIME_MINUTES
    CONSENT_MINUTES = limits.CONSENT_MINUTES
    CODE_MAX_ATTEMPTS = limits.CODE_MAX_ATTEMPTS
    CODE_RESEND_SECONDS = int(limits.CODE_RESEND_AFTER.total_seconds())
    SMS_MAX_ATTEMPTS = limits.SMS_MAX_ATTEMPTS

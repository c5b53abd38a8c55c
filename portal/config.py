"""Settings, all from PORTAL_* environment variables, with safe defaults for a newcomer."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

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


def from_environment() -> dict:
    env = os.environ.get("PORTAL_ENV", "development")
    production = env == "production"
    secret = os.environ.get("PORTAL_SECRET_KEY")
    if production and not secret:
        raise ConfigError("PORTAL_SECRET_KEY must be set in production")
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
        "RATELIMIT_STORAGE_URI": os.environ.get("PORTAL_RATELIMIT_STORAGE", "memory://"),
        "SESSION_COOKIE_SECURE": _flag("PORTAL_SECURE_COOKIES", production),
        "KIOSK_ID": os.environ.get("PORTAL_KIOSK_ID", ""),
    }


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
    SESSION_COOKIE_SECURE = False
    KIOSK_ID = ""
    LANGUAGES = ("kk", "ru", "en")
    BABEL_DEFAULT_LOCALE = "kk"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    BABEL_TRANSLATION_DIRECTORIES = str(REPO_ROOT / "translations")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "mk_session"
    PERMANENT_SESSION_LIFETIME = 30 * 60  # a citizen's sign-in lasts 30 minutes idle
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; htmx pages stay open
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024  # uploads: 5 MB a file plus the form
    TEMPLATES_AUTO_RELOAD = False
    SIGN_IN_CODE_MINUTES = 5
    CONSENT_MINUTES = 60
    CODE_MAX_ATTEMPTS = 5
    CODE_RESEND_SECONDS = 60
    SMS_MAX_ATTEMPTS = 8

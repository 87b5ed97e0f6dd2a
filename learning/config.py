"""Settings from the environment, with safe defaults.

``APP_ENV`` is ``production`` unless said otherwise: a forgotten setting must fail closed
(secure cookies, a secret key required), never open.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import click

from .i18n import INTERFACE_LANGUAGES
from .identity import Identity, IdentityError, load_identity
from .paths import local_folder

ENVIRONMENTS = ("development", "production", "testing")
DEVELOPMENT_PUBLIC_URL = "http://localhost:5000"


class ConfigError(click.ClickException):
    """The environment does not describe a runnable platform.

    A ClickException, so that a ``flask`` command whose app cannot be built prints this one
    line and exits with status 2, instead of a traceback.
    """

    exit_code = 2


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _number(name: str, default: float, convert=int):
    """A number from the environment (``convert`` is int or float), or a clear refusal."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return convert(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {value!r}.") from None


def _development_secret_key(instance_path: str) -> str:
    """Generate a key once and keep it in the instance folder, so sessions survive restarts."""
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _public_url(development: bool) -> str:
    """The platform's public address: every absolute link that leaves it is built from this,
    never from the request's Host header, which whoever sends the request chooses."""
    value = os.environ.get("PUBLIC_URL", "").strip().rstrip("/")
    if not value:
        if not development:
            raise ConfigError(
                "PUBLIC_URL must be set in production: the platform's public address, "
                "e.g. https://learn.example.org (links in emails and certificates use it)."
            )
        value = DEVELOPMENT_PUBLIC_URL
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ConfigError(
            f"PUBLIC_URL must be an http or https address such as https://learn.example.org, "
            f"not {value!r}."
        )
    return value


def _trusted_hosts(public_url: str, development: bool) -> list[str]:
    """The host names requests may carry: PUBLIC_URL's, those listed in TRUSTED_HOSTS, and on
    a developer's machine the loopback names. Flask answers any other host with 400."""
    hosts = [urlsplit(public_url).hostname or ""]
    hosts += [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if development:
        hosts += ["localhost", "127.0.0.1"]
    return list(dict.fromkeys(hosts))


def _identity(instance_path: str) -> Identity:
    try:
        return load_identity(instance_path)
    except IdentityError as error:
        raise ConfigError(str(error)) from None


def courses_path() -> str:
    """Where courses are read from: the checkout's ``courses/``, or once installed the working
    folder's (needs nothing else of the configuration)."""
    return os.environ.get("COURSES_PATH", local_folder("courses"))


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping the app factory applies."""
    env = os.environ.get("APP_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    development = env != "production"

    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if not development:
            raise ConfigError(
                "SECRET_KEY must be set in production (e.g. `python -c "
                "'import secrets; print(secrets.token_hex(32))'`)."
            )
        secret_key = _development_secret_key(instance_path)

    public_url = _public_url(development)
    default_db = "sqlite:///" + str(Path(instance_path) / "learning.db")
    mail_server = os.environ.get("MAIL_SERVER", "")
    return {
        "APP_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        # How long a session without "keep me signed in" lasts on the server, at most.
        "LOGIN_SESSION_MAX_AGE": _number("LOGIN_SESSION_MAX_AGE", 60 * 60 * 24),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "ACCOUNT_RATE_LIMIT": os.environ.get("ACCOUNT_RATE_LIMIT", "10 per minute;50 per hour"),
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT", "5 per minute;20 per hour"),
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "10 per minute;50 per hour"),
        "REGISTER_ACCOUNT_RATE_LIMIT": os.environ.get("REGISTER_ACCOUNT_RATE_LIMIT",
                                                      "3 per hour;10 per day"),
        "POLL_RATE_LIMIT": os.environ.get("POLL_RATE_LIMIT", "30 per minute"),
        "REFLECTION_RATE_LIMIT": os.environ.get("REFLECTION_RATE_LIMIT",
                                                "20 per minute;200 per day"),
        # Posting in discussions: per learner, and per address whoever is signed in there.
        "DISCUSSION_RATE_LIMIT": os.environ.get("DISCUSSION_RATE_LIMIT",
                                                "10 per minute;100 per day"),
        "DISCUSSION_IP_RATE_LIMIT": os.environ.get("DISCUSSION_IP_RATE_LIMIT",
                                                   "30 per minute;300 per day"),
        "DISCUSSION_EDIT_MINUTES": _number("DISCUSSION_EDIT_MINUTES", 30),
        # Learners who report a post before it is hidden pending review.
        "DISCUSSION_REPORTS_TO_HIDE": _number("DISCUSSION_REPORTS_TO_HIDE", 3),
        # A new account's first posts (this many) wait for an instructor; 0: none wait.
        "DISCUSSION_HOLD_FIRST_POSTS": _number("DISCUSSION_HOLD_FIRST_POSTS", 0),
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "30 per minute"),
        "PASSWORD_RESET_MAX_AGE": _number("PASSWORD_RESET_MAX_AGE", 3600),
        "EMAIL_CONFIRM_MAX_AGE": _number("EMAIL_CONFIRM_MAX_AGE", 3 * 86400),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if mail_server else "log"),
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _number("MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "no-reply@localhost"),
        "PREFERRED_URL_SCHEME": "http" if development else "https",
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": INTERFACE_LANGUAGES,
        # Who runs the platform and issues its certificates (identity.py).
        "IDENTITY": _identity(instance_path),
        "PUBLIC_URL": public_url,
        "TRUSTED_HOSTS": _trusted_hosts(public_url, development),
        "TRUSTED_PROXIES": _number("TRUSTED_PROXIES", 0),
        "SIGNING_KEYS_PATH": os.environ.get(
            "SIGNING_KEYS_PATH", str(Path(instance_path) / "signing-keys")
        ),
        # How often each app server checks whether an import changed a course whose lesson
        # pages it keeps for anonymous readers (page_cache.py).
        "ANONYMOUS_PAGE_RECHECK_SECONDS": _number(
            "ANONYMOUS_PAGE_RECHECK_SECONDS", 1.0, float),
        # Pages and static text sent brotli- or gzip-compressed by the app (compression.py);
        # off behind a proxy that compresses.
        "COMPRESSION": _flag("COMPRESSION", True),
        "COURSES_PATH": courses_path(),
    }

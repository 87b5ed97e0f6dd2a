"""Who runs the platform: its name, tagline, issuing organisation, logo, colour and signatory.

An operator sets them in ``identity.toml`` in the instance folder, and any of them by an
environment variable, which wins (see docs/identity.md). Texts may be one string or a table
of translations by language code. Without settings the platform wears a neutral identity of
its own: no emblem or agency logo, whose use needs permission.

One home for the identity: the header, footer, emails, certificates and credentials read it
here, from ``current_app.extensions["identity"]``.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .paths import app_folder

SETTINGS_FILE = "identity.toml"
DEFAULT_COLOUR = "#0b5a7a"
DEFAULT_MARK = "mark.svg"  # in static/, drawn in the platform's colour
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}

# Field: the environment variable that overrides it.
ENVIRONMENT = {
    "name": "PLATFORM_NAME",
    "tagline": "PLATFORM_TAGLINE",
    "issuer": "ISSUER_NAME",
    "issuer_url": "ISSUER_URL",
    "issuer_email": "ISSUER_EMAIL",
    "logo": "ISSUER_LOGO",
    "colour": "BRAND_COLOUR",
    "signatory_name": "SIGNATORY_NAME",
    "signatory_role": "SIGNATORY_ROLE",
}
TRANSLATABLE = {"name", "tagline", "issuer", "signatory_role"}
DEFAULT_NAME = "SSE Learning"


class IdentityError(Exception):
    """The identity settings cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Identity:
    name: dict[str, str] = field(default_factory=lambda: {"en": DEFAULT_NAME})
    # Empty: the default tagline, in the reader's language.
    tagline: dict[str, str] = field(default_factory=dict)
    issuer: dict[str, str] = field(default_factory=lambda: {"en": DEFAULT_NAME})
    issuer_url: str = ""
    issuer_email: str = ""
    logo: Path | None = None  # None: the neutral mark
    colour: str = DEFAULT_COLOUR
    signatory_name: str = ""
    signatory_role: dict[str, str] = field(default_factory=dict)

    def text(self, name: str, language: str | None = None) -> str:
        """A text in ``language`` (default: the reader's), else in English, else any."""
        values: dict[str, str] = getattr(self, name)
        if name == "tagline" and not values:
            return str(DEFAULT_TAGLINE)
        language = language or str(get_locale())
        return values.get(language) or values.get("en") or next(iter(values.values()), "")

    @property
    def dark_colour(self) -> str:
        """The colour for hover and pressed states: the primary mixed with 30 % black."""
        red, green, blue = _rgb(self.colour)
        return "#{:02x}{:02x}{:02x}".format(*(round(c * 0.7) for c in (red, green, blue)))

    @property
    def logo_bytes(self) -> tuple[bytes, str]:
        """The logo and its media type: the operator's file, else the mark in our colour."""
        return _logo(self.logo, self.colour)

    @property
    def logo_version(self) -> str:
        return _logo_version(self.logo, self.colour)

    @property
    def style(self) -> str:
        """The colour rule every page carries inline (its hash is in the CSP)."""
        return f":root{{--accent:{self.colour};--accent-dark:{self.dark_colour}}}"


DEFAULT_TAGLINE = _l("Awareness-raising package on the social and solidarity economy")


@cache
def _logo(path: Path | None, colour: str) -> tuple[bytes, str]:
    if path is None:
        mark = Path(app_folder("static"), DEFAULT_MARK).read_text(encoding="utf-8")
        return mark.replace(DEFAULT_COLOUR, colour).encode(), LOGO_TYPES[".svg"]
    return path.read_bytes(), LOGO_TYPES[path.suffix.lower()]


@cache
def _logo_version(path: Path | None, colour: str) -> str:
    """A hash of the logo's bytes, for its address: read on every page, computed once."""
    return hashlib.sha256(_logo(path, colour)[0]).hexdigest()[:12]


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``colour`` against white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(c) for c in _rgb(colour))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def _texts(source: str, key: str, value) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value.strip()} if value.strip() else {}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v.strip() for k, v in value.items() if v.strip()}
    raise IdentityError(f"{source}: {key} must be a text or a table of texts by language "
                        f'code (en = "...", fr = "..."), not {value!r}.')


def _settings(instance_path: str) -> tuple[dict, str]:
    path = Path(instance_path) / SETTINGS_FILE
    if not path.exists():
        return {}, str(path)
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise IdentityError(f"{path}: {error}") from None
    signatory = settings.pop("signatory", {})
    if not isinstance(signatory, dict):
        raise IdentityError(f"{path}: [signatory] must be a table with name and role.")
    settings.update({f"signatory_{key}": value for key, value in signatory.items()})
    unknown = set(settings) - set(ENVIRONMENT)
    if unknown:
        raise IdentityError(
            f"{path}: unknown setting {', '.join(sorted(unknown))}; the settings are "
            f"{', '.join(k for k in ENVIRONMENT if not k.startswith('signatory_'))} "
            "and [signatory] name and role.")
    return settings, str(path)


def load_identity(instance_path: str, environ=os.environ) -> Identity:
    """The identity from the settings file, each field overridden by its variable if set."""
    settings, source = _settings(instance_path)
    for key, variable in ENVIRONMENT.items():
        if environ.get(variable, "").strip():
            settings[key] = environ[variable].strip()
    values: dict = {}
    for key, value in settings.items():
        if key in TRANSLATABLE:
            values[key] = _texts(source, key, value)
        elif not isinstance(value, str):
            raise IdentityError(f"{source}: {key} must be a text, not {value!r}.")
        else:
            values[key] = value.strip()
    for key in ("name", "issuer"):
        if key in values and not values[key]:
            del values[key]
    if "issuer" not in values and "name" in values:
        values["issuer"] = values["name"]  # an operator who names the platform issues its
    if values.get("logo"):
        values["logo"] = _logo_path(instance_path, values["logo"], source)
    else:
        values.pop("logo", None)
    colour = values.get("colour", DEFAULT_COLOUR).lower() or DEFAULT_COLOUR
    if len(colour) != 7 or colour[0] != "#" or any(c not in "0123456789abcdef"
                                                    for c in colour[1:]):
        raise IdentityError(f"{source}: colour must be written #rrggbb, e.g. #0b5a7a, "
                            f"not {colour!r}.")
    ratio = contrast_on_white(colour)
    if ratio < 4.5:
        raise IdentityError(
            f"{source}: colour {colour} has a contrast of {ratio:.1f}:1 on white; links and "
            "buttons need at least 4.5:1 (WCAG AA). Choose a darker shade.")
    values["colour"] = colour
    return Identity(**values)


def _logo_path(instance_path: str, value: str, source: str) -> Path:
    path = Path(instance_path, value).expanduser()  # relative to the instance folder
    if path.suffix.lower() not in LOGO_TYPES:
        raise IdentityError(f"{source}: the logo must be an SVG or PNG file, not {value!r}.")
    if not path.is_file():
        raise IdentityError(f"{source}: the logo {path} does not exist.")
    head = path.read_bytes()[:512]
    looks_right = (head.startswith(b"\x89PNG") if path.suffix.lower() == ".png"
                   else b"<svg" in head or b"<?xml" in head)
    if not looks_right:
        raise IdentityError(f"{source}: {path} is not a valid {path.suffix[1:].upper()} file.")
    return path


def identity() -> Identity:
    return current_app.extensions["identity"]


def init_app(app: Flask) -> None:
    app.extensions["identity"] = app.config["IDENTITY"]
    app.jinja_env.globals["identity"] = app.config["IDENTITY"]

"""Response headers every page carries, and the check that keeps ``next`` on this site."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from flask import Flask, Response, abort, make_response, request
from flask_babel import lazy_gettext as _l

from .errors import render_error

# No inline script anywhere, and no inline style but the identity's colour rule, allowed by
# its hash; video players may be framed only after a learner asks for them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' {style_hash}",
        "img-src 'self' data:",
        "font-src 'self'",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def is_safe_next(target: str | None) -> bool:
    """Accept only a path on this site: no scheme, no host, no protocol-relative tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in "\r\n\t\\"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


# C0 controls but tab and line breaks, and DEL: never typed on purpose, and NUL is refused by
# PostgreSQL in any text (a 500 had the request reached a query).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_control_characters(values) -> bool:
    return any(CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
               for key, value in values.items(multi=True))


def refuse_control_characters() -> None:
    """Answer 400 to an address, query or form carrying control characters, before any view
    (and so any query) sees them: one check for every page."""
    if CONTROL_CHARACTERS.search(request.path) or _has_control_characters(request.args) or (
        request.method == "POST" and _has_control_characters(request.form)
    ):
        abort(make_response(render_error(400, message=_l(
            "The address or the form contains control characters, which are not allowed. "
            "Check what you typed or pasted and try again."))))


def content_security_policy(inline_style: str) -> str:
    digest = base64.b64encode(hashlib.sha256(inline_style.encode()).digest()).decode()
    return CONTENT_SECURITY_POLICY.format(style_hash=f"'sha256-{digest}'")


def init_app(app: Flask) -> None:
    app.before_request(refuse_control_characters)
    headers = {"Content-Security-Policy": content_security_policy(app.config["IDENTITY"].style),
               **SECURITY_HEADERS}

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

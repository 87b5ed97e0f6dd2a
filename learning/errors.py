"""Error pages that explain what happened in the learner's language."""

from __future__ import annotations

from flask import Flask, Response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from .extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    429: (
        _l("Too many attempts"),
        _l("You have tried too many times. Please wait a minute and try again."),
    ),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Please try again.")),
}


def render_error(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            _l("Form expired"),
            _l("The form could not be checked. Please go back, reload the page and try again."),
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        """A host name this platform does not answer for (TRUSTED_HOSTS): no link can be built
        for it, so no page either."""
        return Response("Bad request: this server does not answer for that host name.\n",
                        400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, code = render_error(error.code or 500)
        # What the error says besides its page, e.g. Retry-After on 429 or Allow on 405.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, code, headers

    @app.errorhandler(500)
    def server_error(error: Exception):
        # What failed may have been a write: end its transaction, so that the page (which
        # reads the signed-in user) starts a fresh one and nothing half-done is committed.
        db.session.rollback()
        return render_error(500)

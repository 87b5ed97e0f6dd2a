"""The public front of the platform."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from ..identity import identity
from ..learn.outline import last_visit, load_catalogue, load_programmes
from ..static_files import YEAR

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """The package presented: what the SSE is, the path, the courses, who it is for, and for
    a returning learner the lesson to go back to."""
    user_id = current_user.id if current_user.is_authenticated else None
    programmes, entries = load_programmes(user_id)
    if not programmes:  # a platform of courses without a programme
        entries = load_catalogue(user_id)
    return render_template(
        "main/index.html",
        programme=programmes[0] if programmes else None,
        entries=entries,
        last_visit=last_visit(user_id, str(get_locale())) if user_id is not None else None,
    )


@bp.route("/healthz")
def health():
    return {"status": "ok"}


@bp.route("/logo")
def logo():
    """The operator's logo (else the neutral mark), cached for a year under its version."""
    data, media_type = identity().logo_bytes
    response = Response(data, mimetype=media_type)
    if request.args.get("v") == identity().logo_version:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = 300
    return response

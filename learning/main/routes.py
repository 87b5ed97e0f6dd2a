"""The public front of the platform."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ..identity import identity
from ..static_files import YEAR

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return render_template("main/index.html")


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

"""The public front of the platform."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import exists, select

from ..extensions import db
from ..models import Enrollment

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    # "Welcome back" is for learners who have started something, not for one who just arrived.
    returning = current_user.is_authenticated and db.session.scalar(
        select(exists().where(Enrollment.user_id == current_user.id)))
    return render_template("main/index.html", returning=returning)


@bp.route("/healthz")
def health():
    return {"status": "ok"}

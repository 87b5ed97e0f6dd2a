"""Admin pages. Every view is for admins only, and every change is written to the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from ..access import admin_required
from ..certificates.revoking import AlreadyRevoked, revoke
from ..extensions import db
from ..models import Certificate, User
from .forms import RevokeForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


@bp.route("/certificates")
@admin_required
def certificates():
    query = request.args.get("q", "").strip()[:200]
    page = max(request.args.get("page", 1, type=int), 1)
    statement = select(Certificate).outerjoin(User, User.id == Certificate.user_id)
    if query:
        like = f"%{query}%"
        statement = statement.where(or_(
            Certificate.public_id == query,
            Certificate.holder_name.ilike(like),
            User.email.ilike(like),
            Certificate.title.ilike(like),
        ))
    rows = db.session.scalars(
        statement.order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("admin/certificates.html", certificates=rows[:PAGE_SIZE],
                           query=query, page=page, has_next=len(rows) > PAGE_SIZE)


@bp.route("/certificates/<public_id>", methods=["GET", "POST"])
@admin_required
def certificate(public_id: str):
    certificate = db.session.scalar(select(Certificate).filter_by(public_id=public_id))
    if certificate is None:
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            revoke(certificate, form.reason.data.strip(), by=current_user)
        except AlreadyRevoked:
            flash(_("This certificate was already revoked."), "error")
        else:
            flash(_("The certificate is revoked. Its public page now says so."), "success")
        return redirect(url_for("admin.certificate", public_id=public_id))
    status = 422 if form.errors else 200
    return render_template("admin/certificate.html", certificate=certificate, form=form), status

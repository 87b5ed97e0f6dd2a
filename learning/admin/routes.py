"""Admin pages. Every view is for admins only, and every change is written to the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from wtforms import SelectChoice

from .. import assignments, audit
from ..access import admin_required
from ..certificates.revoking import AlreadyRevoked, revoke
from ..extensions import db
from ..forms import page_number
from ..i18n import role_name
from ..models import AuditEvent, Certificate, Course, Enrolment, Role, User
from .forms import AssignCourseForm, ButtonForm, RevokeForm, RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


def _page_of(statement):
    """The page of rows the query string asks for (past the last one: an empty page)."""
    return db.paginate(statement, page=page_number(), per_page=PAGE_SIZE, error_out=False)


@bp.route("/")
@admin_required
def index():
    return redirect(url_for("admin.users"))


# --- Users -------------------------------------------------------------------------------------


@bp.route("/users")
@admin_required
def users():
    query = request.args.get("q", "").strip()[:200]
    role = request.args.get("role") if request.args.get("role") in set(Role) else None
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if query:
        like = f"%{query}%"
        statement = statement.where(or_(User.email.ilike(like), User.full_name.ilike(like)))
    if role:
        statement = statement.where(User.role == Role(role))
    rows = _page_of(statement)
    return render_template("admin/users.html", users=rows.items, query=query, role=role,
                           page=rows.page, has_next=rows.has_next, roles=list(Role))


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/users/<int:user_id>")
@admin_required
def user(user_id: int):
    person = _user_or_404(user_id)
    taught = assignments.courses_taught(person) if person.is_instructor else []
    return render_template(
        "admin/user.html",
        person=person,
        role_form=RoleForm(role=person.role.value),
        button_form=ButtonForm(),
        taught=taught,
        assign_form=_assign_form(exclude={c.id for c in taught}),
        enrolments=db.session.scalar(
            select(func.count(Enrolment.id)).where(Enrolment.user_id == person.id)),
        certificates=db.session.scalars(
            select(Certificate).where(Certificate.user_id == person.id)).all(),
    )


def _not_yourself(person: User):
    """Admins change other accounts, never their own: nobody locks the platform out by mistake."""
    if person.id == current_user.id:
        flash(_("You cannot change your own role or deactivate yourself: ask another admin."),
              "error")
        return redirect(url_for("admin.user", user_id=person.id))
    return None


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    person = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    refusal = _not_yourself(person)
    if refusal:
        return refusal
    if person.role.value != form.role.data:
        audit.record(current_user, "user.role", f"user:{person.id}", email=person.email,
                     before=person.role.value, after=form.role.data)
        person.role = Role(form.role.data)
        db.session.commit()
        flash(_("%(name)s is now: %(role)s.", name=person.full_name,
                role=role_name(form.role.data)), "success")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/activation")
@admin_required
def toggle_active(user_id: int):
    person = _user_or_404(user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    refusal = _not_yourself(person)
    if refusal:
        return refusal
    if person.active:
        person.deactivate()
        audit.record(current_user, "user.deactivate", f"user:{person.id}", email=person.email)
        flash(_("The account is deactivated and signed out everywhere."), "success")
    else:
        person.active = True
        audit.record(current_user, "user.reactivate", f"user:{person.id}", email=person.email)
        flash(_("The account can log in again."), "success")
    db.session.commit()
    return redirect(url_for("admin.user", user_id=person.id))


def _assign_form(exclude: set[int] = frozenset()) -> AssignCourseForm:
    form = AssignCourseForm()
    form.course.choices = [
        SelectChoice(slug, title) for id_, slug, title in
        db.session.execute(select(Course.id, Course.slug, Course.title).order_by(Course.title))
        if id_ not in exclude
    ]
    return form


@bp.post("/users/<int:user_id>/courses")
@admin_required
def assign_course(user_id: int):
    person = _user_or_404(user_id)
    form = _assign_form()
    if not form.validate_on_submit():
        abort(400)
    course = Course.by_slug_or_404(form.course.data)
    try:
        assignments.assign(person, course, by=current_user)
    except assignments.NotAnInstructor:
        flash(_("Make this person an instructor first."), "error")
    else:
        flash(_("%(name)s now teaches %(course)s.", name=person.full_name, course=course.title),
              "success")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/courses/<slug>/remove")
@admin_required
def unassign_course(user_id: int, slug: str):
    person = _user_or_404(user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    course = Course.by_slug_or_404(slug)
    if assignments.unassign(person, course, by=current_user):
        flash(_("%(name)s no longer teaches %(course)s.", name=person.full_name,
                course=course.title), "success")
    return redirect(url_for("admin.user", user_id=person.id))


# --- The audit log -----------------------------------------------------------------------------


@bp.route("/audit")
@admin_required
def audit_log():
    action = request.args.get("action", "").strip()[:50]
    statement = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        statement = statement.where(AuditEvent.action == action)
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    rows = _page_of(statement)
    return render_template("admin/audit.html", events=rows.items, action=action,
                           actions=list(actions), page=rows.page, has_next=rows.has_next)


# --- Certificates ------------------------------------------------------------------------------


@bp.route("/certificates")
@admin_required
def certificates():
    query = request.args.get("q", "").strip()[:200]
    statement = select(Certificate).outerjoin(User, User.id == Certificate.user_id)
    if query:
        like = f"%{query}%"
        statement = statement.where(or_(
            Certificate.public_id == query,
            Certificate.holder_name.ilike(like),
            User.email.ilike(like),
            Certificate.title.ilike(like),
        ))
    rows = _page_of(statement.order_by(Certificate.issued_at.desc(), Certificate.id.desc()))
    return render_template("admin/certificates.html", certificates=rows.items, query=query,
                           page=rows.page, has_next=rows.has_next)


@bp.route("/certificates/<public_id>", methods=["GET", "POST"])
@admin_required
def certificate(public_id: str):
    certificate = db.first_or_404(select(Certificate).filter_by(public_id=public_id))
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

"""Accounts: register, confirm, log in and out, reset a forgotten password, manage the profile.

Messages never say whether an address has an account: register and "forgot password" answer the
same way for both, and a failed log-in never says which half was wrong.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    json,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from .. import privacy
from ..discussion import digest
from ..extensions import db, limiter
from ..i18n import INTERFACE_LANGUAGES
from ..mail import send_email
from ..models import User, utcnow
from ..security import is_safe_next
from ..urls import public_url
from . import sessions, throttle, tokens
from .forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)

bp = Blueprint("auth", __name__)


def _submitted_account() -> str:
    """Rate-limit key for the account named in the form, whoever sends it."""
    return "account:" + User.normalise_email(request.form.get("email", ""))


def _setting(name: str):
    """A limit read from the configuration when the request comes, so tests can change it."""
    return lambda: current_app.config[name]


def _redirect_next(default: str = "main.index"):
    target = request.args.get("next")
    return redirect(target if is_safe_next(target) else url_for(default))


def _send_confirmation(user: User) -> None:
    link = public_url("auth.confirm_email", token=tokens.make_confirm_token(user))
    send_email(
        user.email,
        _("Confirm your email address"),
        _(
            "Hello %(name)s,\n\nTo finish creating your account, open this link:\n%(link)s\n\n"
            "If you did not sign up, ignore this message.",
            name=user.full_name,
            link=link,
        ),
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_setting("REGISTER_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_setting("REGISTER_ACCOUNT_RATE_LIMIT"), key_func=_submitted_account,
               methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm(language=request.accept_languages.best_match(INTERFACE_LANGUAGES) or "en")
    if form.validate_on_submit():
        existing = User.by_email(form.email.data)
        if existing is None:
            user = User(
                email=User.normalise_email(form.email.data),
                full_name=form.full_name.data.strip(),
                language=form.language.data,
            )
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            _send_confirmation(user)
        else:
            User.spend_equal_time(form.password.data)
            send_email(
                existing.email,
                _("Someone tried to sign up with your address"),
                _(
                    "Hello %(name)s,\n\nSomeone tried to create an account with this email "
                    "address, which already has one. If it was you, log in or reset your "
                    "password:\n%(link)s\n\nIf not, you can ignore this message.",
                    name=existing.full_name,
                    link=public_url("auth.forgot_password"),
                ),
            )
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    user = tokens.user_for_confirm_token(token)
    if user is None or not user.active:
        flash(_("This confirmation link is invalid or has expired. Log in to get a new one."),
              "error")
        return redirect(url_for("auth.login"))
    if not user.confirm_email():  # a link signs in once, when it confirms; never again
        flash(_("Your email address is already confirmed. Log in to continue."), "success")
        return redirect(url_for("auth.login"))
    sessions.sign_in(user, new_account=True)
    flash(_("Your email address is confirmed. Welcome!"), "success")
    return redirect(url_for("main.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return _redirect_next()
    form = LoginForm()
    if form.validate_on_submit():
        throttle.check(form.email.data)
        user = User.by_email(form.email.data)
        if user is None:
            User.spend_equal_time(form.password.data)
        elif user.check_password(form.password.data) and user.active:
            if user.email_confirmed_at is None:
                _send_confirmation(user)
                flash(_("Please confirm your email address first: we have sent you a new link."),
                      "error")
                db.session.commit()
                return render_template("auth/login.html", form=form)
            user.last_login_at = utcnow()
            sessions.sign_in(user, remember=form.remember.data)
            return _redirect_next()
        throttle.record_failure(form.email.data)
        form.password.errors.append(_("Incorrect email address or password."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    sessions.sign_out()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device, this one included."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_setting("RESET_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_setting("RESET_RATE_LIMIT"), key_func=_submitted_account, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is not None and user.active:
            link = public_url("auth.reset_password", token=tokens.make_reset_token(user))
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
            send_email(
                user.email,
                _("Reset your password"),
                _(
                    "Hello %(name)s,\n\nTo choose a new password, open this link within "
                    "%(minutes)d minutes:\n%(link)s\n\nThe link works once. If you did not ask "
                    "for it, ignore this message: your password stays as it is.",
                    name=user.full_name,
                    minutes=minutes,
                    link=link,
                ),
            )
        return render_template("auth/check_email.html", email=form.email.data, reset=True)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_setting("RESET_RATE_LIMIT"), methods=["POST"])
def reset_password(token: str):
    user = tokens.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, has expired or was already used. "
                "Ask for a new one below."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        # Following the emailed link proves the address too.
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. You can log in with it now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.full_name = form.full_name.data.strip()
        current_user.language = form.language.data
        digest.subscribe(current_user, form.discussion_digest.data)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form,
                           devices=sessions.count(current_user))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(current_user)
    if form.validate_on_submit():
        current_user.set_password(form.password.data, keep_session=current_user.session_token)
        db.session.commit()
        flash(_("Your password has been changed. Other devices have been signed out."),
              "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/data")
@login_required
def export_data():
    """Everything the platform holds about the learner, as a JSON file to keep."""
    data = privacy.export_user_data(
        current_user, lambda public_id: public_url("certificates.verify", public_id=public_id))
    response = Response(json.dumps(data, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-learning-data.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm(current_user)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        logout_user()
        privacy.delete_account(user)
        flash(_("Your account and your learning history are deleted."), "success")
        return redirect(url_for("main.index"))
    status = 422 if form.errors else 200
    return render_template("auth/delete_account.html", form=form), status

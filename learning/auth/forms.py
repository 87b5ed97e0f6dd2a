"""Account forms. Every field has a label; every error is tied to its field by the template."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..i18n import LANGUAGE_NAMES
from . import rules


def _following(rule):
    """A WTForms validator that applies one of the account rules (auth/rules.py)."""
    def validate(form, field) -> None:
        try:
            rule(field.data or "")
        except rules.Refused as refused:
            raise ValidationError(str(refused)) from None
    return validate


def _language_choices() -> list[SelectChoice]:
    return [
        SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()
    ]


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(), _following(rules.check_password)],
        description=_l("At least %(min)d characters. A short sentence is easy to remember.",
                       min=rules.PASSWORD_MIN),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_field(other: str) -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo(other, message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        validators=[DataRequired(), _following(rules.check_email)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def _full_name_field() -> StringField:
    return StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As it should appear on your certificates."),
        render_kw={"autocomplete": "name"},
    )


def _language_field() -> SelectField:
    return SelectField(_l("Preferred language"), choices=_language_choices())


class RegisterForm(FlaskForm):
    full_name = _full_name_field()
    email = _email_field()
    password = _new_password_field(_l("Password"))
    confirm = _confirm_field("password")
    language = _language_field()


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field("password")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_current_password(self, field: PasswordField) -> None:
        if not self.user.check_password(field.data):
            raise ValidationError(_l("This is not your current password."))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that my progress and quiz history are erased and my certificates "
           "are withdrawn, and that this cannot be undone."),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field: PasswordField) -> None:
        if not self.user.check_password(field.data):
            raise ValidationError(_l("This is not your current password."))


class ProfileForm(FlaskForm):
    full_name = _full_name_field()
    language = _language_field()
    discussion_digest = BooleanField(
        _l("Email me once a day the replies to the threads I started"),
        description=_l("A short plain-text email, only on days with new replies; every one "
                       "has a link to stop it."))

"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..i18n import ROLE_NAMES


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Kept in the audit log and shown to the holder. The public page shows "
                       "only that the certificate was revoked, and when."),
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(value, label)
                                            for value, label in ROLE_NAMES.items()])


class AssignCourseForm(FlaskForm):
    course = SelectField(_l("Course"))


class ButtonForm(FlaskForm):
    """A form that is only a button: its CSRF token is all it carries."""

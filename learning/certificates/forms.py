"""The holder's choice of what their Open Badge says, and the verifier page's form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from wtforms import BooleanField, EmailField, TextAreaField
from wtforms.validators import Email, Length, Optional, ValidationError

MAX_CREDENTIAL_BYTES = 2 * 1024 * 1024  # a baked badge is a few hundred KB


class HolderNameForm(FlaskForm):
    shows_name = BooleanField(_l("Show my name in this Open Badge"))


class VerifyForm(FlaskForm):
    credential = TextAreaField(
        _l("Paste the credential"),
        validators=[Length(max=200_000)],
        description=_l("A VC-JWT (three parts separated by dots) or the credential's JSON."),
    )
    upload = FileField(
        _l("Or upload a file"),
        validators=[FileSize(MAX_CREDENTIAL_BYTES, message=_l(
            "The file is larger than 2 MB: a credential or badge image is much smaller."))],
        description=_l("The badge image (PNG), or a .jwt or .json credential file."),
    )
    email = EmailField(
        _l("Holder's email address (optional)"),
        validators=[Optional(), Email(), Length(max=254)],
        description=_l("A credential names its holder by a hash of their email address: give "
                       "the address you were told, and the check says whether it matches."),
    )

    def validate_credential(self, field) -> None:
        if not (field.data or "").strip() and not self.upload.data:
            raise ValidationError(_l("Paste a credential or upload a file."))

    def submitted(self) -> bytes:
        """What was given: the upload's bytes, else the pasted text."""
        if self.upload.data:
            return self.upload.data.read(MAX_CREDENTIAL_BYTES + 1)
        return self.credential.data.strip().encode()

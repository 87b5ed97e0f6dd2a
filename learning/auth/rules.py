"""What makes an email address and a password acceptable: one rule for the forms and for
``flask users create``, so an account made on the command line can always log in."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

EMAIL_MAX = 254
PASSWORD_MIN = 10
PASSWORD_MAX = 256


class Refused(ValueError):
    """Why a value is not acceptable, in a sentence for the person who typed it."""


def check_email(address: str) -> None:
    """Refuse what the log-in form would refuse: a malformed address, or one at a name that
    cannot receive mail (``.local``, ``.invalid``, ``localhost``...)."""
    address = address.strip()
    if len(address) > EMAIL_MAX:
        raise Refused(_l("An email address has at most %(max)d characters.", max=EMAIL_MAX))
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise Refused(_l("Enter a valid email address.")) from None


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise Refused(_l("Use at least %(min)d characters.", min=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        raise Refused(_l("Use at most %(max)d characters.", max=PASSWORD_MAX))

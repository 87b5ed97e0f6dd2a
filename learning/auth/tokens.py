"""Signed, time-limited links for confirming an email address and resetting a password.

Both carry a fingerprint of the password hash they were made for: once the password changes,
every link made before stops working. A reset link is spent when it changes the password; a
confirmation link when it confirms the address (``User.confirm_email`` says which request did).
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import User


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"learning.{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def make_reset_token(user: User) -> str:
    return _serializer("reset").dumps({"uid": user.id, "pw": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer("reset").loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except BadSignature:  # includes SignatureExpired
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("pw") != _fingerprint(user):
        return None
    return user


def make_confirm_token(user: User) -> str:
    return _serializer("confirm").dumps(
        {"uid": user.id, "email": user.email, "pw": _fingerprint(user)})


def user_for_confirm_token(token: str) -> User | None:
    try:
        data = _serializer("confirm").loads(
            token, max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE"]
        )
    except BadSignature:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email") or data.get("pw") != _fingerprint(user):
        return None
    return user

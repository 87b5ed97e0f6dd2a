"""Signed-in sessions, kept on the server so that logging out ends them for good.

The session cookie (and the "remember me" cookie) carry a random token; the database keeps its
hash, with an expiry, in ``login_sessions``. Every request finds its user through that row, so
deleting the row (log-out, "sign out everywhere", a password change, deactivation) makes every
copy of the cookie worthless at once, on every app server.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, delete, select

from ..extensions import db
from ..models import LoginSession, User, utcnow

# Built once: every signed-in request runs it.
_USER_BY_SESSION = (
    select(User).join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.token_hash == bindparam("token_hash"),
           LoginSession.expires_at > bindparam("now"))
)


def load_user(token: str) -> User | None:
    """Flask-Login's user loader: the account of a live session, or None."""
    user = db.session.scalar(_USER_BY_SESSION,
                             {"token_hash": LoginSession.hash(token), "now": utcnow()})
    if user is not None:
        user.session_token = token
    return user


def start(user: User, remember: bool = False) -> str:
    """Open a session for ``user`` (committed) and return its token."""
    lifetime = current_app.config[
        "REMEMBER_COOKIE_DURATION" if remember else "LOGIN_SESSION_MAX_AGE"]
    now = utcnow()
    token = LoginSession.new_token()
    db.session.execute(delete(LoginSession).where(  # this account's expired sessions
        LoginSession.user_id == user.id, LoginSession.expires_at <= now))
    db.session.add(LoginSession(user_id=user.id, token_hash=LoginSession.hash(token),
                                created_at=now, expires_at=now + timedelta(seconds=lifetime)))
    db.session.commit()
    return token


def sign_in(user: User, remember: bool = False, new_account: bool = False) -> None:
    """Sign ``user`` in on this browser; ``new_account`` when their confirmation link did
    (the pages then greet them as new, not as someone coming back)."""
    user.session_token = start(user, remember)
    login_user(user, remember=remember)
    session["new_account"] = new_account


def sign_out() -> None:
    """End this browser's session on the server, then forget its cookies."""
    token = current_user.session_token if current_user.is_authenticated else None
    if token is not None:
        db.session.execute(delete(LoginSession).where(
            LoginSession.token_hash == LoginSession.hash(token)))
        db.session.commit()
    logout_user()


def count(user: User) -> int:
    """How many live sessions the account has (this one included)."""
    return db.session.scalar(
        select(db.func.count(LoginSession.id))
        .where(LoginSession.user_id == user.id, LoginSession.expires_at > utcnow()))

"""The platform's data: accounts now; courses, progress and certificates join them here."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

password_hasher = PasswordHasher()
# Verifying against this keeps log-in time the same whether or not the account exists.
_DUMMY_HASH = password_hasher.hash("not a real password")


def utcnow() -> datetime:
    """Naive UTC: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


class Role(enum.StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [r.value for r in e]),
        default=Role.LEARNER,
    )
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None]
    # Flask-Login remembers this token, not the id: rotating it signs out every other session.
    login_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_login_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(db.select(cls).filter_by(email=cls.normalise_email(email)))

    def get_id(self) -> str:
        return self.login_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_instructor(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)

    def set_password(self, password: str) -> None:
        """Hash the new password and sign out every session that used the old one."""
        self.password_hash = password_hasher.hash(password)
        self.login_token = new_login_token()

    def check_password(self, password: str) -> bool:
        try:
            password_hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if password_hasher.check_needs_rehash(self.password_hash):
            self.password_hash = password_hasher.hash(password)
        return True

    @staticmethod
    def spend_equal_time(password: str) -> None:
        """Do the work of a password check for an account that does not exist."""
        try:
            password_hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass

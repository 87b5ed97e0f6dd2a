"""Revoking a certificate: the public page and the published status list change at once."""

from __future__ import annotations

from sqlalchemy import or_, select

from .. import audit
from ..extensions import db
from ..models import Certificate, User, utcnow


class AlreadyRevoked(Exception):
    pass


def revoke(certificate: Certificate, reason: str, by: User | None) -> None:
    if certificate.revoked_at is not None:
        raise AlreadyRevoked
    certificate.revoked_at = utcnow()
    certificate.revocation_reason = reason
    audit.record(by, "certificate.revoke", f"certificate:{certificate.public_id}",
                 reason=reason, holder=certificate.holder_name, title=certificate.title)
    db.session.commit()


def revoked_indexes() -> set[int]:
    """The status list entries set: revoked certificates, and withdrawn ones (holder gone)."""
    return set(db.session.scalars(select(Certificate.id).where(
        or_(Certificate.revoked_at.is_not(None), Certificate.user_id.is_(None)))))

"""Revoking a certificate: the public page and the published status list change at once."""

from __future__ import annotations

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

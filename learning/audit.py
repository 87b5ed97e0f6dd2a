"""The audit log: every administrative action, written in the same transaction as the action."""

from __future__ import annotations

from .extensions import db
from .models import AuditEvent, User


def record(actor: User | None, action: str, target: str, *, actor_label: str = "command line",
           **details) -> None:
    """Add an event to the session; it commits (or rolls back) with the change it describes.

    ``actor`` is None for actions run from the command line (or by a person since erased):
    ``actor_label`` then says who.
    """
    db.session.add(AuditEvent(
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else actor_label,
        action=action,
        target=target,
        details=details,
    ))

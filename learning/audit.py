"""The audit log: every administrative action, written in the same transaction as the action."""

from __future__ import annotations

from sqlalchemy import or_, select

from .extensions import db
from .models import AuditEvent, Certificate, User


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


def forget(user: User) -> None:
    """Pseudonymise ``user`` in the log before their account is deleted: every action stays,
    who they were does not. Their email and name are replaced wherever an event recorded them:
    as its actor, or in the details of an event about them or one of their certificates."""
    pseudonym = f"deleted account #{user.id}"
    identity = {user.email, user.full_name}
    certificates = select("certificate:" + Certificate.public_id).where(
        Certificate.user_id == user.id)
    events = db.session.scalars(select(AuditEvent).where(or_(
        AuditEvent.actor_id == user.id,
        AuditEvent.target == f"user:{user.id}",
        AuditEvent.target.in_(certificates),
    )))
    for event in events:
        if event.actor_id == user.id:
            event.actor_email = pseudonym
        event.details = {key: pseudonym if value in identity else value
                         for key, value in event.details.items()}

"""``flask certificates ...``: signing keys, revocation and catching up on missed issues."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from ..cli import CommandGroup
from ..extensions import db
from ..models import Certificate
from .issuing import issue_due
from .keys import ED25519, P256, KeyStore
from .revoking import AlreadyRevoked, revoke

certificates_cli = CommandGroup("certificates", help="Signing keys and certificates.")


def _stores() -> list[KeyStore]:
    return [KeyStore(current_app.config["SIGNING_KEYS_PATH"], kind) for kind in (P256, ED25519)]


@certificates_cli.command("keys")
def list_keys() -> None:
    """List the signing keys of each kind; the current ones sign, all stay published."""
    for store in _stores():
        current = store.current().kid
        click.echo(f"{store.kind} keys ({store.path}):")
        for key in store.all():
            click.echo(f"  {key.kid}{'  (current)' if key.kid == current else ''}")


@certificates_cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new key of each kind current; credentials signed with older keys still verify."""
    for store in _stores():
        key = store.rotate()
        click.echo(f"New current {store.kind} key: {key.kid}")


@certificates_cli.command("revoke")
@click.argument("public_id")
@click.option("--reason", required=True, help="Why, for the audit log.")
def revoke_command(public_id: str, reason: str) -> None:
    certificate = db.session.scalar(select(Certificate).filter_by(public_id=public_id))
    if certificate is None:
        raise click.ClickException(f"No certificate {public_id}.")
    try:
        revoke(certificate, reason, by=None)
    except AlreadyRevoked:
        raise click.ClickException(f"Certificate {public_id} is already revoked.") from None
    click.echo(f"Revoked {public_id} ({certificate.holder_name}, {certificate.title}).")


@certificates_cli.command("issue-due")
def issue_due_command() -> None:
    """Issue the certificates learners earned but do not have (e.g. after a rule change)."""
    click.echo(f"Issued {issue_due()} certificate(s).")

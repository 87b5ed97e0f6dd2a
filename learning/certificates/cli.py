"""``flask certificates ...``: signing keys, revocation and catching up on missed issues."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from ..cli import CommandGroup
from ..extensions import db
from ..models import Certificate
from .issuing import issue_due
from .keys import KeyStore
from .revoking import AlreadyRevoked, revoke

certificates_cli = CommandGroup("certificates", help="Signing keys and certificates.")


def _store() -> KeyStore:
    return KeyStore(current_app.config["SIGNING_KEYS_PATH"])


@certificates_cli.command("keys")
def list_keys() -> None:
    """List the signing keys; the current one signs, all of them stay published."""
    store = _store()
    current = store.current().kid
    for key in store.all():
        click.echo(f"{key.kid}{'  (current)' if key.kid == current else ''}")
    click.echo(f"folder: {store.path}")


@certificates_cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key current; credentials signed with older keys still verify."""
    key = _store().rotate()
    click.echo(f"New current signing key: {key.kid}")


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

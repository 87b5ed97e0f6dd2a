"""Command-line tools: ``flask users ...`` (courses join later)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .models import Role, User, new_login_token, utcnow

users_cli = AppGroup("users", help="Manage accounts.")


def _password_option(func):
    return click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="Asked for when not given.",
    )(func)


def _create(email: str, full_name: str, password: str, role: Role) -> None:
    if User.by_email(email):
        raise click.ClickException(f"An account with {email} already exists.")
    if len(password) < 10:
        raise click.ClickException("The password needs at least 10 characters.")
    user = User(email=User.normalise_email(email), full_name=full_name, role=role,
                email_confirmed_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role.value} {user.email}.")


def _user_or_fail(email: str) -> User:
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No account with {email}.")
    return user


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", "full_name", required=True, help="Full name, as on certificates.")
@_password_option
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an administrator account (confirmed)."""
    _create(email, full_name, password, Role.ADMIN)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value)
@_password_option
def create(email: str, full_name: str, role: str, password: str) -> None:
    """Create a confirmed account with the given role."""
    _create(email, full_name, password, Role(role))


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role(email: str, role: str) -> None:
    """Give an account another role."""
    user = _user_or_fail(email)
    user.role = Role(role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Stop an account from logging in, and sign it out everywhere."""
    user = _user_or_fail(email)
    user.active = False
    user.login_token = new_login_token()
    db.session.commit()
    click.echo(f"{user.email} is deactivated.")


@users_cli.command("list")
def list_users() -> None:
    """List accounts with their role."""
    for user in db.session.scalars(db.select(User).order_by(User.id)):
        state = "" if user.active else " (deactivated)"
        click.echo(f"{user.email}\t{user.role.value}\t{user.full_name}{state}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)

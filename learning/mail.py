"""Sending email: to the log in development, to an SMTP server in production, to a list in tests."""

from __future__ import annotations

import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app

from .identity import identity


def outbox() -> list[EmailMessage]:
    """Messages kept by the ``memory`` backend, newest last."""
    return current_app.extensions.setdefault("mail_outbox", [])


def _sender() -> str:
    """MAIL_FROM, under the platform's name when it gives an address alone."""
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    if name:
        return current_app.config["MAIL_FROM"]
    return str(Address(identity().text("name"), addr_spec=address))


def send_email(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send ``body`` signed with the platform's name, tagline and address (``headers``: more
    of them, such as List-Unsubscribe)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = _sender()
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    signature = "\n".join([identity().text("name"), identity().text("tagline"),
                            config["PUBLIC_URL"]])
    message.set_content(f"{body}\n\n-- \n{signature}\n")

    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(message)
    elif backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        current_app.logger.info("Email to %s\nSubject: %s\n\n%s", to, subject, body)

"""Sending email: to the log in development, to an SMTP server in production, to a list in tests."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def outbox() -> list[EmailMessage]:
    """Messages kept by the ``memory`` backend, newest last."""
    return current_app.extensions.setdefault("mail_outbox", [])


def send_email(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)

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

"""Absolute addresses that leave the platform: in emails, certificates, QR codes, credentials.

They are built from ``PUBLIC_URL`` alone, never from the request. A request's ``Host`` or
``X-Forwarded-Host`` header is whatever its sender wrote: a password-reset link built from it
would hand the token to the sender's site, and a credential would name the sender as issuer.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import Flask, current_app
from werkzeug.routing import IntegerConverter, MapAdapter

from .identity import identity

# The largest id a database INTEGER column holds (PostgreSQL's are 32-bit).
MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: a number a database id can be, else 404 (never an overflow
    in the query)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` on the platform's public address."""
    return _public_adapter(current_app).build(endpoint, values, force_external=True)


def _public_adapter(app: Flask) -> MapAdapter:
    """The URL map bound to ``PUBLIC_URL``, made once (again only if the setting changes)."""
    base = app.config["PUBLIC_URL"]
    kept = app.extensions.get("public_url")
    if kept is None or kept[0] != base:
        parts = urlsplit(base)
        adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                   url_scheme=parts.scheme)
        kept = app.extensions["public_url"] = (base, adapter)
    return kept[1]


def init_app(app: Flask) -> None:
    """Before the blueprints: their routes' ``int`` converter is read as they are added."""
    app.url_map.converters["int"] = DatabaseId
    app.jinja_env.globals.update(public_url=public_url, linkedin_url=linkedin_url)


def linkedin_url(certificate) -> str:
    """LinkedIn's public "add a certification" form, filled in: no API key involved."""
    return "https://www.linkedin.com/profile/add?" + urlencode({
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.title,
        "organizationName": identity().text("issuer"),
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": public_url("certificates.verify", public_id=certificate.public_id),
        "certId": certificate.public_id,
    })

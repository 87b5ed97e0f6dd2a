"""The checks of the verifier page (``/verify``), made on the server from what a third party
has too: the published keys and the revocation status list.

A submission is a VC-JWT, the JSON of a credential with its embedded proof, or a badge image
with either baked in. The answer says whether the signature holds, and then what the
credential attests and whether it still stands.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import jwt
from flask_babel import gettext as _

from ..urls import public_url
from . import credential as credentials
from . import linked_data, revoking
from .badge import baked_credential
from .keys import ED25519

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub", "iat", "aud")


@dataclass
class Check:
    """What the page says about one submission."""

    form: str | None = None  # "VC-JWT" or "Data Integrity" once it was read
    problem: str | None = None  # why it cannot be trusted, in the reader's language
    credential: dict = field(default_factory=dict)
    revoked: bool | None = None  # known once the signature holds
    email_matches: bool | None = None  # when an address was given to compare

    @property
    def signature_holds(self) -> bool:
        return self.form is not None and self.problem is None

    @property
    def valid(self) -> bool:
        return self.signature_holds and self.revoked is False

    @property
    def shown_name(self) -> str | None:
        """The holder's name, if they chose to show it in the credential."""
        return next((i.get("identityHash") for i in self._identifiers()
                     if i.get("identityType") == "name" and not i.get("hashed")), None)

    def _identifiers(self) -> list[dict]:
        subject = self.credential.get("credentialSubject") or {}
        identifiers = subject.get("identifier") or [] if isinstance(subject, dict) else []
        return [i for i in identifiers if isinstance(i, dict)]

    def compare_email(self, email: str) -> None:
        hashed = [i for i in self._identifiers()
                  if i.get("identityType") == "emailAddress" and i.get("hashed")]
        self.email_matches = any(
            credentials.identity_hash(email, str(i.get("salt", ""))) == i.get("identityHash")
            for i in hashed)


def check(submitted: bytes, email: str | None = None) -> Check:
    if submitted.startswith(PNG_SIGNATURE):
        baked = baked_credential(submitted)
        if baked is None:
            return Check(problem=_("This image carries no credential: it is not a baked badge, "
                                   "or the credential was taken out of it."))
        submitted = baked.encode()
    try:
        text = submitted.decode("utf-8").strip()
    except UnicodeDecodeError:
        return Check(problem=_("This file is not a credential: upload the badge image, or a "
                               ".jwt or .json credential file."))
    result = _check_json(text) if text.startswith("{") else _check_jwt(text)
    if result.signature_holds:
        result.revoked = _revoked(result.credential)
        if email:
            result.compare_email(email)
    return result


def _check_jwt(token: str) -> Check:
    keys = {credentials.public_key_document(key)["kid"]: key
            for key in credentials.published_keys()}
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.DecodeError:
        return Check(problem=_("This is not a credential: paste a VC-JWT (three parts "
                               "separated by dots) or a credential's JSON, or upload the "
                               "badge image."))
    key = keys.get(kid)
    if key is None:
        return Check(form="VC-JWT", problem=_("It is not signed by a key of this platform, "
                                              "so this page cannot check it."))
    try:
        claims = jwt.decode(token, key.private_key.public_key(), algorithms=[key.algorithm],
                            options={"verify_aud": False})
    except jwt.InvalidSignatureError:
        return Check(form="VC-JWT", problem=_changed())
    except jwt.ExpiredSignatureError:
        return Check(form="VC-JWT", problem=_("It has expired."))
    except jwt.InvalidTokenError:
        return Check(form="VC-JWT", problem=_("It is not a well-formed VC-JWT."))
    document = {k: v for k, v in claims.items() if k not in JWT_CLAIMS}
    return _issued_here(Check(form="VC-JWT", credential=document))


def _check_json(text: str) -> Check:
    try:
        document = json.loads(text)
    except ValueError:
        return Check(problem=_("This is not valid JSON."))
    if not isinstance(document, dict):
        return Check(problem=_("This JSON is not a credential."))
    keys = {credentials.verification_method(key): key.private_key.public_key()
            for key in credentials.key_store(ED25519).all()}
    try:
        linked_data.verify_proof(document, keys.get)
    except linked_data.ProofError as error:
        problem = {
            "no-proof": _("It has no proof this page can check: an eddsa-rdfc-2022 Data "
                          "Integrity proof."),
            "unknown-key": _("It is not signed by a key of this platform, so this page "
                             "cannot check it."),
            "changed": _changed(),
        }.get(error.kind, _("It is not a well-formed credential: %(detail)s", detail=error))
        return Check(form="Data Integrity", problem=problem, credential=document)
    return _issued_here(Check(form="Data Integrity", credential=document))


def _changed() -> str:
    return _("The signature does not match what the credential says: it was changed after "
             "it was signed.")


def _issued_here(result: Check) -> Check:
    issuer = result.credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != public_url("certificates.issuer"):
        result.problem = _("It names another issuer than the one whose key signed it.")
    return result


def _revoked(document: dict) -> bool | None:
    """Whether the status list has the credential's entry set; None if it has no entry."""
    status = document.get("credentialStatus")
    if not isinstance(status, dict) or (
            status.get("statusListCredential") != public_url("certificates.status_list")):
        return None
    try:
        index = int(status.get("statusListIndex"))
    except (TypeError, ValueError):
        return None
    return index in revoking.revoked_indexes()

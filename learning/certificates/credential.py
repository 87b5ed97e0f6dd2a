"""Certificates as Open Badges 3.0 credentials: W3C Verifiable Credentials, each in two forms.

The same credential is signed as a VC-JWT (ES256, OB 3.0 §8.2) and carries an embedded Data
Integrity proof (eddsa-rdfc-2022, ``linked_data``): 1EdTech's verifier accepts either, JOSE
libraries read the first, W3C VC 2.0 wallets and verifiers the second.

Everything a third party needs to check one is public at a stable URL: the issuer profile, the
achievement, the signing keys (a JWKS with each key at its ``kid``, and each Ed25519 key as a
Multikey the issuer lists as its ``assertionMethod``) and the revocation status list.
Verifying needs nothing from us but those URLs.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

import jwt
from flask import current_app

from ..identity import identity
from ..urls import public_url
from . import linked_data
from .keys import ED25519, P256, KeyStore, SigningKey
from .linked_data import MULTIKEY_CONTEXT, OB_CONTEXT, OB_EXTENSIONS, VC_CONTEXT

OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
# What OB 3.0 §8.2 says an Open Badge VC-JWT SHOULD be served as; the status list, a plain
# W3C credential, keeps the VC-JOSE-COSE type.
JWT_MEDIA_TYPE = "text/plain"
STATUS_LIST_MEDIA_TYPE = "application/vc+jwt"
# The embedded-proof form, as VC 2.0 names it.
JSON_LD_MEDIA_TYPE = "application/vc+ld+json"
# The issuer profile as a controller document: ``assertionMethod`` as Controlled Identifiers
# 1.0 defines it (none of the credential contexts defines it outside a proof).
ASSERTION_METHOD_TERM = {"assertionMethod": {
    "@id": "https://w3id.org/security#assertionMethod", "@type": "@id", "@container": "@set"}}
# The Bitstring Status List minimum: 16 KB of bits, so one list hides which entry is whose.
STATUS_LIST_BITS = 131_072


def key_store(kind: str = P256) -> KeyStore:
    """The keys of one kind: P-256 signs the VC-JWTs, Ed25519 the embedded proofs."""
    return KeyStore(current_app.config["SIGNING_KEYS_PATH"], kind)


def published_keys() -> list[SigningKey]:
    """Every key of every kind, current or retired: what the JWKS publishes."""
    return [key for kind in (P256, ED25519) for key in key_store(kind).all()]


def public_key_document(key: SigningKey) -> dict:
    """A published key as a JWK, named by its URL."""
    return {**key.public_jwk, "kid": public_url("certificates.public_key", kid=key.kid),
            "alg": key.algorithm, "use": "sig"}


def verification_method(key: SigningKey) -> str:
    """The URL of an Ed25519 key as the Multikey an embedded proof names."""
    return public_url("certificates.multikey", kid=key.kid)


def multikey_document(key: SigningKey) -> dict:
    return {
        "@context": [MULTIKEY_CONTEXT],
        "id": verification_method(key),
        "type": "Multikey",
        "controller": public_url("certificates.issuer"),
        "publicKeyMultibase": linked_data.public_key_multibase(key.private_key.public_key()),
    }


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict:
    issuer = identity()
    profile = {
        "id": public_url("certificates.issuer"),
        "type": ["Profile"],
        "name": issuer.text("issuer", "en"),
        "url": issuer.issuer_url or public_url("main.index"),
        "image": {"id": public_url("main.logo", v=issuer.logo_version), "type": "Image"},
    }
    if issuer.issuer_email:
        profile["email"] = issuer.issuer_email
    return profile


def issuer_document() -> dict:
    """The issuer profile at its id: also the controller of the Ed25519 keys, each listed as
    an ``assertionMethod``, which a Data Integrity verifier checks."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, ASSERTION_METHOD_TERM],
        **issuer_profile(),
        "assertionMethod": [verification_method(key) for key in key_store(ED25519).all()],
    }


def achievement(kind: str, slug: str, name: str, description: str, criteria: str,
                language: str) -> dict:
    return {
        "id": public_url("certificates.achievement", kind=kind, slug=slug),
        "type": ["Achievement"],
        "achievementType": "Course" if kind == "course" else "Certificate",
        "name": name,
        "description": description,
        "criteria": {"narrative": criteria},
        "image": {"id": public_url("certificates.achievement_image", kind=kind, slug=slug),
                  "type": "Image"},
        "inLanguage": language,
    }


def subject_id(public_id: str) -> str:
    """The holder as the credential's subject: a URN derived from the certificate's public id,
    stable for that certificate and telling nothing about the person (OB 3.0 §8.2 wants it as
    ``sub``)."""
    page = public_url("certificates.verify", public_id=public_id)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page)}"


def new_salt() -> str:
    return secrets.token_hex(16)


def identity_hash(email: str, salt: str) -> str:
    """An OB 3.0 IdentityHash: a verifier given the holder's address and the salt can check
    it; no one else learns the address from it."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def holder_identifiers(certificate) -> list[dict]:
    """Who holds it: the hashed email address, and the name only if the holder chose to show
    it in this credential."""
    identifiers = []
    if certificate.identity_hash:
        identifiers.append({"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": True, "identityHash": certificate.identity_hash,
                            "salt": certificate.identity_salt})
    if certificate.shows_name:
        identifiers.append({"type": "IdentityObject", "identityType": "name",
                            "hashed": False, "identityHash": certificate.holder_name})
    return identifiers


def open_badge_credential(certificate, achieved: dict) -> dict:
    """The unsigned OpenBadgeCredential of a certificate; the same every time it is built."""
    status_list = public_url("certificates.status_list")
    subject = {"id": subject_id(certificate.public_id), "type": ["AchievementSubject"]}
    if identifiers := holder_identifiers(certificate):
        subject["identifier"] = identifiers
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS],
        "id": public_url("certificates.verify", public_id=certificate.public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(),
        "validFrom": iso(certificate.issued_at),
        "name": achieved["name"],
        "credentialSubject": {**subject, "achievement": achieved},
        "credentialStatus": {
            "id": f"{status_list}#{certificate.id}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.id),
            "statusListCredential": status_list,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def sign(credential: dict, key: SigningKey | None = None) -> str:
    """A VC-JWT as Open Badges 3.0 §8.2 has it: the credential as the payload with the claims
    it implies (``iss``, ``jti``, ``nbf``, ``sub``, and ``exp`` only with ``validUntil``),
    ``typ`` JWT and no header but ``alg``, ``kid`` and ``typ``."""
    key = key or key_store().current()
    issuer = credential["issuer"]
    claims = {
        **credential,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": _timestamp(credential["validFrom"]),
    }
    subject = credential["credentialSubject"].get("id")
    if subject:
        claims["sub"] = subject
    if credential.get("validUntil"):
        claims["exp"] = _timestamp(credential["validUntil"])
    headers = {"kid": public_url("certificates.public_key", kid=key.kid), "typ": "JWT"}
    return jwt.encode(claims, key.private_key, algorithm=key.algorithm, headers=headers)


def with_proof(document: dict, key: SigningKey | None = None) -> dict:
    """The document with an embedded eddsa-rdfc-2022 proof, dated as the document is."""
    key = key or key_store(ED25519).current()
    return linked_data.add_proof(document, key, verification_method(key),
                                 created=document["validFrom"])


def _timestamp(moment: str) -> int:
    return int(datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def encoded_status_list(revoked_indexes: Iterable[int]) -> str:
    """Bit i set means entry i is revoked; gzip, then base64url multibase ('u' prefix)."""
    indexes = list(revoked_indexes)
    size = max(STATUS_LIST_BITS, -(-(max(indexes, default=0) + 1) // 8) * 8)
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def status_list_credential(revoked_indexes: Iterable[int], now: datetime) -> dict:
    url = public_url("certificates.status_list")
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": public_url("certificates.issuer"),
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_status_list(revoked_indexes),
        },
    }


def jwks() -> dict:
    return {"keys": [public_key_document(key) for key in published_keys()]}

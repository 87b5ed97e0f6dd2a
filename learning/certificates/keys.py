"""The platform's signing keys, kept as files outside the database and the repository.

Two kinds: P-256 keys sign the VC-JWT form of a credential with ES256, which Open Badges 3.0
(§8.2) and 1EdTech's validator accept (they refuse EdDSA); Ed25519 keys sign the rest (and
every credential issued before ES256, whose keys stay published). ES256 rather than RS256:
keys and signatures ten times smaller, for the same acceptance.

A key is created the first time one is needed. Rotating adds a new current key and keeps the old
ones: their public halves stay published, so every credential signed before still verifies.
Several app servers must share the folder (``SIGNING_KEYS_PATH``), as they share the database.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

CURRENT = "current"
PrivateKey = Ed25519PrivateKey | ec.EllipticCurvePrivateKey
ED25519, P256 = "Ed25519", "P-256"
# Where each kind lives under SIGNING_KEYS_PATH: Ed25519 keys at its top, as they always were.
FOLDERS = {ED25519: "", P256: "p256"}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: PrivateKey

    @property
    def public_jwk(self) -> dict:
        return public_jwk(self.private_key)

    @property
    def algorithm(self) -> str:
        """The JWS algorithm it signs with."""
        return "ES256" if isinstance(self.private_key, ec.EllipticCurvePrivateKey) else "EdDSA"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(private_key: PrivateKey) -> dict:
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        numbers = private_key.public_key().public_numbers()
        return {"kty": "EC", "crv": P256, "x": _b64url(numbers.x.to_bytes(32, "big")),
                "y": _b64url(numbers.y.to_bytes(32, "big"))}
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return {"kty": "OKP", "crv": ED25519, "x": _b64url(raw)}


THUMBPRINT_MEMBERS = {"EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}


def thumbprint(jwk: dict) -> str:
    """RFC 7638 thumbprint: a key id that anyone can recompute from the public key."""
    members = {k: jwk[k] for k in THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def _generate(kind: str) -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1()) if kind == P256 else (
        Ed25519PrivateKey.generate())


class KeyStore:
    """A folder of ``<kid>.pem`` private keys of one kind and a ``current`` file naming the one
    that signs."""

    def __init__(self, path: str | Path, kind: str = ED25519):
        self.path = Path(path) / FOLDERS[kind]
        self.kind = kind

    def current(self) -> SigningKey:
        try:
            kid = (self.path / CURRENT).read_text().strip()
        except FileNotFoundError:
            return self._create_first()
        return SigningKey(kid, _load(self.path / f"{kid}.pem"))

    def all(self) -> list[SigningKey]:
        """Every key, current or retired, oldest first: what the JWKS publishes."""
        self.current()
        files = sorted(self.path.glob("*.pem"), key=lambda f: f.stat().st_mtime)
        return [SigningKey(f.stem, _load(f)) for f in files]

    def rotate(self) -> SigningKey:
        key = self._write_new_key()
        temporary = self.path / f".{CURRENT}.{os.getpid()}"
        temporary.write_text(key.kid)
        os.replace(temporary, self.path / CURRENT)
        return key

    def _create_first(self) -> SigningKey:
        """Two servers starting at once both try; the first to name its key wins."""
        key = self._write_new_key()
        try:
            fd = os.open(self.path / CURRENT, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            (self.path / f"{key.kid}.pem").unlink(missing_ok=True)
            return self.current()
        with os.fdopen(fd, "w") as f:
            f.write(key.kid)
        return key

    def _write_new_key(self) -> SigningKey:
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        private_key = _generate(self.kind)
        kid = thumbprint(public_jwk(private_key))
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(self.path / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return SigningKey(kid, private_key)


@cache
def _load_bytes(pem: bytes) -> PrivateKey:
    return serialization.load_pem_private_key(pem, password=None)


def _load(path: Path) -> PrivateKey:
    return _load_bytes(path.read_bytes())

"""The platform's Ed25519 signing keys, kept as files outside the database and the repository.

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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

CURRENT = "current"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey

    @property
    def public_jwk(self) -> dict:
        return public_jwk(self.private_key)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(private_key: Ed25519PrivateKey) -> dict:
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}


def thumbprint(jwk: dict) -> str:
    """RFC 7638 thumbprint: a key id that anyone can recompute from the public key."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


class KeyStore:
    """A folder of ``<kid>.pem`` private keys and a ``current`` file naming the one that signs."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

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
        private_key = Ed25519PrivateKey.generate()
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
def _load_bytes(pem: bytes) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(pem, password=None)


def _load(path: Path) -> Ed25519PrivateKey:
    return _load_bytes(path.read_bytes())

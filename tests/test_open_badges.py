"""Open Badges 3.0 credentials as outside verifiers judge them, in both proof forms.

The embedded Data Integrity proof is checked by Digital Bazaar's libraries (``@digitalbazaar/vc``
with the eddsa-rdfc-2022 cryptosuite and the Bitstring Status List checker, as W3C VC 2.0
wallets run them) over real HTTP from the test server, offline otherwise; the VC-JWT by joserfc
from the published JWKS; both against the official OB 3.0 JSON Schema.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import urllib.request
from pathlib import Path

import jwt
import pytest
from PIL import Image
from sqlalchemy import select

from learning.certificates import linked_data
from learning.certificates.credential import identity_hash
from learning.extensions import db
from learning.models import Certificate

from .support import FormClient
from .test_certificates import (  # noqa: F401 (fixtures)
    OB3_SCHEMA,
    b64decode,
    b64encode,
    certificate,
    learner,
    revoke,
    verify_with_published_keys,
)

TOOLS = Path(__file__).parent / "tools"
JUDGE = TOOLS / "verify-credential.mjs"
HAVE_JUDGE = (TOOLS / "node_modules" / "@digitalbazaar" / "vc").is_dir()
if not HAVE_JUDGE and os.environ.get("CI") == "true":
    raise RuntimeError("CI=true but tests/tools/node_modules is missing: make test installs it")
needs_judge = pytest.mark.skipif(not HAVE_JUDGE,
                                 reason="the Digital Bazaar verifier is installed by make test")
JSON_LD = {"Accept": "application/vc+ld+json"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return buffer.getvalue()


PNG_WITHOUT_CREDENTIAL = _png()


def fetch(url: str, headers: dict | None = None) -> tuple[str, str]:
    """A GET over real HTTP: its media type and body."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as response:
        return response.headers.get_content_type(), response.read().decode()


def credential_at_its_id(live_server: str, public_id: str) -> dict:
    media_type, body = fetch(f"{live_server}/certificates/{public_id}", JSON_LD)
    assert media_type == "application/vc+ld+json"
    return json.loads(body)


def digital_bazaar(credential: dict, live_server: str, tmp_path) -> dict:
    """The Digital Bazaar verifier's verdict: verified, revoked, and its error messages."""
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential), encoding="utf-8")
    done = subprocess.run(["node", str(JUDGE), str(path), live_server], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@needs_judge
def test_a_vc_20_verifier_accepts_the_embedded_proof_and_sees_it_is_not_revoked(
        live_server, certificate, tmp_path):
    credential = credential_at_its_id(live_server, certificate)
    [proof] = credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    verdict = digital_bazaar(credential, live_server, tmp_path)
    assert verdict == {"verified": True, "revoked": False, "errors": []}


@needs_judge
@pytest.mark.parametrize("change", ["achievement name", "validFrom", "status index"])
def test_a_vc_20_verifier_rejects_a_credential_changed_in_one_field(
        live_server, certificate, tmp_path, change):
    credential = credential_at_its_id(live_server, certificate)
    if change == "achievement name":
        credential["credentialSubject"]["achievement"]["name"] = "Advanced SSE finance"
    elif change == "validFrom":
        credential["validFrom"] = "2020-01-01T00:00:00Z"
    else:
        credential["credentialStatus"]["statusListIndex"] = "0"
    verdict = digital_bazaar(credential, live_server, tmp_path)
    assert not verdict["verified"] and verdict["errors"]


@needs_judge
def test_a_vc_20_verifier_sees_a_revocation_in_the_status_list(app, live_server, certificate,
                                                               tmp_path):
    credential = credential_at_its_id(live_server, certificate)
    revoke(app, certificate, "Quiz answers were shared")
    verdict = digital_bazaar(credential, live_server, tmp_path)
    assert verdict["revoked"] is True and verdict["errors"] == []


@needs_judge
def test_both_forms_issued_before_a_key_rotation_still_verify_after_it(
        app, client, live_server, certificate, tmp_path):
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet

    before = credential_at_its_id(live_server, certificate)
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    app.test_cli_runner().invoke(args=["certificates", "rotate-key"])
    after = credential_at_its_id(live_server, certificate)
    assert after["proof"][0]["verificationMethod"] != before["proof"][0]["verificationMethod"]
    assert digital_bazaar(before, live_server, tmp_path)["verified"]
    _, jwks = fetch(f"{live_server}/.well-known/jwks.json")
    keys = KeySet.import_key_set(json.loads(jwks))
    assert jose_jwt.decode(token, keys, algorithms=["ES256"]).claims["id"] == before["id"]


def test_the_two_forms_carry_the_same_credential(client, certificate):
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    download = client.get(f"/certificates/{certificate}/credential.json")
    assert download.mimetype == "application/vc+ld+json"
    assert "attachment" in download.headers["Content-Disposition"]
    embedded = json.loads(download.get_data(as_text=True))
    claims = verify_with_published_keys(client, token)
    for claim in ("iss", "jti", "nbf", "sub"):
        claims.pop(claim)
    assert {k: v for k, v in embedded.items() if k != "proof"} == claims


def test_the_embedded_proof_form_is_valid_against_the_official_schema(client, certificate):
    if not OB3_SCHEMA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the OB 3.0 schema is missing at {OB3_SCHEMA}")
        pytest.skip(f"the OB 3.0 JSON Schema is read from {OB3_SCHEMA}, absent here")
    import jsonschema

    embedded = json.loads(client.get(f"/certificates/{certificate}/credential.json").data)
    schema = json.loads(OB3_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(schema)
    assert [error.message for error in validator.iter_errors(embedded)] == []
    assert list(validator.iter_errors({**embedded, "proof": embedded["proof"][0]}))


def test_the_issuer_lists_each_ed25519_key_as_a_multikey_it_controls(client, certificate):
    embedded = json.loads(client.get(f"/certificates/{certificate}/credential.json").data)
    method = embedded["proof"][0]["verificationMethod"]
    issuer = client.get("/badges/issuer").get_json()
    assert method in issuer["assertionMethod"]
    key = client.get(method.removeprefix("http://localhost")).get_json()
    assert key["type"] == "Multikey" and key["controller"] == issuer["id"] == embedded[
        "issuer"]["id"]
    assert key["publicKeyMultibase"].startswith("z6Mk")  # an Ed25519 public key
    assert client.get("/badges/keys/not-a-key/multikey").status_code == 404


def test_the_credentials_id_answers_with_the_form_a_verifier_asks_for(app, certificate):
    anyone = app.test_client()
    for accept, media_type in [("application/vc+ld+json", "application/vc+ld+json"),
                               ("application/ld+json", "application/vc+ld+json"),
                               ("application/vc+jwt", "text/plain"),
                               ("text/plain", "text/plain"),
                               ("text/html,*/*;q=0.8", "text/html"),
                               ("*/*", "text/html")]:
        response = anyone.get(f"/certificates/{certificate}", headers={"Accept": accept})
        assert response.mimetype == media_type, accept
        assert "Accept" in response.headers["Vary"]
    revoke(app, certificate, "Quiz answers were shared")
    assert anyone.get(f"/certificates/{certificate}", headers=JSON_LD).status_code == 410


def test_the_status_list_comes_signed_in_either_form(client, certificate):
    as_jwt = client.get("/badges/status/revocation")
    assert as_jwt.mimetype == "application/vc+jwt"
    assert verify_with_published_keys(client, as_jwt.get_data(as_text=True))["type"][1] == (
        "BitstringStatusListCredential")
    as_json = client.get("/badges/status/revocation", headers=JSON_LD)
    assert as_json.mimetype == "application/vc+ld+json"
    assert as_json.headers["Cache-Control"] == "public, max-age=60"
    listed = json.loads(as_json.data)
    assert listed["credentialSubject"]["encodedList"].startswith("u")
    assert listed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


# --- The holder's privacy --------------------------------------------------------------------


def subject_of(client, public_id: str) -> dict:
    return json.loads(client.get(f"/certificates/{public_id}/credential.json").data)[
        "credentialSubject"]


def test_the_holder_is_named_by_a_salted_hash_of_their_email_unless_they_show_their_name(
        app, client, learner, certificate):
    [identifier] = subject_of(client, certificate)["identifier"]
    assert identifier["identityType"] == "emailAddress" and identifier["hashed"] is True
    assert identifier["identityHash"] == identity_hash(learner.email, identifier["salt"])
    assert identifier["identityHash"] != identity_hash(learner.email, "another salt")
    assert learner.email not in json.dumps(subject_of(client, certificate))

    client.submit(f"/certificates/{certificate}/name", {"shows_name": "y"}, form_url="/dashboard")
    named = subject_of(client, certificate)["identifier"]
    assert [i["identityType"] for i in named] == ["emailAddress", "name"]
    assert named[1] == {"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": "Ñúñez Çelik-Øberg"}
    client.submit(f"/certificates/{certificate}/name", {}, form_url="/dashboard")
    assert len(subject_of(client, certificate)["identifier"]) == 1


def test_only_the_holder_chooses_whether_their_name_shows(app, certificate):
    from .test_certificates import login

    other = login(app, "other@example.org")
    assert other.post(f"/certificates/{certificate}/name",
                      data={"shows_name": "y"}).status_code in (400, 404)
    with app.app_context():
        assert db.session.scalar(select(Certificate.shows_name)) is False


# --- The verifier page ----------------------------------------------------------------------


def checked(app, credential: str = "", upload: tuple[bytes, str] | None = None,
            email: str = "") -> tuple[int, str]:
    """Submit the verifier page as a stranger would; its status and its text, without tags."""
    stranger = FormClient(app.test_client())
    data = {"credential": credential, "email": email}
    if upload:
        data["upload"] = (io.BytesIO(upload[0]), upload[1])
    response = stranger.submit("/verify", data, content_type="multipart/form-data")
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return response.status_code, " ".join(text.replace(" :", ":").split())


def test_the_verifier_page_says_a_genuine_credential_is_valid_in_each_form(
        app, client, certificate):
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    embedded = client.get(f"/certificates/{certificate}/credential.json").get_data(as_text=True)
    badge = client.get(f"/certificates/{certificate}/badge.png").data
    for submission in [{"credential": token}, {"credential": embedded},
                       {"upload": (badge, "badge.png")},
                       {"upload": (embedded.encode(), "open-badge.json")}]:
        status, page = checked(app, **submission)
        assert status == 200
        assert "Valid: the signature holds and the credential has not been revoked" in page
        assert "SSE in a nutshell" in page
        assert "named by a hash of their email address" in page


def test_the_verifier_page_tells_a_tampered_credential_from_a_good_one(app, client, certificate):
    embedded = json.loads(client.get(f"/certificates/{certificate}/credential.json").data)
    embedded["credentialSubject"]["achievement"]["name"] = "Advanced SSE finance"
    _, page = checked(app, json.dumps(embedded))
    assert "Not valid" in page and "changed after it was signed" in page
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    header, payload, signature = token.split(".")
    claims = json.loads(b64decode(payload))
    claims["validFrom"] = "2020-01-01T00:00:00Z"
    forged = ".".join([header, b64encode(json.dumps(claims).encode()), signature])
    _, page = checked(app, forged)
    assert "Not valid" in page and "changed after it was signed" in page


def test_the_verifier_page_tells_a_revoked_credential_from_a_valid_one(app, client,
                                                                       certificate):
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    revoke(app, certificate, "Quiz answers were shared")
    _, page = checked(app, token)
    assert "Revoked: the signature holds, but the issuer has revoked" in page
    assert "Valid:" not in page


def test_the_verifier_page_checks_the_address_the_holder_gave(app, client, learner,
                                                              certificate):
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    assert "The email address you gave matches" in checked(app, token, email=learner.email)[1]
    assert "does not match" in checked(app, token, email="someone@example.org")[1]


def test_the_verifier_page_refuses_what_it_cannot_check_with_a_clear_message(app):
    from cryptography.hazmat.primitives.asymmetric import ec

    status, page = checked(app)
    assert status == 422 and "Paste a credential or upload a file" in page
    assert "This is not a credential" in checked(app, "hello")[1]
    assert "This is not valid JSON" in checked(app, "{not json")[1]
    assert "carries no credential" in checked(app, upload=(PNG_WITHOUT_CREDENTIAL, "a.png"))[1]
    assert "This file is not a credential" in checked(app, upload=(b"\xff\xfe\x00", "a.bin"))[1]
    foreign = jwt.encode({"iss": "https://elsewhere.example"},
                         ec.generate_private_key(ec.SECP256R1()), algorithm="ES256",
                         headers={"kid": "https://elsewhere.example/key"})
    assert "not signed by a key of this platform" in checked(app, foreign)[1]


def test_a_broken_credential_gets_an_answer_not_an_error(app, client, certificate):
    embedded = json.loads(client.get(f"/certificates/{certificate}/credential.json").data)
    proof = embedded["proof"][0]
    for broken in [{k: v for k, v in embedded.items() if k != "@context"},
                   {**embedded, "@context": 5}, {**embedded, "@context": [{"@version": 2}]},
                   {**embedded, "type": 5}, {**embedded, "credentialSubject": "someone"},
                   {**embedded, "proof": "signed"},
                   {**embedded, "proof": [{**proof, "proofValue": 5}]},
                   {**embedded, "proof": [{**proof, "verificationMethod": ["a"]}]},
                   [embedded], "just a string"]:
        status, page = checked(app, json.dumps(broken))
        assert status == 200 and "Not valid" in page, broken


def test_the_public_page_leads_to_the_verifier_and_to_both_forms(app, certificate):
    anyone = app.test_client()
    page = anyone.get(f"/certificates/{certificate}").get_data(as_text=True)
    assert 'href="/verify"' in page
    as_json = anyone.get(f"/certificates/{certificate}?format=json")
    assert as_json.mimetype == "application/vc+ld+json" and json.loads(as_json.data)["proof"]
    assert anyone.get(f"/certificates/{certificate}?format=jwt").mimetype == "text/plain"
    assert "digital wallet" in anyone.get("/wallets").get_data(as_text=True)


# --- The canonical form ----------------------------------------------------------------------


def test_a_term_no_context_defines_is_refused_rather_than_left_unsigned():
    document = {"@context": [linked_data.VC_CONTEXT], "type": ["VerifiableCredential"],
                "issuer": "https://example.org/issuer", "holderName": "left out"}
    with pytest.raises(linked_data.ProofError, match="holderName"):
        linked_data.canonical(document)


def test_contexts_come_from_disk_and_nothing_else_is_fetched():
    document = {"@context": ["https://example.org/context.jsonld"], "name": "x"}
    with pytest.raises(linked_data.ProofError, match="not valid JSON-LD"):
        linked_data.canonical(document)

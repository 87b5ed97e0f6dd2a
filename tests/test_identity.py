"""The operator's identity: set in one file or the environment, worn by every page and email."""

from __future__ import annotations

import re

import pytest

from learning.config import ConfigError, from_environment
from learning.extensions import db
from learning.identity import IdentityError, load_identity

from .conftest import make_app

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
TASK_FORCE = """
name = "SSE Learning Hub"
issuer = { en = "Example Task Force on SSE", fr = "Groupe de travail exemple sur l'ESS" }
tagline = { en = "Learn the SSE", fr = "Apprendre l'ESS" }
colour = "#7a1f5c"
logo = "logo.svg"

[signatory]
name = "A. Chair"
role = { en = "Chair", fr = "Présidente" }
"""


def write(folder, text: str, logo: bytes | None = b'<svg xmlns="http://www.w3.org/2000/svg"/>'):
    (folder / "identity.toml").write_text(text, encoding="utf-8")
    if logo is not None:
        (folder / "logo.svg").write_bytes(logo)


def test_without_settings_the_platform_wears_a_neutral_identity(tmp_path):
    identity = load_identity(str(tmp_path), environ={})
    assert identity.text("name", "en") == identity.text("issuer", "en") == "SSE Learning"
    assert identity.logo is None and identity.signatory_name == ""
    data, media_type = identity.logo_bytes
    assert media_type == "image/svg+xml" and b"<svg" in data


def test_the_settings_file_gives_every_field_and_texts_by_language(tmp_path):
    write(tmp_path, TASK_FORCE)
    identity = load_identity(str(tmp_path), environ={})
    assert identity.text("name", "fr") == "SSE Learning Hub"  # one name for all languages
    assert identity.text("issuer", "fr") == "Groupe de travail exemple sur l'ESS"
    assert identity.text("issuer", "es") == "Example Task Force on SSE"  # else English
    assert identity.text("signatory_role", "fr") == "Présidente"
    assert identity.signatory_name == "A. Chair"
    assert identity.logo == tmp_path / "logo.svg"
    assert identity.colour == "#7a1f5c" and identity.dark_colour == "#551640"


def test_the_environment_overrides_the_file(tmp_path):
    write(tmp_path, TASK_FORCE)
    identity = load_identity(str(tmp_path), environ={"ISSUER_NAME": "Another body",
                                                      "BRAND_COLOUR": "#1D6B33"})
    assert identity.text("issuer", "fr") == "Another body"
    assert identity.colour == "#1d6b33"


def test_an_operator_who_names_the_platform_issues_its_certificates(tmp_path):
    identity = load_identity(str(tmp_path), environ={"PLATFORM_NAME": "Aprende ESS"})
    assert identity.text("issuer", "en") == "Aprende ESS"


@pytest.mark.parametrize("text, error", [
    ('name = "x"\ncolor = "#000000"\n', "unknown setting color"),
    ('name = "x\n', r"identity.toml: .*line 1"),
    ('colour = "teal"\n', "#rrggbb"),
    ('colour = "#7fb8d4"\n', r"contrast of 2\.\d:1 on white"),
    ('logo = "logo.gif"\n', "SVG or PNG"),
    ('logo = "missing.svg"\n', "does not exist"),
    ('name = 3\n', "name must be a text"),
    ('[signatory]\nname = ["a"]\n', "signatory_name must be a text"),
])
def test_a_mistake_in_the_settings_is_named_with_its_file(tmp_path, text, error):
    write(tmp_path, text)
    with pytest.raises(IdentityError, match=error):
        load_identity(str(tmp_path), environ={})


def test_a_logo_that_is_not_what_its_name_says_is_refused(tmp_path):
    write(tmp_path, 'logo = "logo.png"\n', logo=None)
    (tmp_path / "logo.png").write_bytes(b"<svg/>")
    with pytest.raises(IdentityError, match="not a valid PNG"):
        load_identity(str(tmp_path), environ={})
    (tmp_path / "logo.png").write_bytes(PNG)
    assert load_identity(str(tmp_path), environ={}).logo_bytes[1] == "image/png"


def test_a_bad_identity_stops_the_app_with_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("BRAND_COLOUR", "#ffff00")
    with pytest.raises(ConfigError, match="contrast"):
        from_environment(str(tmp_path))


@pytest.fixture
def branded(app, tmp_path):
    """An app wearing the task force's identity, on ``app``'s database (emptied after)."""
    write(tmp_path, TASK_FORCE)
    branded = make_app(app.config["SQLALCHEMY_DATABASE_URI"],
                       IDENTITY=load_identity(str(tmp_path), environ={}))
    yield branded
    with branded.app_context():
        db.engine.dispose()


def test_pages_wear_the_name_tagline_issuer_colour_and_logo(branded):
    client = branded.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "SSE Learning Hub</span>" in html and "<title>" in html
    assert "Learn the SSE" in html and "Example Task Force on SSE" in html
    assert "--accent:#7a1f5c" in html
    logo = re.search(r'<img src="(/logo\?v=\w+)"', html).group(1)
    response = client.get(logo)
    assert response.data == b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Apprendre l&#39;ESS</p>" in client.get("/?lang=fr").get_data(as_text=True)


def test_the_colour_rule_is_the_only_inline_style_the_policy_allows(branded):
    import base64
    import hashlib

    response = branded.test_client().get("/")
    rule = re.search(r"<style>(.*?)</style>", response.get_data(as_text=True)).group(1)
    digest = base64.b64encode(hashlib.sha256(rule.encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy


def test_emails_go_out_under_the_platform_name_and_signed_with_it(branded):
    from learning.mail import outbox, send_email

    with branded.test_request_context("/"):
        send_email("ana@example.org", "Hello", "Body.")
        message = outbox()[-1]
    assert message["From"] == "SSE Learning Hub <no-reply@localhost>"
    assert message.get_content().endswith(
        f"Body.\n\n-- \nSSE Learning Hub\nLearn the SSE\n{branded.config['PUBLIC_URL']}\n")


def test_credentials_name_the_issuer_and_show_its_logo(branded):
    with branded.test_request_context("/"):
        from learning.certificates.credential import issuer_profile
        profile = issuer_profile()
    assert profile["name"] == "Example Task Force on SSE"
    logo = profile["image"]["id"].removeprefix(branded.config["PUBLIC_URL"])
    assert branded.test_client().get(logo).data == b'<svg xmlns="http://www.w3.org/2000/svg"/>'


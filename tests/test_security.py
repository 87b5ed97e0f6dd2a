"""Security rules that hold on every page."""

from __future__ import annotations

import pytest

from learning.extensions import db
from learning.mail import outbox
from learning.security import is_safe_next

from .conftest import make_app
from .support import PASSWORD, FormClient, add_user


def test_a_form_posted_without_its_csrf_token_is_refused(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_log_out_is_a_post_with_csrf(client, auth, user):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200


def from_address(app, address: str):
    client = FormClient(app.test_client())
    client.client.environ_base["REMOTE_ADDR"] = address
    return client


def log_in(client, email, password):
    return client.submit("/login", {"email": email, "password": password})


def test_the_eleventh_failed_log_in_in_a_minute_is_refused(client, auth, user):
    for _ in range(10):
        assert auth.login(password="wrong password!").status_code == 200
    refused = auth.login(password="wrong password!")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    # This address has been guessing: it waits, even with the right password.
    assert auth.login().status_code == 429


def test_an_address_that_keeps_failing_cannot_lock_the_owner_out(app, user):
    attacker = from_address(app, "10.0.0.66")
    for _ in range(12):
        log_in(attacker, user.email, "wrong password!")
    assert log_in(attacker, user.email, PASSWORD).status_code == 429
    owner = from_address(app, "10.0.1.1")
    assert log_in(owner, user.email, PASSWORD).status_code == 302


def test_an_account_guessed_at_from_many_addresses_gives_each_one_guess(app, user):
    for i in range(10):
        assert log_in(from_address(app, f"10.0.0.{i}"), user.email, "wrong!").status_code == 200
    # The account is under attack: an address that failed for it waits, right password or not,
    assert log_in(from_address(app, "10.0.0.3"), user.email, PASSWORD).status_code == 429
    # a new address gets one guess, then waits too,
    newcomer = from_address(app, "10.0.0.99")
    assert log_in(newcomer, user.email, "wrong!").status_code == 200
    assert log_in(newcomer, user.email, "wrong again!").status_code == 429
    # and the owner, from a device that has not been guessing, gets in.
    assert log_in(from_address(app, "10.0.1.1"), user.email, PASSWORD).status_code == 302


def test_sign_ups_for_one_address_are_limited_whoever_sends_them(app, mail):
    form = {"full_name": "Ana", "email": "target@example.org", "password": PASSWORD,
            "confirm": PASSWORD, "language": "en"}
    statuses = [from_address(app, f"10.0.0.{i}").submit("/register", form).status_code
                for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(mail) == 3


def test_sign_ups_from_one_address_are_limited(client, mail):
    statuses = [client.submit("/register", {
        "full_name": "Ana", "email": f"person{i}@example.org", "password": PASSWORD,
        "confirm": PASSWORD, "language": "en"}).status_code for i in range(11)]
    assert statuses == [200] * 10 + [429]


def test_successful_log_ins_do_not_use_up_the_limit(client, auth, user):
    for _ in range(12):
        assert auth.login().status_code == 302
        auth.logout()


def test_password_reset_requests_are_rate_limited(client, user):
    statuses = [
        client.submit("/forgot-password", {"email": user.email}).status_code for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_session_cookie_is_httponly_and_lax(client, auth, user):
    auth.login()
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_pages_have_no_inline_script(client):
    for url in ["/", "/login", "/register", "/forgot-password"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " on" + "click=" not in page


@pytest.mark.parametrize(
    "target, safe",
    [
        ("/courses", True),
        ("/account?tab=1", True),
        ("", False),
        (None, False),
        ("https://evil.example", False),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("/\r\nLocation: x", False),
        ("javascript:alert(1)", False),
    ],
)
def test_safe_next(target, safe):
    assert is_safe_next(target) is safe


# --- Absolute links come from PUBLIC_URL, and only its host is served -------------------------


@pytest.fixture
def behind_a_proxy(app, monkeypatch):
    """The platform as deployed: a public address, one reverse proxy in front."""
    monkeypatch.setenv("PUBLIC_URL", "https://learn.example.org")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    monkeypatch.setenv("TRUSTED_HOSTS", "app-1.internal")
    deployed = make_app(app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=False)
    add_user(deployed)
    yield deployed
    with deployed.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"},
    {"Host": "learn.example.org", "X-Forwarded-Host": "evil.example"},
])
def test_a_request_naming_another_host_is_refused_and_sends_nothing(behind_a_proxy, headers):
    response = behind_a_proxy.test_client().post(
        "/forgot-password", data={"email": "learner@example.org"}, headers=headers)
    assert response.status_code == 400
    with behind_a_proxy.app_context():
        assert outbox() == []


@pytest.mark.parametrize("host", ["learn.example.org", "app-1.internal"])
def test_emailed_links_lead_to_the_public_address_whatever_host_was_asked(behind_a_proxy, host):
    response = behind_a_proxy.test_client().post(
        "/forgot-password", data={"email": "learner@example.org"}, headers={"Host": host})
    assert response.status_code == 200
    with behind_a_proxy.app_context():
        (message,) = outbox()
    assert "https://learn.example.org/reset-password/" in message.get_content()


def test_credentials_name_the_public_address_whatever_host_was_asked(behind_a_proxy):
    keys = behind_a_proxy.test_client().get(
        "/.well-known/jwks.json", headers={"Host": "app-1.internal"}).get_json()["keys"]
    assert keys and all(k["kid"].startswith("https://learn.example.org/badges/keys/")
                        for k in keys)
    assert behind_a_proxy.test_client().get(
        "/.well-known/jwks.json", headers={"Host": "evil.example"}).status_code == 400

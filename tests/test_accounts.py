"""Accounts: what a learner can do with theirs, and what goes wrong gracefully."""

from __future__ import annotations

import pytest

from learning.auth import tokens
from learning.extensions import db
from learning.models import LoginSession, User, utcnow

from .support import PASSWORD, FormClient, add_user, find_user, link_in

NEW_USER = {
    "full_name": "Thị Hương",
    "email": "Huong@Example.org",
    "password": PASSWORD,
    "confirm": PASSWORD,
    "language": "fr",
}


def test_register_sends_a_confirmation_link_that_signs_the_learner_in(app, client, mail):
    response = client.submit("/register", NEW_USER)
    assert "Check your email" in response.get_data(as_text=True)

    user = find_user(app, "huong@example.org")
    assert user.full_name == "Thị Hương" and user.language == "fr"
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2id$")

    (message,) = mail
    assert message["To"] == "huong@example.org"
    response = client.get(link_in(message))
    assert response.status_code == 302
    assert find_user(app, "huong@example.org").email_confirmed_at is not None
    home = client.get(response.location).get_data(as_text=True)
    assert "Bienvenue, Thị Hương." in home  # the language chosen on signing up
    assert "Content de vous revoir" not in home  # "Welcome back"


def test_an_unconfirmed_account_cannot_log_in_and_gets_a_new_link(app, client, auth, mail):
    add_user(app, confirmed=False)
    response = auth.login()
    assert response.status_code == 200
    assert "confirm your email" in response.get_data(as_text=True)
    assert len(mail) == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("password", "short", "Use at least 10 characters."),
        ("confirm", "something else entirely", "The two passwords differ."),
        ("full_name", "", "This field is required."),
    ],
)
def test_a_bad_registration_keeps_what_was_typed_and_names_the_field(
    app, client, field, value, message
):
    response = client.submit("/register", {**NEW_USER, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert f'id="{field}-error"' in page and 'aria-invalid="true"' in page
    if field != "full_name":
        assert 'value="Thị Hương"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_registering_a_taken_address_looks_the_same_and_warns_its_owner(client, user, mail):
    fresh = client.submit("/register", {**NEW_USER, "email": "someone-new@example.org"})
    taken = client.submit("/register", {**NEW_USER, "email": user.email})
    assert fresh.status_code == taken.status_code == 200
    assert (
        fresh.get_data(as_text=True).replace("someone-new@example.org", "X")
        == taken.get_data(as_text=True).replace(user.email, "X")
    )
    assert mail[-1]["To"] == user.email
    assert "already has one" in mail[-1].get_content()


def test_log_in_and_log_out(client, auth, user, app):
    response = auth.login()
    assert response.status_code == 302 and response.location == "/"
    assert "Log out" in client.get("/").get_data(as_text=True)
    response = auth.logout()
    assert response.status_code == 302
    assert "Log in" in client.get("/").get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_remember_me_sets_a_lasting_httponly_cookie(client, auth, user):
    auth.login(remember="y")
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


@pytest.mark.parametrize(
    "email, password",
    [("learner@example.org", "the wrong password"), ("nobody@example.org", PASSWORD)],
)
def test_a_failed_log_in_never_says_which_part_was_wrong(client, auth, user, email, password):
    page = auth.login(email=email, password=password).get_data(as_text=True)
    assert "Incorrect email address or password." in page
    assert f'value="{email}"' in page


def test_a_deactivated_account_cannot_log_in(app, client, auth):
    add_user(app, active=False)
    assert "Incorrect email address or password." in auth.login().get_data(as_text=True)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/account", "/account"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_leads_to_this_site(client, user, target, expected):
    response = client.submit(
        f"/login?next={target}",
        {"email": user.email, "password": PASSWORD},
    )
    assert response.location == expected


def test_change_password_needs_the_current_one_and_signs_out_other_devices(client, auth, user,
                                                                            app):
    other_device = app.test_client()
    FormClient(other_device).submit("/login", {"email": user.email, "password": PASSWORD})
    assert other_device.get("/account").status_code == 200
    auth.login()

    wrong = client.submit("/account/password", {
        "current_password": "not my password", "password": "a brand new password",
        "confirm": "a brand new password"})
    assert "This is not your current password." in wrong.get_data(as_text=True)

    right = client.submit("/account/password", {
        "current_password": PASSWORD, "password": "a brand new password",
        "confirm": "a brand new password"})
    assert right.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302
    assert find_user(app, user.email).check_password("a brand new password")


def test_edit_profile(app, client, auth, user):
    auth.login()
    response = client.submit("/account", {"full_name": "Ñúñez Çelik", "language": "es"})
    assert response.status_code == 302
    assert find_user(app, user.email).full_name == "Ñúñez Çelik"
    assert find_user(app, user.email).language == "es"


def test_profile_rejects_an_unknown_language(client, auth, user):
    auth.login()
    response = client.submit("/account", {"full_name": "X", "language": "xx"})
    assert "Not a valid choice" in response.get_data(as_text=True)


class TestPasswordReset:
    def request_link(self, client, mail, email):
        client.submit("/forgot-password", {"email": email})
        return link_in(mail[-1])

    def test_the_emailed_link_sets_a_new_password(self, client, auth, user, mail):
        link = self.request_link(client, mail, user.email)
        response = client.submit(link, {"password": "my new long password",
                                        "confirm": "my new long password"})
        assert response.status_code == 302
        assert auth.login(password="my new long password").status_code == 302

    def test_the_link_works_only_once(self, client, user, mail):
        link = self.request_link(client, mail, user.email)
        data = {"password": "my new long password", "confirm": "my new long password"}
        client.submit(link, data)
        again = client.get(link)
        assert again.status_code == 302 and again.location == "/forgot-password"

    def test_an_expired_link_is_refused(self, client, user, mail, app):
        link = self.request_link(client, mail, user.email)
        app.config["PASSWORD_RESET_MAX_AGE"] = -1
        assert client.get(link).location == "/forgot-password"

    def test_a_forged_link_is_refused(self, client, user):
        assert client.get("/reset-password/forged.token.value").location == "/forgot-password"

    def test_unknown_and_known_addresses_get_the_same_answer(self, client, user, mail):
        known = client.submit("/forgot-password", {"email": user.email})
        unknown = client.submit("/forgot-password", {"email": "nobody@example.org"})
        assert (
            known.get_data(as_text=True).replace(user.email, "X")
            == unknown.get_data(as_text=True).replace("nobody@example.org", "X")
        )
        assert [m["To"] for m in mail] == [user.email]

    def test_a_token_for_another_purpose_does_not_reset(self, client, user, app):
        with app.test_request_context():
            confirm_token = tokens.make_confirm_token(user)
        assert client.get(f"/reset-password/{confirm_token}").location == "/forgot-password"




def test_a_confirmation_link_signs_in_once_and_never_again(app, client, mail):
    client.submit("/register", NEW_USER)
    link = link_in(mail[-1])
    assert client.get(link).status_code == 302
    assert client.get("/account").status_code == 200

    someone_else = app.test_client()  # the same link, opened later or elsewhere
    response = someone_else.get(link, follow_redirects=True)
    assert "already confirmed" in response.get_data(as_text=True)
    assert someone_else.get("/account").status_code == 302


def test_a_confirmation_link_made_before_a_password_change_no_longer_works(app, client, mail):
    client.submit("/register", NEW_USER)
    confirm_link = link_in(mail[-1])
    client.submit("/forgot-password", {"email": NEW_USER["email"]})
    reset_link = link_in(mail[-1])
    client.submit(reset_link, {"password": "a brand new password",
                               "confirm": "a brand new password"})

    later = app.test_client()
    response = later.get(confirm_link, follow_redirects=True)
    assert "invalid or has expired" in response.get_data(as_text=True)
    assert later.get("/account").status_code == 302


def copy_of_cookies(app, client, *names):
    """Another browser holding copies of ``client``'s cookies, as a thief would."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, client.get_cookie(name).value)
    return thief


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_logging_out_ends_the_session_for_every_copy_of_its_cookie(app, client, auth, user,
                                                                    cookie):
    auth.login(remember="y")
    thief = copy_of_cookies(app, client, cookie)
    assert thief.get("/dashboard").status_code == 200
    auth.logout()
    assert thief.get("/dashboard").status_code == 302


def test_logging_out_keeps_the_other_devices_signed_in(app, client, auth, user):
    phone = FormClient(app.test_client())
    phone.submit("/login", {"email": user.email, "password": PASSWORD})
    auth.login()
    auth.logout()
    assert phone.get("/dashboard").status_code == 200


def test_the_account_page_signs_out_everywhere(app, client, auth, user):
    phone = FormClient(app.test_client())
    phone.submit("/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    auth.login()
    page = client.get("/account").get_data(as_text=True)
    assert "signed in on 2 devices" in page
    response = client.submit("/account/sign-out-everywhere", {}, form_url="/account")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302
    assert phone.get("/dashboard").status_code == 302


def test_a_session_ends_on_the_server_when_it_expires(app, client, auth, user):
    auth.login()
    with app.app_context():
        db.session.execute(db.update(LoginSession).values(expires_at=utcnow()))
        db.session.commit()
    assert client.get("/dashboard").status_code == 302


def test_a_learner_who_logs_in_again_is_welcomed_back(client, auth, user):
    auth.login()
    assert "Welcome back, Ñúñez Çelik-Øberg." in client.get("/").get_data(as_text=True)

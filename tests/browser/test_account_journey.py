"""A new learner's account, end to end in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..support import add_user, link_in
from .steps import log_in, log_out, menu, submit_log_in

pytestmark = pytest.mark.browser

PASSWORD = "a sentence as a password"
NEW_PASSWORD = "another sentence, longer"


def register(page: Page, base: str, mail: list, email: str, language: str = "en") -> None:
    page.goto(f"{base}/register")
    page.get_by_label("Full name").fill("Ñúñez Çelik-Øberg")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Preferred language").select_option(language)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(base + link_in(mail[-1]))


def test_a_learner_who_prefers_spanish_gets_the_interface_in_spanish(page: Page, live_server,
                                                                     mail):
    register(page, live_server, mail, "lucia@example.org", language="es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Tu correo electrónico está confirmado")).to_be_visible()
    page.get_by_role("navigation", name="Menú principal").get_by_role(
        "link", name="Mi aprendizaje").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi aprendizaje")


def test_register_log_out_log_in_and_change_password(page: Page, live_server, mail):
    register(page, live_server, mail, "nunez@example.org")
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    log_out(page)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    log_in(page, live_server, "nunez@example.org", PASSWORD)
    expect(page.get_by_text("Welcome back, Ñúñez Çelik-Øberg.")).to_be_visible()

    menu(page).get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()

    log_out(page)
    submit_log_in(page, live_server, "nunez@example.org", PASSWORD)
    expect(page.get_by_text("Incorrect email address or password.")).to_be_visible()
    log_in(page, live_server, "nunez@example.org", NEW_PASSWORD)
    expect(menu(page).get_by_role("button", name="Log out")).to_be_visible()


def test_reset_a_forgotten_password(page: Page, live_server, mail):
    register(page, live_server, mail, "huong@example.org")
    log_out(page)

    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill("huong@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto(live_server + link_in(mail[-1]))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("You can log in with it now")).to_be_visible()
    log_in(page, live_server, "huong@example.org", NEW_PASSWORD)
    expect(menu(page).get_by_role("button", name="Log out")).to_be_visible()


def test_errors_are_tied_to_their_fields_and_keep_what_was_typed(page: Page, live_server):
    page.goto(f"{live_server}/register")
    page.get_by_label("Full name").fill("Thị Hương")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Create account").click()
    email = page.get_by_label("Email address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("Enter a valid email address"))
    expect(page.get_by_label("Full name")).to_have_value("Thị Hương")


def test_the_skip_link_is_first_and_the_layout_fits_a_small_phone(page: Page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/register")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_logging_out_ends_the_session_for_a_copy_of_its_cookies(page: Page, browser,
                                                                 live_server, app):
    add_user(app)
    log_in(page, live_server)
    thief = browser.new_context()
    thief.add_cookies(page.context.cookies())
    stolen = thief.new_page()
    stolen.goto(f"{live_server}/dashboard")
    expect(stolen.get_by_role("heading", level=1)).to_have_text("My learning")

    log_out(page)
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    stolen.goto(f"{live_server}/dashboard")
    expect(stolen.get_by_role("heading", name="Log in")).to_be_visible()


def test_sign_out_everywhere_from_the_account_page(page: Page, browser, live_server, app):
    add_user(app)
    phone = browser.new_context().new_page()
    log_in(phone, live_server)
    log_in(page, live_server)
    menu(page).get_by_role("link", name="My account").click()
    expect(page.get_by_text("You are signed in on 2 devices or browsers.")).to_be_visible()
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_text("You are signed out on every device")).to_be_visible()
    phone.goto(f"{live_server}/dashboard")
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()


def test_the_language_picked_in_the_footer_stays_picked(page: Page, live_server, app, course):
    add_user(app)
    log_in(page, live_server)
    page.goto(f"{live_server}/courses")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon apprentissage").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

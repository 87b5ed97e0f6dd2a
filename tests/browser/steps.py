"""What people do in the browser, shared by the journeys."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..support import PASSWORD


def menu(page: Page):
    """The signed-in header's menu (a <details>), opened: account, teaching, log out."""
    details = page.locator("header details.menu")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def log_out(page: Page) -> None:
    menu(page).get_by_role("button", name="Log out").click()


def submit_log_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    """Fill in the log-in form and send it, whatever the answer."""
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def log_in(page: Page, base: str, email: str = "learner@example.org",
           password: str = PASSWORD) -> None:
    """Log in, and wait until the site shows the person signed in (in any language)."""
    submit_log_in(page, base, email, password)
    expect(page.locator('header a[href="/dashboard"]')).to_be_visible()

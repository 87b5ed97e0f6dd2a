"""In Chromium: a learner completes a course and gets a certificate that anyone can check; an
admin revokes it and the public page says so; a stranger checks the badge image they were given."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import Browser, Page, expect

from learning.models import Role

from ..support import QUIZ_LESSON, SLUG, add_user
from ..test_certificates import complete_course, needs_poppler, png_text_chunks
from .steps import log_in, menu
from .test_learner_journey import answer

pytestmark = pytest.mark.browser


@needs_poppler
def test_a_certificate_from_completion_to_revocation(page: Page, browser: Browser, live_server,
                                                     app, course, tmp_path):
    add_user(app, full_name="Ñúñez Çelik-Øberg")
    add_user(app, email="admin@example.org", role=Role.ADMIN, full_name="Ada Admin")
    log_in(page, live_server, "learner@example.org")
    page.goto(f"{live_server}/courses/{SLUG}")
    page.get_by_role("button", name="Enrol in this course").click()
    page.get_by_role("link", name="Start the course").click()
    for key in course.lessons:
        if key == QUIZ_LESSON:
            break
        page.get_by_role("button", name="Mark as complete").click()
    answer(page, course.lessons[QUIZ_LESSON].versions["en"].quiz, right=True)
    page.get_by_role("button", name="Submit my answers").click()

    ready = page.get_by_role("region", name="Your certificate is ready")
    expect(ready).to_be_visible()
    with page.expect_download() as pdf_download:
        ready.get_by_role("link", name="Download the PDF").click()
    pdf = tmp_path / "certificate.pdf"
    pdf_download.value.save_as(pdf)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    certificates = page.get_by_role("region", name="My certificates")
    expect(certificates.get_by_role("heading", name="SSE in a nutshell")).to_be_visible()
    with page.expect_download() as badge_download:
        certificates.get_by_role("link", name="Open Badge image").click()
    badge = tmp_path / "badge.png"
    badge_download.value.save_as(badge)
    assert png_text_chunks(badge.read_bytes())["openbadgecredential"].count(".") == 2

    # The QR code printed on the PDF leads to the public page, which anyone can open.
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    qr_url = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page-1.png")],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert qr_url.startswith(f"{live_server}/certificates/")
    visitor = browser.new_context(java_script_enabled=False).new_page()
    visitor.goto(qr_url)
    expect(visitor.get_by_role("status")).to_contain_text("Valid")
    expect(visitor.get_by_text("Ñúñez Çelik-Øberg")).to_be_visible()

    admin = browser.new_context().new_page()
    log_in(admin, live_server, "admin@example.org")
    menu(admin).get_by_role("link", name="Admin").click()
    admin.get_by_role("navigation", name="Admin").get_by_role("link", name="Certificates").click()
    admin.get_by_label("Search by certificate ID, holder name, email or title").fill("Çelik")
    admin.get_by_role("button", name="Search").click()
    admin.get_by_role("link", name="Ñúñez Çelik-Øberg").click()
    admin.get_by_role("button", name="Revoke the certificate").click()
    expect(admin.get_by_role("alert")).to_contain_text("Please correct")
    admin.get_by_label("Reason for revoking").fill("Issued by mistake")
    admin.get_by_role("button", name="Revoke the certificate").click()
    expect(admin.get_by_text("The certificate is revoked")).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_role("status")).to_contain_text("Revoked")

    # The holder sees it too, with the reason, and no longer gets anything to download.
    page.reload()
    certificates = page.get_by_role("region", name="My certificates")
    expect(certificates.get_by_text("Revoked on")).to_be_visible()
    expect(certificates.get_by_text("Issued by mistake")).to_be_visible()
    expect(certificates.get_by_role("link", name="Open Badge image")).to_have_count(0)
    page.goto(f"{live_server}/courses/{SLUG}")
    expect(page.get_by_role("region", name="Your certificate was revoked")).to_be_visible()


def test_a_holder_shows_their_name_and_a_stranger_checks_the_badge_image(
        page: Page, browser: Browser, live_server, app, course, tmp_path):
    add_user(app, full_name="Ñúñez Çelik-Øberg")
    complete_course(app)
    log_in(page, live_server, "learner@example.org")
    page.goto(f"{live_server}/dashboard")
    certificates = page.get_by_role("region", name="My certificates")
    certificates.get_by_label("Show my name in this Open Badge").check()
    certificates.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("now shows your name")
    expect(certificates.get_by_label("Show my name in this Open Badge")).to_be_checked()
    with page.expect_download() as badge_download:
        certificates.get_by_role("link", name="Open Badge image").click()
    badge = tmp_path / "badge.png"
    badge_download.value.save_as(badge)

    stranger = browser.new_context(java_script_enabled=False).new_page()
    stranger.goto(f"{live_server}/verify")
    stranger.get_by_label("Or upload a file").set_input_files(badge)
    stranger.get_by_label("Holder's email address (optional)").fill("learner@example.org")
    stranger.get_by_role("button", name="Check", exact=True).click()
    verdict = stranger.get_by_role("region", name="Result")
    expect(verdict.get_by_role("status")).to_contain_text(
        "the signature holds and the credential has not been revoked")
    expect(verdict.get_by_text("Ñúñez Çelik-Øberg")).to_be_visible()
    expect(verdict.get_by_text("The email address you gave matches.")).to_be_visible()

"""A new learner takes a whole bundled course in Chromium, in English and in French; the same
course reads without JS."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import Browser, Page, expect

from ..support import QUIZ_LESSON, SLUG, add_user, link_in
from .steps import log_in

pytestmark = pytest.mark.browser


def answer(page: Page, quiz, *, right: bool) -> None:
    for q in quiz.questions:
        if q.kind in ("short_text", "numeric"):
            page.locator(f"#{q.id}-input").fill(q.accepted[0] if right else "999999")
        else:
            choices = [c for c in q.choices if c.correct == right] or q.choices[:1]
            for c in choices if q.kind == "multiple" else choices[:1]:
                page.locator(f"#{q.id}-{c.id}").check()


def test_a_new_learner_takes_a_whole_course(page: Page, live_server, mail, course):
    page.goto(f"{live_server}/register")
    page.get_by_label("Full name").fill("Thị Hương")
    page.get_by_label("Email address").fill("huong@example.org")
    page.get_by_label("Password", exact=True).fill("a sentence as a password")
    page.get_by_label("Repeat the password").fill("a sentence as a password")
    page.get_by_role("button", name="Create account").click()
    page.goto(live_server + link_in(mail[-1]))

    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("link", name="SSE in a nutshell").click()
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_text("You are enrolled")).to_be_visible()
    page.get_by_role("link", name="Start the course").click()

    for key in course.lessons:
        if key == QUIZ_LESSON:
            break
        expect(page.locator("h1")).to_have_text(course.lessons[key].versions["en"].title)
        page.get_by_role("button", name="Mark as complete").click()

    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    answer(page, quiz, right=False)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Not passed yet")
    expect(page.locator(".feedback").first).to_be_visible()

    page.get_by_role("link", name="Try again").click()
    answer(page, quiz, right=True)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("status")).to_contain_text("You passed")

    page.get_by_role("link", name="My learning").click()
    expect(page.get_by_text("7 of 7 lessons done (100%)")).to_be_visible()
    expect(page.get_by_text("Completed on")).to_be_visible()


def test_the_course_reads_with_javascript_off(browser: Browser, live_server, course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/courses/{SLUG}")
    page.get_by_role("link", name="Start reading").click()
    for lesson in course.lessons.values():
        expect(page.locator("h1")).to_have_text(lesson.versions["en"].title)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        following = page.locator("a[rel=next]")
        if following.count():
            following.click()
    expect(page.get_by_role("link", name="log in", exact=True)).to_be_visible()
    context.close()


def test_a_french_learner_takes_the_course_in_french_to_a_french_certificate(
    page: Page, live_server, app, course, tmp_path
):
    """In French from the picker on: lessons, quiz, course page, certificate PDF and its public
    page; a lesson read in Spanish on the way keeps the learner's progress."""
    add_user(app, full_name="Aïssatou Diallo")
    log_in(page, live_server)
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    french = {key: lesson.versions["fr"] for key, lesson in course.lessons.items()}
    title = course.translations["fr"].title

    page.goto(f"{live_server}/courses/{SLUG}")
    expect(page.locator("h1")).to_have_text(title)
    page.locator("form[action$='/enrol'] button").click()
    page.locator("main a.button").first.click()  # start the course

    for number, key in enumerate(course.lessons):
        if key == QUIZ_LESSON:
            break
        expect(page.locator("h1")).to_have_text(french[key].title)
        expect(page.locator("article.lesson")).to_have_attribute("lang", "fr")
        if number == 1:  # read this one in Spanish, then come back: progress is the same
            languages = page.get_by_role("navigation", name="Langues de ce cours")
            languages.get_by_role("link", name="Español").click()
            expect(page.locator("h1")).to_have_text(course.lessons[key].versions["es"].title)
            expect(page.locator("article.lesson")).to_have_attribute("lang", "es")
            page.get_by_role("navigation", name="Idiomas de este curso").get_by_role(
                "link", name="Français").click()
            expect(page.locator("h1")).to_have_text(french[key].title)
        page.locator("form[action$='/complete'] button").click()

    answer(page, french[QUIZ_LESSON].quiz, right=True)
    page.locator("form[action$='/quiz'] button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("réussi")

    page.goto(f"{live_server}/courses/{SLUG}")
    expect(page.locator("progress")).to_have_attribute("value", str(len(course.lessons)))
    expect(page.get_by_role("heading", name="Votre certificat est prêt")).to_be_visible()
    pdf = page.request.get(live_server + page.get_by_role(
        "link", name="Télécharger le PDF").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf.body())
    printed = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert "Aïssatou Diallo" in printed and title in printed
    page.locator("a", has_text="Page de vérification publique").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main")).to_contain_text(title)

"""A new learner takes a whole bundled course in Chromium; the same course reads without JS."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from ..support import QUIZ_LESSON, SLUG, link_in

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

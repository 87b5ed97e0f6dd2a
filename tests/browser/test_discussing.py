"""In Chromium, with JavaScript on and off: a learner asks a question under a lesson, another
answers it and marks it helpful, a third reports it with the keyboard alone, and an admin finds
it in the review and hides it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from learning.models import Role

from ..support import SLUG, add_user
from .steps import log_in

pytestmark = pytest.mark.browser
LESSON = f"/courses/{SLUG}/lessons/what-is-the-sse"


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_learners_discuss_a_lesson_and_an_admin_moderates(
        browser: Browser, live_server, app, course, javascript):
    people = {}
    for email, name, role in [("ada@example.org", "Ada Asker", Role.LEARNER),
                              ("ben@example.org", "Ben Answerer", Role.LEARNER),
                              ("cy@example.org", "Cy Reporter", Role.LEARNER),
                              ("admin@example.org", "Ann Admin", Role.ADMIN)]:
        add_user(app, email=email, full_name=name, role=role)
        page = browser.new_context(java_script_enabled=javascript).new_page()
        log_in(page, live_server, email)
        people[email.split("@")[0]] = page

    ada = people["ada"]
    ada.goto(live_server + LESSON)
    discussion = ada.get_by_role("region", name="Discussion")
    discussion.get_by_role("link", name="Ask a question or share an idea").click()
    ada.get_by_label("Title").fill("Who owns a cooperative?")
    ada.get_by_label("Your question or idea").fill("Its **members**, or its workers?")
    ada.get_by_role("button", name="Post the thread").click()
    expect(ada.get_by_role("heading", level=1)).to_have_text("Who owns a cooperative?")
    expect(ada.locator(".post-body strong")).to_have_text("members")
    thread_url = ada.url

    ben = people["ben"]
    ben.goto(live_server + LESSON)
    ben.get_by_role("link", name="Who owns a cooperative?").click()
    ben.get_by_label("Your reply").fill("Its members: see <script>alert(1)</script> the ICA.")
    ben.get_by_role("button", name="Post the reply").click()
    expect(ben.get_by_text("see <script>alert(1)</script> the ICA")).to_be_visible()

    ada.goto(thread_url)
    reply = ada.get_by_role("article", name="Ben Answerer")
    reply.get_by_role("button", name="Helpful").click()
    expect(ada.get_by_role("article", name="Ben Answerer")).to_contain_text(
        "1 learner found this helpful")

    cy = people["cy"]
    cy.goto(thread_url)
    reply = cy.get_by_role("article", name="Ben Answerer")
    reply.locator("summary", has_text="Report").focus()
    cy.keyboard.press("Enter")  # opens the menu
    cy.keyboard.press("Tab")
    cy.keyboard.type("Off topic")
    cy.keyboard.press("Tab")
    cy.keyboard.press("Enter")
    expect(cy.get_by_text("the course's instructors will look at this post")).to_be_visible()

    admin = people["admin"]
    admin.goto(f"{live_server}/courses/{SLUG}/discussion/review")
    expect(admin.get_by_text("Off topic")).to_be_visible()
    admin.get_by_role("button", name="Hide").click()
    expect(admin.get_by_role("status")).to_contain_text("the post is now hidden pending review")
    cy.goto(thread_url)
    expect(cy.get_by_text("Its members: see")).to_have_count(0)

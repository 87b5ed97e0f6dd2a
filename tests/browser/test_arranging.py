"""In Chromium, with JavaScript on and off: a learner puts steps in order and matches pairs with
the keyboard alone, explains a choice, and reads back what they answered; answers a poll and
then sees how everyone answered; writes a reflection, shares it and finds it in their notebook."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from ..support import add_user, import_one_lesson_course
from ..test_arranged_and_explained import activity_course, right_order  # noqa: F401 (fixture)
from .steps import log_in

pytestmark = pytest.mark.browser
LESSON = "/courses/demo/lessons/check"
POLL = "Poll Does your country have a framework law on the SSE?"


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_learner_orders_and_matches_with_the_keyboard_alone(
        browser: Browser, live_server, app, activity_course, javascript):
    add_user(app)
    page = browser.new_context(java_script_enabled=javascript).new_page()
    log_in(page, live_server)
    page.goto(live_server + LESSON)
    steps = activity_course.lessons["check"].versions["en"].quiz.question("q-steps")

    page.locator("#q-steps-1").focus()
    for value in right_order(steps):  # each select takes the digit typed, then Tab moves on
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    expect(page.locator("#q-bodies-1")).to_be_focused()
    for initial in ["I", "U", "O"]:  # International Labour Conference, UN ..., OECD Council
        page.keyboard.type(initial)
        page.keyboard.press("Tab")
    page.get_by_label("A shop owned and run by the people who shop there").check()
    page.get_by_label("Why is it one?").fill("Its customers own it and decide together.")
    page.get_by_role("button", name="Submit my answers").press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Your score: 100%")
    expect(page.get_by_text("Its customers own it and decide together.")).to_be_visible()
    expect(page.locator("strong", has_text="Resolution 77/281 (2023) → UN General Assembly")
           ).to_be_visible()


def test_with_javascript_a_learner_may_drag_the_steps_into_order_and_the_numbers_follow(
        browser: Browser, live_server, app, activity_course):
    add_user(app)
    page = browser.new_context().new_page()
    log_in(page, live_server)
    page.goto(live_server + LESSON)
    steps = page.locator(".arrange-order .arrange-item")
    expect(page.get_by_text("Or drag each step by its handle")).to_be_visible()
    truth = [item.text_html for item in
             activity_course.lessons["check"].versions["en"].quiz.question("q-steps").items]
    page.locator(".arrange-order").evaluate("list => list.scrollIntoView()")  # all in view
    for place, text in enumerate(truth):  # drag the right step above the one in its place
        handle = steps.filter(has_text=text).locator(".drag-handle").bounding_box()
        target = steps.nth(place).bounding_box()
        page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
        page.mouse.down()
        page.mouse.move(target["x"] + 40, target["y"] + 3, steps=8)
        page.mouse.up()
    expect(steps.locator("label")).to_have_text(truth)
    for number in range(1, len(truth) + 1):
        expect(steps.nth(number - 1).locator("select")).to_have_value(str(number))
    page.locator("#q-bodies-1").focus()  # the rest answered as without JavaScript
    for initial in ["I", "U", "O"]:
        page.keyboard.type(initial)
        page.keyboard.press("Tab")
    page.get_by_label("A shop owned and run by the people who shop there").check()
    page.get_by_label("Why is it one?").fill("Its customers own it.")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your score: 100%")


def test_without_javascript_the_steps_have_no_drag_handles(browser: Browser, live_server, app,
                                                          activity_course):
    add_user(app)
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, live_server)
    page.goto(live_server + LESSON)
    expect(page.locator(".drag-handle")).to_have_count(0)
    expect(page.get_by_text("Or drag each step by its handle")).to_be_hidden()


def test_steps_and_pairs_fit_a_phone_screen(browser: Browser, live_server, app,
                                            activity_course):
    add_user(app)
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    log_in(page, live_server)
    page.goto(live_server + LESSON)
    expect(page.locator("#q-bodies-3")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_learner_answers_a_poll_then_sees_how_everyone_answered(
        browser: Browser, live_server, app, tmp_path, javascript):
    from ..test_polls import poll_course_at

    poll_course_at(app, tmp_path)
    add_user(app)
    page = browser.new_context(java_script_enabled=javascript).new_page()
    log_in(page, live_server)
    page.goto(live_server + LESSON)
    poll = page.get_by_role("region", name=POLL)
    expect(poll.get_by_role("table")).to_have_count(0)  # nothing to follow before answering
    poll.get_by_label("A bill is being discussed").check()
    poll.get_by_role("button", name="Send my answer").click()
    poll = page.get_by_role("region", name=POLL)
    expect(poll).to_contain_text("Your answer: A bill is being discussed")
    expect(poll.get_by_role("img", name="Answers to the poll")).to_be_visible()
    expect(poll.get_by_role("row", name="A bill is being discussed 1 100.0%")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_learner_writes_a_reflection_shares_it_and_finds_it_in_their_notebook(
        browser: Browser, live_server, app, tmp_path, javascript):
    from ..test_reflections import PRIVATE, SHARED

    import_one_lesson_course(app, tmp_path / "demo", "Read.\n\n" + PRIVATE + "\n" + SHARED)
    add_user(app)
    add_user(app, email="reader@example.org", full_name="Rita Reader")
    page = browser.new_context(java_script_enabled=javascript).new_page()
    log_in(page, live_server)
    page.goto(live_server + LESSON)
    shared = page.get_by_role("region", name="Reflection Which SSE entity near you would you "
                                             "show a minister, and why?")
    shared.get_by_label("Your answer").fill("The bakery cooperative of my town.")
    shared.get_by_label("The course's other learners, with my name").check()
    shared.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("status").first).to_contain_text("saved in your notebook")
    page.get_by_role("link", name="My notebook").first.click()
    expect(page.get_by_text("The bakery cooperative of my town.")).to_be_visible()
    expect(page.get_by_text("shared with my name")).to_be_visible()

    reader = browser.new_context(java_script_enabled=javascript).new_page()
    log_in(reader, live_server, "reader@example.org")
    reader.goto(live_server + LESSON)
    expect(reader.get_by_text("The bakery cooperative of my town.")).to_be_visible()
    expect(reader.get_by_text("Ñúñez Çelik-Øberg")).to_be_visible()

"""An instructor reads the analytics of a bundled course in Chromium after a few learners took
it, and downloads the progress export as a spreadsheet would open it."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from ..test_analytics import BASE, HOSTILE_NAME, SLUG, story  # noqa: F401  (the fixture)
from .steps import log_in, menu

pytestmark = pytest.mark.browser


def test_an_instructor_sees_the_funnel_and_quiz_analytics_and_exports_progress(
        page: Page, live_server, story, tmp_path):  # noqa: F811
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, "teacher@example.org")

    menu(page).get_by_role("link", name="Teaching").click()
    page.get_by_role("link", name="SSE in a nutshell").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("overview")
    funnel = page.get_by_role("img", name="Learners who reached and completed each lesson")
    expect(funnel).to_be_visible()
    table = page.locator("#funnel-table")
    expect(table.get_by_role("row")).to_have_count(8)  # a header and seven lessons
    expect(table.get_by_role("row").nth(1)).to_contain_text("4")

    page.get_by_label("From", exact=True).fill("2026-03-01")
    page.get_by_label("To", exact=True).fill("2026-03-05")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server}{BASE}?start=2026-03-01&end=2026-03-05")
    expect(page.get_by_text("Showing 2026-03-01 to 2026-03-05 (UTC).")).to_be_visible()

    page.get_by_role("navigation", name="Course analytics").get_by_role(
        "link", name="Quizzes").click()
    expect(page.get_by_text("Misleading:").first).to_be_visible()
    expect(page.get_by_role("img", name="Question 1: how often each option was chosen")
           .first).to_be_visible()
    expect(page.get_by_role("cell", name="Most chosen wrong option").first).to_be_visible()
    # The list numbers the questions; the prompt adds no second number ("1. 0.").
    prompt = page.locator(".question-stat .question-prompt").first
    assert prompt.evaluate("e => getComputedStyle(e, '::before').content") in {"none", "normal"}

    page.get_by_role("navigation", name="Course analytics").get_by_role(
        "link", name="Overview").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Learner progress (CSV)").click()
    path = tmp_path / "progress.csv"
    download_info.value.save_as(path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = {row["email"]: row for row in csv.DictReader(file)}
    assert set(rows) == {f"{n}@example.org" for n in ("ada", "ben", "cleo", "dan")}
    ada = rows["ada@example.org"]
    assert int(ada["lessons_done"]) == 7 and float(ada["percent_done"]) == 100.0
    assert isinstance(datetime.fromisoformat(ada["enrolled_at"]), datetime)
    assert rows["cleo@example.org"]["name"] == "'" + HOSTILE_NAME
    assert problems == []  # no Content-Security-Policy violation, no script error


def test_the_learners_page_searches_without_javascript(browser, live_server, story):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}{BASE}/learners")
    page.get_by_label("Name or email").fill("quispe")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("1 learner")
    page.get_by_role("link", name="Dan Quispe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dan Quispe")
    expect(page.get_by_role("cell", name="Not passed (pass mark 70%)")).to_be_visible()
    context.close()
    assert SLUG in BASE

"""In Chromium: an instructor reads a course folder before it is imported, pictures included."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from learning.models import Role

from ..support import add_user
from ..test_preview import courses_dir, lesson_with_a_picture  # noqa: F401  (fixtures)
from .steps import log_in, menu

pytestmark = pytest.mark.browser


def test_an_instructor_previews_a_folder_with_its_picture_and_its_links(
        page: Page, live_server, app, lesson_with_a_picture):  # noqa: F811
    add_user(app, email="teacher@example.org", role=Role.INSTRUCTOR)
    log_in(page, live_server, "teacher@example.org")
    menu(page).get_by_role("link", name="Preview").click()
    page.get_by_role("link", name="sse-in-a-nutshell").click()
    picture = page.get_by_role("img", name="A map of SSE networks")
    picture.scroll_into_view_if_needed()  # it loads lazily, as on the live site
    expect(picture).to_be_visible()
    assert picture.evaluate("image => image.naturalWidth") > 0  # served from the folder
    page.get_by_role("link", name="the lesson on values and principles").click()
    expect(page).to_have_url(f"{live_server}/instructor/preview/sse-in-a-nutshell"
                             "?lesson=values-and-principles&language=en")
    expect(page.locator("article.lesson h2").first).to_contain_text("Values and principles")
    # The picture was added to the English lesson: its French and Spanish translations say so.
    expect(page.get_by_role("heading", name="2 translations to bring up to date")).to_be_visible()

"""Instructors preview a course folder before importing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from learning.models import Role

from .support import PASSWORD, FormClient, add_user


@pytest.fixture
def courses_dir(app, tmp_path):
    """A copy of the bundled nutshell course plus a broken one, as COURSES_PATH."""
    shutil.copytree("courses/sse-in-a-nutshell", tmp_path / "sse-in-a-nutshell")
    shutil.copy("courses/glossary.yml", tmp_path / "glossary.yml")
    broken = tmp_path / "broken"
    shutil.copytree("courses/sse-in-a-nutshell", broken)
    course_yml = broken / "course.yml"
    course_yml.write_text(course_yml.read_text().replace("slug: sse-in-a-nutshell",
                                                         "slug: broken\ncolour: blue"))
    app.config["COURSES_PATH"] = str(tmp_path)
    return tmp_path


def logged_in(app, role: Role) -> FormClient:
    user = add_user(app, email=f"{role.value}@example.org", role=role)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": user.email, "password": PASSWORD})
    return client


def test_an_instructor_sees_the_lesson_with_its_answers_revealed(app, courses_dir):
    client = logged_in(app, Role.INSTRUCTOR)
    page = client.get("/instructor/preview/sse-in-a-nutshell?lesson=check-your-understanding")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Quiz, with answers" in html and "✓ correct" in html
    assert "No problems: ready to import." in html


def test_problems_are_listed_with_file_and_line(app, courses_dir):
    client = logged_in(app, Role.ADMIN)
    html = client.get("/instructor/preview/broken").get_data(as_text=True)
    assert "broken/course.yml:" in html and "colour" in html


@pytest.mark.parametrize("role", [Role.LEARNER])
def test_learners_cannot_preview(app, courses_dir, role):
    client = logged_in(app, role)
    assert client.get("/instructor/preview").status_code == 403
    assert client.get("/instructor/preview/sse-in-a-nutshell").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, courses_dir):
    response = client.get("/instructor/preview/sse-in-a-nutshell")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("folder", ["nope", "..", "%2e%2e", "programmes"])
def test_only_course_folders_can_be_previewed(app, courses_dir, folder):
    client = logged_in(app, Role.INSTRUCTOR)
    assert client.get(f"/instructor/preview/{folder}").status_code == 404


def test_the_preview_index_lists_folders_and_their_problems(app, courses_dir):
    html = logged_in(app, Role.INSTRUCTOR).get("/instructor/preview").get_data(as_text=True)
    assert "sse-in-a-nutshell" in html and "broken/course.yml" in html
    assert Path(courses_dir).exists()

"""Instructors preview a course folder before importing it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from learning import assignments
from learning.extensions import db
from learning.models import Course, Role, User

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


def test_a_courses_folder_that_is_not_there_is_said_on_the_preview_page(app, tmp_path):
    app.config["COURSES_PATH"] = str(tmp_path / "missing")
    client = logged_in(app, Role.INSTRUCTOR)
    index = client.get("/instructor/preview")
    assert index.status_code == 200
    assert f"{tmp_path / 'missing'}: there is no folder here" in index.get_data(as_text=True)
    assert client.get("/instructor/preview/sse-in-a-nutshell").status_code == 404


# --- Only the instructors of an imported course preview it -------------------------------------


def test_an_instructor_who_does_not_teach_an_imported_course_cannot_preview_it(app, courses_dir,
                                                                                course):
    client = logged_in(app, Role.INSTRUCTOR)
    url = "/instructor/preview/sse-in-a-nutshell?lesson=check-your-understanding"
    assert client.get(url).status_code == 404
    index = client.get("/instructor/preview").get_data(as_text=True)
    assert "/instructor/preview/sse-in-a-nutshell" not in index
    assert "/instructor/preview/broken" in index  # not imported: anyone teaching may look


def test_the_instructors_of_an_imported_course_and_admins_preview_it(app, courses_dir, course):
    teacher = logged_in(app, Role.INSTRUCTOR)
    with app.app_context():
        assignments.assign(User.by_email("instructor@example.org"),
                           db.session.scalar(select(Course)), by=None)
    url = "/instructor/preview/sse-in-a-nutshell?lesson=check-your-understanding"
    assert "✓ correct" in teacher.get(url).get_data(as_text=True)
    assert "✓ correct" in logged_in(app, Role.ADMIN).get(url).get_data(as_text=True)


# --- A preview is the folder as it stands, and stays inside it -----------------------------------


@pytest.fixture
def lesson_with_a_picture(courses_dir):
    lesson = courses_dir / "sse-in-a-nutshell" / "lessons" / "01-what-is-the-sse.md"
    (courses_dir / "sse-in-a-nutshell" / "images").mkdir(exist_ok=True)
    (courses_dir / "sse-in-a-nutshell" / "images" / "map.svg").write_text(SVG)
    lesson.write_text(lesson.read_text() + "\n![A map of SSE networks](../images/map.svg)\n")
    return courses_dir


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
       '<rect width="4" height="4"/></svg>')


def test_images_of_a_previewed_lesson_come_from_its_folder(app, lesson_with_a_picture):
    client = logged_in(app, Role.INSTRUCTOR)
    page = client.get("/instructor/preview/sse-in-a-nutshell?lesson=what-is-the-sse")
    src = re.search(r'<img alt="A map of SSE networks" [^>]*src="([^"]+)"',
                    page.get_data(as_text=True))
    assert src and src[1] == "/instructor/preview/sse-in-a-nutshell/media/images/map.svg"
    image = client.get(src[1])
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    assert image.get_data(as_text=True) == SVG and "sandbox" in image.headers[
        "Content-Security-Policy"]
    for other in ("course.yml", "lessons/07-check-your-understanding.md", "images/nope.svg"):
        assert client.get(f"/instructor/preview/sse-in-a-nutshell/media/{other}"
                          ).status_code == 404


def test_links_between_previewed_lessons_stay_in_the_preview(app, courses_dir):
    client = logged_in(app, Role.INSTRUCTOR)
    page = client.get("/instructor/preview/sse-in-a-nutshell?lesson=what-is-the-sse&language=en"
                      ).get_data(as_text=True)
    assert 'href="/instructor/preview/sse-in-a-nutshell?lesson=who-is-in-the-sse&amp;language=en"' \
        in page
    assert 'href="/courses/sse-in-a-nutshell/lessons/' not in page.split('<main')[1]


def test_a_problem_in_one_file_leaves_the_other_lessons_in_view(app, courses_dir):
    lesson = courses_dir / "broken" / "lessons" / "02-values-and-principles.md"
    lesson.write_text(lesson.read_text() + "\nSee [nowhere](lesson:nowhere).\n")
    page = logged_in(app, Role.INSTRUCTOR).get("/instructor/preview/broken").get_data(
        as_text=True)
    assert "broken/course.yml:" in page and "broken/lessons/02-values-and-principles.md:" in page
    assert "What is the social and solidarity economy?" in page  # the first lesson, in full
    outline = re.search(r'<ol class="outline">.*?</ol>', page, re.DOTALL)[0]
    assert "Who is in the SSE" in outline
    assert "Values and principles" not in outline  # the lesson with a problem


def test_a_stale_translation_is_shown_as_a_warning_not_a_problem(app, courses_dir):
    lessons = courses_dir / "sse-in-a-nutshell" / "lessons"
    for translation in lessons.glob("*.??.md"):  # the bundled ones: this test brings its own
        translation.unlink()
    shutil.copy(lessons / "01-what-is-the-sse.md", lessons / "01-what-is-the-sse.fr.md")

    html = logged_in(app, Role.INSTRUCTOR).get("/instructor/preview/sse-in-a-nutshell").get_data(
        as_text=True)

    assert "No problems: ready to import." in html
    assert "1 translation to bring up to date" in html
    assert ("sse-in-a-nutshell/lessons/01-what-is-the-sse.fr.md:1: the fr translation does not "
            "record which version of sse-in-a-nutshell/lessons/01-what-is-the-sse.md") in html
    assert "Français translation: 1 of 7 lessons; 1 stale" in html

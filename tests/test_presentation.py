"""The package presented: home, programme and course pages, the learner's way to the package
certificate, and the moment it is earned."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from learning import importer, progress
from learning.content import load_course
from learning.extensions import db
from learning.models import Certificate, Course, Lesson, Programme, User

from .support import SLUG, add_user
from .test_learning import count_queries

ELECTIVES = ["sse-and-public-policies", "sse-and-decent-work"]
PROGRAMME_URL = "/programmes/sse-awareness-package"


@pytest.fixture
def package(app):
    """The entry course and two electives, each completed by reading its lessons."""
    with app.app_context():
        for slug in [SLUG, *ELECTIVES]:
            importer.import_course(db.session, load_course(f"courses/{slug}").course)
        db.session.add(Programme(
            slug="sse-awareness-package", title="SSE awareness-raising package",
            summary="The package.", required=[SLUG], electives=ELECTIVES, electives_required=2,
            translations={"fr": {"title": "Le kit de sensibilisation à l'ESS"}}))
        db.session.execute(Course.__table__.update().values(completion_quizzes="none"))
        db.session.commit()


@pytest.fixture
def learner(app, client, package):
    user = add_user(app, full_name="Awa Diop")
    client.submit("/login", {"email": user.email, "password": "a long enough password"})
    return user


def complete(app, user, slug: str, leave: int = 0) -> list[str]:
    """Read every lesson of a course but the last ``leave``; the keys left."""
    with app.app_context():
        course = Course.by_slug(slug)
        lessons = db.session.scalars(select(Lesson).filter_by(course_id=course.id)
                                     .order_by(Lesson.position)).all()
        for lesson in lessons[:len(lessons) - leave]:
            progress.complete_lesson(User.by_email(user.email).id, lesson)
        db.session.commit()
        return [lesson.key for lesson in lessons[len(lessons) - leave:]]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_home_page_presents_the_sse_the_path_the_courses_and_who_it_is_for(client,
                                                                              package):
    page = text(client.get("/"))
    assert "The social and solidarity economy (SSE) is made up of enterprises" in page
    assert "International Labour Conference in 2022" in page
    assert "Start with SSE in a nutshell" in page
    assert "Choose 2 in-depth modules" in page and "Earn the package certificate" in page
    assert page.index("SSE in a nutshell") < page.index("SSE and public policies")
    for audience in ("Policymakers", "SSE entrepreneurs", "Instructors"):
        assert audience in page
    html = client.get("/").get_data(as_text=True)
    assert f'href="{PROGRAMME_URL}"' in html
    assert html.count('class="cover"') == 3  # every course card with its cover


def test_a_returning_learner_is_offered_the_lesson_they_left(app, client, learner):
    client.submit(f"/courses/{SLUG}/enrol", {}, form_url=f"/courses/{SLUG}")
    client.get(f"/courses/{SLUG}/lessons/values-and-principles")
    html = client.get("/").get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]+)">Continue where you left off', html)
    assert link and link.group(1) == f"/courses/{SLUG}/lessons/values-and-principles"
    assert "Values and principles" in text(client.get("/"))


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_home_page_runs_a_fixed_number_of_queries(app, client, package, signed_in):
    if signed_in:
        user = add_user(app)
        client.submit("/login", {"email": user.email, "password": "a long enough password"})
        complete(app, user, SLUG)
    client.get("/")
    with count_queries(app) as statements:
        assert client.get("/").status_code == 200
    assert len(statements) <= (4 if signed_in else 2), "\n".join(s[:80] for s in statements)


def test_the_programme_page_says_the_rule_and_lists_its_courses(client, package):
    page = text(client.get(PROGRAMME_URL))
    assert "Complete SSE in a nutshell, then any 2 of the in-depth modules below." in page
    steps = page[page.index("1 Start with"):]
    assert steps.index("SSE in a nutshell") < steps.index(
        "Then choose 2 in-depth modules") < steps.index("SSE and public policies")
    assert "With a free account you can save your progress" in page
    assert client.get("/programmes/nothing-here").status_code == 404


def test_the_programme_page_shows_a_learner_their_progress_and_next_course(app, client,
                                                                           learner):
    complete(app, learner, SLUG)
    html = client.get(PROGRAMME_URL).get_data(as_text=True)
    assert '<progress max="3" value="1"' in html
    page = text(client.get(PROGRAMME_URL))
    assert "1 of 3 courses completed" in page
    assert "SSE in a nutshell: completed" in page
    assert "In-depth modules: 0 of 2 completed" in page
    assert "Choose your next in-depth module below." in page

    client.submit(f"/courses/{ELECTIVES[1]}/enrol", {}, form_url=f"/courses/{ELECTIVES[1]}")
    assert "Continue with SSE and decent work" in text(client.get(PROGRAMME_URL))


def test_the_dashboard_shows_the_same_progress(app, client, learner):
    complete(app, learner, SLUG)
    complete(app, learner, ELECTIVES[0])
    page = text(client.get("/dashboard"))
    assert "My package certificate" in page
    assert "2 of 3 courses completed" in page
    assert "In-depth modules: 1 of 2 completed (SSE and public policies)" in page


def test_earning_the_package_certificate_is_a_moment_shown_once(app, client, learner):
    complete(app, learner, SLUG)
    complete(app, learner, ELECTIVES[0])
    last, = complete(app, learner, ELECTIVES[1], leave=1)
    lesson = f"/courses/{ELECTIVES[1]}/lessons/{last}"
    response = client.submit(f"{lesson}/complete", {}, form_url=lesson, follow_redirects=True)
    page = text(response)
    assert page.count("Your package certificate is ready") == 1
    assert "Congratulations! You have completed SSE awareness-raising package." in page
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(
            Certificate.programme_id.is_not(None)))
    html = response.get_data(as_text=True)
    assert f"/certificates/{certificate.public_id}/certificate.pdf" in html
    assert f"/certificates/{certificate.public_id}/badge.png" in html
    assert "Your package certificate is ready" not in text(client.get(f"/courses/{SLUG}"))
    assert "Your package certificate is ready" in text(client.get(PROGRAMME_URL))


def test_another_learner_never_sees_a_certificate_announced_for_someone_else(app, client,
                                                                             learner):
    with client.session_transaction() as session:
        session["earned"] = [1, 2, 3]  # whatever ids a session claims
    page = text(client.get("/"))
    assert "certificate is ready" not in page


def test_the_course_page_says_what_earns_the_certificate_and_where_it_leads(client,
                                                                             package):
    page = text(client.get(f"/courses/{SLUG}"))
    assert "What earns the certificate" in page
    assert "Complete every required lesson of the course." in page
    assert "Part of SSE awareness-raising package" in page
    html = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert html.count('class="button"') == 1  # one obvious next action
    assert f'href="{PROGRAMME_URL}"' in html


def test_the_programme_reads_in_the_learners_language(client, package):
    assert "Le kit de sensibilisation" in text(client.get(f"{PROGRAMME_URL}?lang=fr"))


def test_the_catalogue_filter_says_which_course_language_it_filters(client, package):
    page = text(client.get("/courses"))
    assert "Available in" in page and "Any language" in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_bundled_course_card_shows_its_cover_with_alt_text(app, language):
    from .test_page_weight import bundled, import_bundled_courses

    import_bundled_courses(app)
    client = app.test_client()
    for url in ("/courses", "/"):
        html = client.get(f"{url}?lang={language}").get_data(as_text=True)
        covers = re.findall(r'<img class="cover" src="[^"]+" alt="([^"]*)"', html)
        assert len(covers) == len(bundled().courses), url
        assert all(alt.strip() for alt in covers), (url, covers)
    assert re.findall(r'<h2><a href="/courses/([a-z0-9-]+)"', client.get(
        "/courses").get_data(as_text=True))[0] == SLUG  # the catalogue starts with the nutshell

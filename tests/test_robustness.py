"""Bad input and bad luck get a clear answer, never a 500 page from nowhere: a failed write
leaves the database as it was, and no value in an address or a form breaks a query."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text

from learning.extensions import db
from learning.models import Role, User

from .conftest import make_app
from .support import PASSWORD, QUIZ_LESSON, SLUG, FormClient, add_user


@contextmanager
def database_locked_for_writing(url: str):
    """Another connection holds the write lock: readers go on, writers time out."""
    engine = create_engine(url)
    with engine.connect() as other:
        if other.dialect.name == "sqlite":
            other.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            other.execute(text("LOCK TABLE users IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            other.rollback()
    engine.dispose()


def impatient(url: str) -> dict:
    """Engine options under which a write that must wait for a lock fails in a fifth of a second."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 0.2}}
    return {"connect_args": {"options": "-c lock_timeout=200"}, "pool_pre_ping": True}


def test_a_write_that_fails_shows_the_platform_error_page_and_changes_nothing(app, user):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    live = make_app(url, TESTING=False, SQLALCHEMY_ENGINE_OPTIONS=impatient(url))
    client = FormClient(live.test_client())
    client.submit("/login", {"email": user.email, "password": PASSWORD})
    token = client.csrf_token("/account")
    with database_locked_for_writing(url):
        response = client.post("/account", data={
            "csrf_token": token, "full_name": "A New Name", "language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "My learning" in page  # our page, signed in
    with live.app_context():
        assert db.session.scalar(select(User.full_name)) == user.full_name
    with live.app_context():
        db.engine.dispose()


# --- Control characters: refused in one place, before any query -------------------------------

CONTROL_ERROR = "contains control characters"


@pytest.mark.parametrize("url", [
    "/courses/%00", "/certificates/%00", "/certificates/%00.json", "/courses?q=%00",
    "/courses?language=fr%00", f"/media/{SLUG}/images/%00.png", "/glossary?x%00=1",
    "/badges/achievements/course/%01",
])
def test_an_address_with_a_control_character_is_refused(client, course, url):
    response = client.get(url)
    assert response.status_code == 400
    assert CONTROL_ERROR in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/users?q=a%00b", "/admin/certificates?q=%00",
                                 "/admin/audit?action=%00", f"/instructor/courses/{SLUG}"
                                 "/learners?q=%00"])
def test_admin_search_fields_refuse_control_characters(app, course, url):
    admin = FormClient(app.test_client())
    add_user(app, email="admin@example.org", role=Role.ADMIN)
    admin.submit("/login", {"email": "admin@example.org", "password": PASSWORD})
    response = admin.get(url)
    assert response.status_code == 400 and CONTROL_ERROR in response.get_data(as_text=True)


def test_a_form_with_a_control_character_is_refused_and_changes_nothing(app, client, auth, user,
                                                                        course):
    auth.login()
    response = client.submit("/account", {"full_name": "Ana\x00Bel", "language": "en"})
    assert response.status_code == 400 and CONTROL_ERROR in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.full_name)) == user.full_name
    quiz = client.submit(f"/courses/{SLUG}/lessons/{QUIZ_LESSON}/quiz",
                         {"q-anything": "an answer\x00"},
                         form_url=f"/courses/{SLUG}/lessons/{QUIZ_LESSON}")
    assert quiz.status_code == 400


def test_tabs_and_line_breaks_are_not_control_characters_here(client, auth, user):
    auth.login()
    response = client.submit("/account", {"full_name": "Ana\tBel\r\n", "language": "en"})
    assert response.status_code == 302


# --- Numbers and dates out of range ---------------------------------------------------------------

HUGE = "99999999999999999999"


def signed_in(app, role: Role) -> FormClient:
    client = FormClient(app.test_client())
    add_user(app, email=f"{role.value}@example.org", role=role)
    client.submit("/login", {"email": f"{role.value}@example.org", "password": PASSWORD})
    return client


@pytest.mark.parametrize("url, status", [
    (f"/admin/users?page={HUGE}", 400), ("/admin/users?page=0", 400),
    ("/admin/users?page=two", 400), (f"/admin/audit?page={HUGE}", 400),
    (f"/admin/certificates?page={HUGE}", 400), (f"/admin/users/{HUGE}", 404),
    ("/admin/users/2147483648", 404), (f"/instructor/courses/{SLUG}/learners?page={HUGE}", 400),
    (f"/instructor/courses/{SLUG}/learners/{HUGE}", 404),
    (f"/courses/{SLUG}/lessons/{QUIZ_LESSON}/quiz/attempts/{HUGE}", 404),
    (f"/courses/{SLUG}/lessons/{QUIZ_LESSON}/quiz/attempts/2147483648", 404),
])
def test_numbers_beyond_any_page_or_id_are_refused(app, course, url, status):
    assert signed_in(app, Role.ADMIN).get(url).status_code == status


@pytest.mark.parametrize("page", ["", "/quizzes", "/export/progress.csv",
                                  "/export/attempts.csv"])
@pytest.mark.parametrize("query", ["start=9999-12-31", "end=0001-01-01",
                                   "start=0001-01-01&end=0001-01-31"])
def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_reason(app, course, page, query):
    response = signed_in(app, Role.ADMIN).get(f"/instructor/courses/{SLUG}{page}?{query}")
    assert response.status_code == 400
    if not page.startswith("/export"):
        assert "Choose a date from 2000-01-01 to 2099-12-31." in response.get_data(as_text=True)

"""Who may do what at each URL of the credentials and the activities, checked on the server:
a stranger, a learner, another learner and an admin, each asking for each URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.models import Role

from .support import PASSWORD, FormClient, add_user, import_one_lesson_course
from .test_certificates import complete_course
from .test_polls import LAW
from .test_reflections import SHARED

LESSON = "/courses/demo/lessons/check"


@pytest.fixture
def world(app, course, tmp_path: Path):
    """A learner with a certificate, another learner, an admin, and a lesson with a poll and a
    reflection; each person's client, signed in."""
    import_one_lesson_course(app, tmp_path / "demo", "Text.\n\n" + LAW + "\n" + SHARED)
    people = {}
    for who, email, role in [("holder", "learner@example.org", Role.LEARNER),
                             ("other", "other@example.org", Role.LEARNER),
                             ("admin", "admin@example.org", Role.ADMIN)]:
        add_user(app, email=email, role=role)
        client = FormClient(app.test_client())
        client.submit("/login", {"email": email, "password": PASSWORD})
        people[who] = client
    people["stranger"] = FormClient(app.test_client())
    return people, complete_course(app)


# URL, then the status each person gets: a stranger, the holder, another learner, an admin.
# (302 for a stranger: to the log-in page.)
def get_urls(certificate: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    return [
        (f"/certificates/{certificate}", (200, 200, 200, 200)),
        (f"/certificates/{certificate}/credential.json", (302, 200, 404, 200)),
        (f"/certificates/{certificate}/credential.jwt", (302, 200, 404, 200)),
        (f"/certificates/{certificate}/badge.png", (302, 200, 404, 200)),
        ("/verify", (200, 200, 200, 200)),
        ("/wallets", (200, 200, 200, 200)),
        ("/notebook", (302, 200, 200, 200)),
        ("/notebook.md", (302, 200, 200, 200)),
        ("/notebook.pdf", (302, 200, 200, 200)),
        ("/badges/issuer", (200, 200, 200, 200)),
    ]


def test_each_person_gets_what_they_may_see(world):
    people, certificate = world
    for url, expected in get_urls(certificate):
        got = tuple(people[who].get(url).status_code
                    for who in ("stranger", "holder", "other", "admin"))
        assert got == expected, url


def test_only_the_holder_chooses_what_their_badge_shows(world):
    people, certificate = world
    url = f"/certificates/{certificate}/name"
    assert people["stranger"].post(url, data={"shows_name": "y"}).status_code in (302, 400)
    for who, status in [("other", 404), ("admin", 404), ("holder", 302)]:
        assert people[who].submit(url, {"shows_name": "y"}, form_url="/dashboard"
                                  ).status_code == status, who


@pytest.mark.parametrize("url, data", [
    (f"{LESSON}/polls/p-framework-law", {"choice": "0"}),
    (f"{LESSON}/reflections/r-an-example", {"text": "An answer."}),
])
def test_answering_an_activity_needs_an_account_and_a_csrf_token(world, url, data):
    people, _certificate = world
    assert people["stranger"].post(url, data=data).status_code in (302, 400)
    assert people["other"].post(url, data=data).status_code == 400  # no CSRF token
    assert people["other"].submit(url, data, form_url=LESSON).status_code == 302


def test_writing_reflections_is_rate_limited(app, world):
    people, _certificate = world
    app.config["REFLECTION_RATE_LIMIT"] = "3 per minute"
    url = f"{LESSON}/reflections/r-an-example"
    statuses = [people["other"].submit(url, {"text": f"Answer {n}"}, form_url=LESSON).status_code
                for n in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_each_discussion_url_checks_who_asks(app, world):
    """The holder starts a thread; each person asks each URL of it. An instructor of another
    course is no moderator here."""
    from sqlalchemy import select

    from learning.discussion import digest
    from learning.extensions import db
    from learning.models import Course, CourseInstructor, DiscussionPost, User

    people, _certificate = world
    add_user(app, email="teacher@example.org", role=Role.INSTRUCTOR)
    people["teacher"] = FormClient(app.test_client())
    people["teacher"].submit("/login", {"email": "teacher@example.org", "password": PASSWORD})
    with app.app_context():
        elsewhere = db.session.scalar(select(Course.id).where(Course.slug != "demo"))
        teacher_id = db.session.scalar(select(User.id).filter_by(email="teacher@example.org"))
        db.session.add(CourseInstructor(user_id=teacher_id, course_id=elsewhere))
        db.session.commit()
    discussion = f"{LESSON}/discussion"
    people["holder"].submit(discussion, {"title": "Mine", "body": "My post."})
    with app.app_context():
        post = db.session.scalar(select(DiscussionPost))
        post_id, thread_id = post.id, post.thread_id
        token = digest.unsubscribe_token(db.session.get(User, post.author_id))
    thread = f"{discussion}/{thread_id}"
    everyone = ("stranger", "holder", "other", "admin", "teacher")
    for url, expected in [
        (discussion, (200, 200, 200, 200, 200)),
        (thread, (200, 200, 200, 200, 200)),
        (f"/discussion/posts/{post_id}/edit", (302, 200, 403, 403, 403)),
        ("/courses/demo/discussion/review", (302, 403, 403, 200, 404)),
        (f"/discussion/unsubscribe/{token}", (200, 200, 200, 200, 200)),
        ("/discussion/unsubscribe/forged", (404, 404, 404, 404, 404)),
    ]:
        got = tuple(people[who].get(url).status_code for who in everyone)
        assert got == expected, url

    def post(who, url, **data):
        return people[who].submit(url, data, form_url=thread).status_code

    for who in ("other", "teacher", "holder"):
        assert post(who, f"/discussion/posts/{post_id}/moderate", action="hide") == 403, who
        assert post(who, f"/discussion/posts/{post_id}/answer") == 403, who
    assert post("other", "/courses/demo/discussion/suspensions", user_id=1) == 403
    assert post("teacher", "/courses/demo/discussion/suspensions", user_id=1) == 404
    for who in ("other", "admin", "teacher"):
        assert post(who, f"/discussion/posts/{post_id}/delete") == 403, who
    for action in ("helpful", "report", "delete", "moderate", "answer"):
        url = f"/discussion/posts/{post_id}/{action}"
        assert people["stranger"].post(url).status_code in (302, 400), url
        assert people["other"].post(url).status_code == 400, url  # no CSRF token
    assert people["other"].post(f"/discussion/posts/{post_id}/edit").status_code == 400
    assert post("other", "/discussion/posts/987654/helpful") == 404
    assert people["stranger"].post(f"/discussion/posts/{post_id}/delete").status_code in (
        302, 400)
    assert post("admin", f"/discussion/posts/{post_id}/moderate", action="hide") == 302
    # Hidden now: its author and the moderators see it, no one else.
    got = tuple(people[who].get(thread).status_code for who in everyone)
    assert got == (404, 200, 404, 200, 404)
    assert post("admin", f"/discussion/posts/{post_id}/moderate", action="nonsense") == 400
    assert post("holder", f"/discussion/posts/{post_id}/delete") == 302
    assert people["admin"].get(thread).status_code == 404  # gone for everyone

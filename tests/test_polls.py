"""Polls in a lesson: written as a ``::: poll`` block, validated with its line, answered once per
learner, with results (counts, shares, a chart and a table, pooled and per language) shown only
to those who answered, and to the course's instructors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from learning.content import load_course
from learning.content.activities import parse_poll
from learning.content.quiz_block import default_fragment_renderer
from learning.extensions import db
from learning.models import PollVote, Role

from .content.content_helpers import course_yml, lesson
from .support import PASSWORD, FormClient, add_user, import_one_lesson_course
from .test_learning import count_queries

LAW = """::: poll {#p-framework-law}
Does your country have a framework law on the SSE?
- Yes
- A bill is being discussed
- No
:::
"""
READY = """::: poll {#p-ready}
How ready do you feel to start a cooperative?
Scale: 1-5
Low: Not at all
High: Completely
:::
"""
LESSON = "/courses/demo/lessons/check"


def parsed(arg: str, body: str):
    found: list = []
    return parse_poll(arg, body, 20, default_fragment_renderer, found), [
        (line, message) for line, message, _hint in found]


# --- Written and validated ---------------------------------------------------------------------


def test_a_poll_has_a_question_and_options_or_a_scale():
    poll, found = parsed("{#p-law}", "Does your country have a law?\n- Yes\n- No")
    assert found == [] and poll.options == ("Yes", "No") and poll.labels == ("Yes", "No")
    scale, found = parsed("{#p-ready}", "How ready?\nScale: 1-5\nLow: Not at all\nHigh: Fully")
    assert found == [] and scale.labels == ("1", "2", "3", "4", "5")
    assert (scale.low_html, scale.high_html) == ("Not at all", "Fully")


@pytest.mark.parametrize(("arg", "body", "line", "message"), [
    ("", "A question?\n- a\n- b", 20, "poll has no id"),
    ("{#P Law}", "A question?\n- a\n- b", 20, "poll id 'P Law' is not valid"),
    ("{#p-x}", "- a\n- b", 20, "poll 'p-x' has no question"),
    ("{#p-x}", "A question?\n- only one", 20, "poll 'p-x' needs 2 to 8 options, or a scale"),
    ("{#p-x}", "A question?\n- a\n- b\nScale: 1-5", 24, "poll 'p-x' has both options and a scale"),
    ("{#p-x}", "A question?\nScale: 0-10", 22, "scale '0-10' is not 1-5"),
    ("{#p-x}", "A question?\n- a\n- b\nLow: little", 24, "'Low:' only applies to a scale"),
    ("{#p-x}", "A question?\n- a\n- b\nAn afterthought", 24, "unexpected line in poll 'p-x'"),
])
def test_a_mistake_is_named_with_its_line(arg, body, line, message):
    _poll, found = parsed(arg, body)
    assert (line, message) in found


def test_a_lesson_file_with_a_broken_poll_names_the_file_and_line(tmp_path: Path):
    folder = write_course(tmp_path, "Some text.\n\n::: poll {#p-x}\nA question?\n- one\n:::\n")
    problems = [str(p) for p in load_course(folder).problems]
    assert any(p.startswith("demo/lessons/check.md:") and "needs 2 to 8 options" in p
               for p in problems), problems


def test_the_question_and_options_go_through_the_one_sanitiser():
    poll, _ = parsed("{#p-x}", 'Which? <script>alert(1)</script>\n- <img src=x onerror=alert(1)>'
                     '\n- [a link](javascript:alert(1))')
    rendered = poll.prompt_html + "".join(poll.options)
    assert "<script" not in rendered and "onerror" not in rendered
    assert "javascript:" not in rendered


# --- Answered once, results after answering -----------------------------------------------------


def write_course(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "demo"
    (folder / "lessons").mkdir(parents=True)
    (folder / "course.yml").write_text(course_yml(["check"]), encoding="utf-8")
    (folder / "lessons" / "check.md").write_text(lesson("check", body), encoding="utf-8")
    return folder


def poll_course_at(app, tmp_path: Path):
    """A course "demo" whose one lesson holds a poll with options and a poll on a scale."""
    return import_one_lesson_course(app, tmp_path / "demo",
                                    "Read this.\n\n" + LAW + "\nThen this.\n\n" + READY)


@pytest.fixture
def poll_course(app, tmp_path: Path):
    return poll_course_at(app, tmp_path)


def learner(app, email: str) -> FormClient:
    add_user(app, email=email)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": email, "password": PASSWORD})
    return client


def answer(client: FormClient, poll: str, choice: str):
    return client.submit(f"{LESSON}/polls/{poll}", {"choice": choice}, form_url=LESSON)


def test_an_anonymous_reader_sees_the_question_and_is_asked_to_log_in(app, poll_course):
    page = app.test_client().get(LESSON).get_data(as_text=True)
    assert "Does your country have a framework law on the SSE?" in page
    assert 'disabled required' in page and "Log in to answer" in page
    assert page.index("Read this.") < page.index("framework law") < page.index("Then this.")


def test_a_learner_answers_once_and_then_sees_everyone_s_answers(app, poll_course):
    first, second = learner(app, "a@example.org"), learner(app, "b@example.org")
    before = first.get(LESSON).get_data(as_text=True)
    assert 'action="/courses/demo/lessons/check/polls/p-framework-law"' in before
    assert "have answered so far" not in before  # no results before answering
    answer(second, "p-framework-law", "2")

    response = answer(first, "p-framework-law", "0")
    assert response.status_code == 302 and response.location.endswith("#poll-p-framework-law")
    page = first.get(LESSON).get_data(as_text=True)
    assert "2 learners have answered so far." in page
    assert '<svg class="chart"' in page and "Answers to the poll" in page
    assert ">50.0%<" in page  # one of two answered "Yes"
    assert 'action="/courses/demo/lessons/check/polls/p-ready"' in page  # the other: not yet

    again = answer(first, "p-framework-law", "1")
    assert again.status_code == 302
    assert "your first answer stands" in first.get(LESSON).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(PollVote.id))) == 2


@pytest.mark.parametrize("choice", ["", "9", "-1", "yes", "0; DROP TABLE poll_votes"])
def test_an_answer_that_is_not_an_option_is_refused_with_a_message(app, poll_course, choice):
    client = learner(app, "a@example.org")
    answer(client, "p-framework-law", choice)
    assert "Choose an answer to the poll." in client.get(LESSON).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(PollVote.id))) == 0


def test_an_unknown_poll_is_not_found_and_answering_needs_an_account(app, poll_course):
    client = learner(app, "a@example.org")
    assert answer(client, "p-nothing", "0").status_code == 404
    anonymous = FormClient(app.test_client())
    response = anonymous.post(f"{LESSON}/polls/p-framework-law", data={"choice": "0"})
    assert response.status_code in (302, 400)  # to the log-in page, or no CSRF token
    with app.app_context():
        assert db.session.scalar(select(func.count(PollVote.id))) == 0


def test_the_results_are_per_language_and_pooled(app, poll_course):
    client = learner(app, "a@example.org")
    answer(client, "p-ready", "4")
    with app.app_context():
        lesson_id = db.session.scalar(select(PollVote.lesson_id))
        db.session.add_all([PollVote(lesson_id=lesson_id, poll_key="p-ready", choice=3,
                                     language="fr"),
                            PollVote(lesson_id=lesson_id, poll_key="p-ready", choice=4,
                                     language="fr")])
        db.session.commit()
    page = client.get(LESSON).get_data(as_text=True)
    assert "3 learners have answered so far." in page
    assert '<th scope="col" lang="fr">Français</th>' in page
    assert "1: Not at all; 5: Completely" not in page  # the scale's labels go with the form


def test_a_lesson_with_polls_stays_within_the_query_budget(app, poll_course):
    client = learner(app, "a@example.org")
    answer(client, "p-framework-law", "1")
    client.get(LESSON)
    with count_queries(app) as statements:
        assert client.get(LESSON).status_code == 200
    assert len(statements) <= 5, "\n".join(s[:90] for s in statements)


def test_instructors_see_every_poll_of_their_course(app, poll_course):
    answer(learner(app, "a@example.org"), "p-framework-law", "0")
    teacher = learner(app, "teacher@example.org")
    with app.app_context():
        from learning.models import User
        db.session.scalar(select(User).filter_by(email="teacher@example.org")).role = Role.ADMIN
        db.session.commit()
    page = teacher.get("/instructor/courses/demo/quizzes").get_data(as_text=True)
    assert "Polls" in page and "Does your country have a framework law on the SSE?" in page
    assert "A bill is being discussed" in page


def test_a_learner_s_answers_are_in_their_data_and_outlive_them_without_them(app, poll_course):
    client = learner(app, "a@example.org")
    answer(client, "p-ready", "3")
    data = client.get("/account/data").get_json()
    assert data["poll_answers"] == [{
        "course": "demo", "lesson": "check", "poll": "p-ready", "answer": 4, "language": "en",
        "answered_at": data["poll_answers"][0]["answered_at"]}]
    client.submit("/account/delete", {"password": PASSWORD, "understood": "y"})
    with app.app_context():
        vote = db.session.scalar(select(PollVote))
        assert vote.user_id is None and vote.choice == 3

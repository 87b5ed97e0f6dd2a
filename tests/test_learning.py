"""The learner's journey over a bundled course: read, enrol, complete, take quizzes."""

from __future__ import annotations

import html
import re
import shutil
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update

from learning import importer
from learning.content import load_course, load_glossary
from learning.extensions import db
from learning.models import Enrolment, LessonProgress, QuizAttempt, utcnow

from .support import QUIZ_LESSON, SLUG, FormClient, add_user


def right_answers(quiz) -> dict:
    answers = {}
    for q in quiz.questions:
        if q.kind in ("short_text", "numeric"):
            answers[q.id] = q.accepted[0]
        else:
            answers[q.id] = [c.id for c in q.choices if c.correct]
    return answers


def wrong_answers(quiz) -> dict:
    answers = {}
    for q in quiz.questions:
        if q.kind in ("short_text", "numeric"):
            answers[q.id] = "999999 not it"
        else:
            answers[q.id] = [next(c.id for c in q.choices if not c.correct)]
    return answers


@pytest.fixture
def learner(app, client, course):
    user = add_user(app)
    client.submit("/login", {"email": user.email, "password": "a long enough password"})
    return user


def lesson_url(key: str) -> str:
    return f"/courses/{SLUG}/lessons/{key}"


def submit_quiz(client: FormClient, answers: dict, token: str | None = None):
    page = client.get(lesson_url(QUIZ_LESSON)).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    token = token or re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    return client.post(f"{lesson_url(QUIZ_LESSON)}/quiz",
                       data={"csrf_token": csrf, "submission_token": token, **answers})


def test_anyone_can_read_the_catalogue_the_outline_and_every_lesson(client, course):
    assert "SSE in a nutshell" in client.get("/courses").get_data(as_text=True)
    outline = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    for lesson in course.lessons.values():
        version = next(iter(lesson.versions.values()))
        assert version.title in outline
        page = client.get(lesson_url(lesson.id))
        assert page.status_code == 200
        assert "Create an account" in page.get_data(as_text=True)


def test_the_catalogue_filters_by_level_language_and_words(client, course):
    assert SLUG in client.get("/courses?level=introductory").get_data(as_text=True)
    assert SLUG not in client.get("/courses?level=advanced").get_data(as_text=True)
    assert SLUG in client.get("/courses?language=fr").get_data(as_text=True)  # translated
    assert SLUG in client.get("/courses?q=NUTSHELL").get_data(as_text=True)


def test_a_quiz_page_never_contains_its_answer_key(client, learner, course):
    page = client.get(lesson_url(QUIZ_LESSON)).get_data(as_text=True)
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    assert "<form" in page
    for q in quiz.questions:
        assert q.id in page
        if q.explanation_html:
            assert q.explanation_html not in page
        for c in q.choices:
            if c.feedback_html:
                assert c.feedback_html not in page
        for accepted in q.accepted:
            assert f'value="{accepted}"' not in page


def test_marking_a_lesson_complete_records_it_and_moves_on(app, client, learner, course):
    first, second = list(course.lessons)[:2]
    response = client.submit(f"{lesson_url(first)}/complete", {}, form_url=lesson_url(first))
    assert response.location == lesson_url(second)
    with app.app_context():
        (progress,) = db.session.scalars(select(LessonProgress)).all()
        assert progress.completed_by == "learner" and progress.completed_at is not None
        assert db.session.scalar(select(func.count(Enrolment.id))) == 1
    assert "1 of 7 lessons done" in client.get(f"/courses/{SLUG}").get_data(as_text=True)


def test_a_graded_quiz_lesson_cannot_be_marked_complete_by_hand(client, learner, course):
    client.submit(f"{lesson_url(QUIZ_LESSON)}/complete", {}, form_url=lesson_url("what-is-the-sse"))
    assert "1 of" not in client.get(f"/courses/{SLUG}").get_data(as_text=True)


def test_failing_shows_score_and_feedback_but_not_the_answers(client, learner, course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    response = submit_quiz(client, wrong_answers(quiz))
    assert response.status_code == 302
    result = client.get(response.location).get_data(as_text=True)
    assert "Your score: 0%" in result and "Not passed yet" in result
    feedback = next(c.feedback_html for q in quiz.questions for c in q.choices
                    if not c.correct and c.feedback_html)
    assert feedback.split("<")[0][:20] in result or feedback in result
    assert "shown once you pass" in result


def test_passing_completes_the_lesson_and_shows_explanations(app, client, learner, course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    result = client.get(submit_quiz(client, right_answers(quiz)).location).get_data(as_text=True)
    assert "Your score: 100%" in result and "You passed" in result
    assert "Correct answer:" in result
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_by)) == "quiz"


def test_a_replayed_submission_counts_once(app, client, learner, course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    first = submit_quiz(client, wrong_answers(quiz), token="same-token")
    again = submit_quiz(client, wrong_answers(quiz), token="same-token")
    assert first.location == again.location
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_attempts_are_limited_and_every_attempt_is_kept(app, client, learner, course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    assert quiz.max_attempts == 3
    for _ in range(3):
        submit_quiz(client, wrong_answers(quiz))
    page = client.get(lesson_url(QUIZ_LESSON)).get_data(as_text=True)
    assert "You have used all your attempts" in page and 'name="submission_token"' not in page
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 3


def test_an_unanswered_question_keeps_the_other_answers_and_costs_nothing(app, client, learner,
                                                                           course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    answers = right_answers(quiz)
    skipped = quiz.questions[0].id
    del answers[skipped]
    response = submit_quiz(client, answers)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{skipped}-error"' in page
    kept = next(q for q in quiz.questions[1:] if q.kind in ("short_text", "numeric"))
    assert f'value="{answers[kept.id]}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0


def test_an_attempt_is_visible_only_to_its_owner(app, client, learner, course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    location = submit_quiz(client, wrong_answers(quiz)).location
    other = add_user(app, email="other@example.org")
    intruder = FormClient(app.test_client())
    intruder.submit("/login", {"email": other.email, "password": "a long enough password"})
    assert intruder.get(location).status_code == 404


def test_completing_every_lesson_completes_the_course(app, client, learner, course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    for key in course.lessons:
        if key != QUIZ_LESSON:
            client.submit(f"{lesson_url(key)}/complete", {}, form_url=lesson_url(key))
    with app.app_context():
        assert db.session.scalar(select(Enrolment.completed_at)) is None
    submit_quiz(client, right_answers(quiz))
    with app.app_context():
        assert db.session.scalar(select(Enrolment.completed_at)) is not None
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "7 of 7 lessons done (100%)" in dashboard and "Completed on" in dashboard


def test_quiz_actions_need_an_account(client, course):
    response = client.post(f"{lesson_url(QUIZ_LESSON)}/quiz", data={})
    assert response.status_code in (302, 400)


@contextmanager
def count_queries(app):
    statements = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_lesson_page_runs_at_most_five_queries_whatever_the_history(app, client, course,
                                                                     logged_in):
    if logged_in:
        user = add_user(app)
        client.submit("/login", {"email": user.email, "password": "a long enough password"})
        quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
        for _ in range(2):
            submit_quiz(client, wrong_answers(quiz))
        for key in list(course.lessons)[:3]:
            client.submit(f"{lesson_url(key)}/complete", {}, form_url=lesson_url(key))
    for key in ("what-is-the-sse", QUIZ_LESSON):
        with count_queries(app) as statements:
            assert client.get(lesson_url(key)).status_code == 200
        assert len(statements) <= 5, "\n".join(s[:90] for s in statements)


def test_serving_a_lesson_does_no_markdown_work(client, learner, course, monkeypatch):
    import markdown

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown rendered while serving a page")

    monkeypatch.setattr(markdown.Markdown, "convert", refuse)
    monkeypatch.setattr(markdown, "markdown", refuse)
    for key in course.lessons:
        assert client.get(lesson_url(key)).status_code == 200


def test_anonymous_readers_get_a_lesson_from_memory_until_an_import_changes_it(
        app, client, course, tmp_path):
    url = lesson_url("what-is-the-sse")
    first = client.get(url).get_data(as_text=True)
    with count_queries(app) as statements:
        again = client.get(url).get_data(as_text=True)
    assert again == first
    assert len(statements) == 1, statements  # the courses' content hashes, nothing else

    folder = tmp_path / SLUG
    shutil.copytree(f"courses/{SLUG}", folder)
    lesson_file = folder / "lessons" / "01-what-is-the-sse.md"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8").replace(
        "\n\n", "\n\nA sentence added by the author.\n\n", 1), encoding="utf-8")
    glossary, _ = load_glossary(Path("courses/glossary.yml"))
    with app.app_context():
        importer.import_course(db.session, load_course(folder, glossary).course)
        db.session.commit()
    assert "A sentence added by the author." in client.get(url).get_data(as_text=True)


def test_a_learner_never_gets_the_page_kept_for_anonymous_readers(app, client, course):
    url = lesson_url("what-is-the-sse")
    anonymous = client.get(url).get_data(as_text=True)
    assert "Mark as complete" not in anonymous
    user = add_user(app)
    client.submit("/login", {"email": user.email, "password": "a long enough password"})
    assert "Mark as complete" in client.get(url).get_data(as_text=True)


def test_rereading_a_lesson_soon_after_writes_nothing_but_moving_on_is_remembered(
        app, client, learner, course):
    client.submit(f"/courses/{SLUG}/enrol", {}, form_url=f"/courses/{SLUG}")

    def last_visit():
        with app.app_context():
            row = db.session.execute(select(Enrolment.last_lesson_id,
                                            Enrolment.last_activity_at)).one()
            return tuple(row)

    client.get(lesson_url("what-is-the-sse"))
    first = last_visit()
    with count_queries(app) as statements:
        client.get(lesson_url("what-is-the-sse"))
    assert last_visit() == first
    assert not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    client.get(lesson_url("values-and-principles"))
    assert last_visit()[0] != first[0] and last_visit()[1] >= first[1]


def test_coming_back_to_the_same_lesson_later_is_remembered_as_activity(
        app, client, learner, course):
    client.submit(f"/courses/{SLUG}/enrol", {}, form_url=f"/courses/{SLUG}")
    client.get(lesson_url("what-is-the-sse"))
    an_hour_ago = utcnow() - timedelta(hours=1)
    with app.app_context():
        db.session.execute(update(Enrolment).values(last_activity_at=an_hour_ago))
        db.session.commit()
    client.get(lesson_url("what-is-the-sse"))
    with app.app_context():
        assert db.session.scalar(select(Enrolment.last_activity_at)) > an_hour_ago


def test_an_anonymous_reader_coming_back_to_an_unchanged_lesson_downloads_nothing(
        client, course):
    first = client.get(lesson_url("what-is-the-sse"))
    assert first.headers["ETag"] and "Cookie" in first.headers["Vary"]
    again = client.get(lesson_url("what-is-the-sse"),
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get(lesson_url("values-and-principles"),
                       headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


def test_a_kept_page_answers_a_list_of_etags_that_holds_its_own(client, course):
    etag = client.get(lesson_url("what-is-the-sse")).headers["ETag"]
    kept = client.get(lesson_url("what-is-the-sse"),
                      headers={"If-None-Match": f'"older", {etag}'})
    assert kept.status_code == 304
    any_tag = client.get(lesson_url("what-is-the-sse"), headers={"If-None-Match": "*"})
    assert any_tag.status_code == 304
    other = client.get(lesson_url("what-is-the-sse"), headers={"If-None-Match": '"older"'})
    assert other.status_code == 200


def test_the_anonymous_page_cache_only_looks_at_lesson_addresses(app, client, course):
    with count_queries(app) as statements:
        response = client.get("/static/style.css")
        response.close()
    assert response.status_code == 200
    assert statements == []  # not even the check for changed content


def test_the_page_kept_for_anonymous_readers_is_never_served_to_a_session(app, client, course):
    url = lesson_url("what-is-the-sse")
    client.get(url)
    with count_queries(app) as statements:
        client.get(url)
    assert len(statements) == 1
    client.get("/courses?lang=fr")  # choosing a language starts a session
    with count_queries(app) as statements:
        page = client.get(url)
    assert len(statements) > 1 and 'lang="fr"' in page.get_data(as_text=True)


def test_an_anonymous_reader_gets_the_page_in_the_language_their_browser_asks_for(client,
                                                                                 course):
    url = lesson_url("what-is-the-sse")
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = client.get(url, headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="fr"' in french


def test_the_course_page_says_what_a_learner_will_be_able_to_do_and_for_whom(client, course):
    page = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert "What you will be able to do" in page and "Who it is for" in page
    assert all(html.escape(objective, quote=False) in page for objective in course.objectives)
    first = course.lessons["what-is-the-sse"].versions["en"].objectives[0]
    assert html.escape(first, quote=False) in page  # the outline shows each lesson's objectives


def test_a_lesson_opens_with_its_objectives(client, course):
    page = client.get(lesson_url("what-is-the-sse")).get_data(as_text=True)
    objectives = course.lessons["what-is-the-sse"].versions["en"].objectives
    assert "In this lesson, you will learn to:" in page
    assert all(html.escape(objective, quote=False) in page for objective in objectives)
    assert page.index("In this lesson") < page.index('class="lesson-body"')


def test_every_public_page_describes_itself_for_search_engines_and_link_previews(client, course):
    described = {
        "/courses": "Free online courses on the social and solidarity economy",
        f"/courses/{SLUG}": course.summary.split(",")[0],
        lesson_url("what-is-the-sse"): course.lessons["what-is-the-sse"].versions["en"].summary,
    }
    for url, start in described.items():
        page = client.get(url).get_data(as_text=True)
        match = re.search(r'<meta name="description" content="([^"]+)">', page)
        assert match and html.unescape(match.group(1)).startswith(start), url


def test_a_reader_without_an_account_is_invited_just_before_the_quiz(client, course):
    page = client.get(lesson_url(QUIZ_LESSON)).get_data(as_text=True)
    assert page.count('class="invitation"') == 1
    assert page.index('class="invitation"') < page.index('class="quiz')
    plain = client.get(lesson_url("what-is-the-sse")).get_data(as_text=True)
    assert plain.count('class="invitation"') == 1  # no quiz: at the end, as before

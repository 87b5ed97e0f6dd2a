"""Instructor analytics, specified on a bundled course that four learners have taken by hand.

The learners of "SSE in a nutshell" (seven lessons; lesson 7 holds the graded quiz):

- Ada completes lessons 1 to 6, fails the quiz, then passes it: she completes the course and
  holds a certificate;
- Ben completes lessons 1 to 3 and opens lesson 4;
- Cleo (whose name is a spreadsheet formula) only opens lesson 1;
- Dan opens lesson 7 and fails the quiz once.

Every figure below is counted by hand from that story.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date, datetime

import pytest
from sqlalchemy import delete, event, select, update

from learning import importer, progress
from learning.content import load_course
from learning.content.translations import mark_translations
from learning.extensions import db
from learning.instructor import analytics, charts, export
from learning.models import (
    AttemptResponse,
    Certificate,
    Course,
    CourseInstructor,
    Enrolment,
    Lesson,
    LessonContent,
    LessonProgress,
    QuestionAnswerDay,
    QuizAttempt,
    Role,
    User,
)

from .support import PASSWORD, QUIZ_LESSON, SLUG, add_user, nutshell
from .test_learning import right_answers, wrong_answers

OTHER_SLUG = "other-course"
HOSTILE_NAME = '=HYPERLINK("http://evil.example/","Cleo")'
BASE = f"/instructor/courses/{SLUG}"


def _other_course(app) -> None:
    """A second course, so an instructor can teach something other than SLUG."""
    with app.app_context():
        db.session.add(Course(slug=OTHER_SLUG, title="Another course", summary="-",
                              language="en", languages=["en"], level="introductory",
                              estimated_hours=1, authors=[], licence="CC-BY-4.0",
                              completion_lessons=[], content_hash="x"))
        db.session.commit()


def _assign(app, user: User, slug: str) -> None:
    with app.app_context():
        course = db.session.scalar(select(Course).filter_by(slug=slug))
        db.session.add(CourseInstructor(user_id=user.id, course_id=course.id))
        db.session.commit()


def _lessons():
    return {lesson.key: lesson for lesson in db.session.scalars(
        select(Lesson).join(Course).where(Course.slug == SLUG).order_by(Lesson.position))}


def _take_quiz(user_id: int, answers: dict, token: str) -> None:
    lesson = _lessons()[QUIZ_LESSON]
    content = db.session.scalar(select(LessonContent).filter_by(lesson_id=lesson.id,
                                                                language="en"))
    progress.submit_quiz(user_id, lesson, content.language, content.quiz(), answers, token)


@pytest.fixture
def story(app):
    """The course, its four learners, and the people who may or may not see them."""
    with app.app_context():
        importer.import_course(db.session, nutshell())
        db.session.commit()
    _other_course(app)
    people = {
        "ada": add_user(app, "ada@example.org", full_name="Ada Lovelace"),
        "ben": add_user(app, "ben@example.org", full_name="Ben Okafor"),
        "cleo": add_user(app, "cleo@example.org", full_name=HOSTILE_NAME),
        "dan": add_user(app, "dan@example.org", full_name="Dan Quispe"),
        "learner": add_user(app, "learner@example.org", full_name="Not Enrolled"),
        "teacher": add_user(app, "teacher@example.org", role=Role.INSTRUCTOR),
        "stranger": add_user(app, "stranger@example.org", role=Role.INSTRUCTOR),
        "admin": add_user(app, "admin@example.org", role=Role.ADMIN),
    }
    _assign(app, people["teacher"], SLUG)
    _assign(app, people["stranger"], OTHER_SLUG)
    quiz = nutshell().lessons[QUIZ_LESSON].versions["en"].quiz
    with app.app_context():
        lessons = list(_lessons().values())
        course = db.session.scalar(select(Course).filter_by(slug=SLUG))
        for lesson in lessons[:6]:
            progress.complete_lesson(people["ada"].id, lesson)
        _take_quiz(people["ada"].id, wrong_answers(quiz), "ada-1")
        _take_quiz(people["ada"].id, right_answers(quiz), "ada-2")
        for lesson in lessons[:3]:
            progress.complete_lesson(people["ben"].id, lesson)
        progress.record_visit(people["ben"].id, course.id, lessons[3].id)
        progress.enrol(people["cleo"].id, course.id)
        progress.record_visit(people["cleo"].id, course.id, lessons[0].id)
        progress.enrol(people["dan"].id, course.id)
        progress.record_visit(people["dan"].id, course.id, lessons[6].id)
        _take_quiz(people["dan"].id, wrong_answers(quiz), "dan-1")
        # Ada's completion issued her certificate.
        assert db.session.scalar(select(Certificate.user_id)) == people["ada"].id
        # Fixed enrolment days, so the charts can be checked against a calendar.
        for name, day in [("ada", datetime(2026, 3, 1, 9)), ("ben", datetime(2026, 3, 1, 17)),
                          ("cleo", datetime(2026, 3, 3, 12)), ("dan", datetime(2026, 4, 15))]:
            db.session.execute(update(Enrolment).where(Enrolment.user_id == people[name].id)
                               .values(enrolled_at=day))
        db.session.commit()
    return people


def login(client, user: User | None) -> None:
    if user is not None:
        client.submit("/login", {"email": user.email, "password": PASSWORD})


def course_row():
    return db.session.scalar(select(Course).filter_by(slug=SLUG))


TODAY = analytics.DateRange.last_days(30)
MARCH = analytics.DateRange(date(2026, 3, 1), date(2026, 3, 5))


# --- Aggregates -------------------------------------------------------------------------------


def test_the_overview_counts_enrolments_completions_activity_and_certificates(app, story):
    with app.app_context():
        today = analytics.overview(course_row(), TODAY)
        march = analytics.overview(course_row(), MARCH)
    assert (today.enrolled, today.completed, today.certificates) == (4, 1, 1)
    assert today.completion_rate == 25.0
    assert today.active_in_range == 4  # everyone did something today
    assert today.enrolled_in_range == 0  # but enrolled in March and April
    assert (march.enrolled_in_range, march.active_in_range) == (3, 0)


def test_enrolments_over_time_fill_every_day_or_month_of_the_range(app, story):
    with app.app_context():
        days = analytics.enrolments_over_time(course_row(), MARCH)
        months = analytics.enrolments_over_time(
            course_row(), analytics.DateRange(date(2026, 1, 1), date(2026, 6, 30)))
    assert days == [("2026-03-01", 2), ("2026-03-02", 0), ("2026-03-03", 1),
                    ("2026-03-04", 0), ("2026-03-05", 0)]
    assert months == [("2026-01", 0), ("2026-02", 0), ("2026-03", 3), ("2026-04", 1),
                      ("2026-05", 0), ("2026-06", 0)]


def test_the_funnel_shows_how_far_learners_got_and_what_they_completed(app, story):
    with app.app_context():
        steps = analytics.funnel(course_row())
    assert [s.key for s in steps] == list(nutshell().lessons)
    # Furthest points: Ada 7 (completed), Dan 7 (opened), Ben 4 (opened), Cleo 1 (opened).
    assert [s.reached for s in steps] == [4, 3, 3, 3, 2, 2, 2]
    assert [s.completed for s in steps] == [2, 2, 2, 1, 1, 1, 1]
    assert [s.dropped for s in steps] == [2, 1, 1, 2, 1, 1, 1]


def quiz_stats(app, rng=TODAY):
    with app.app_context():
        quizzes = analytics.quiz_analytics(course_row(), rng)
    return {q.lesson_key: q for q in quizzes}


def test_quiz_figures_attempts_learners_passes_and_scores(app, story):
    quiz = quiz_stats(app)[QUIZ_LESSON]
    assert (quiz.attempts, quiz.learners, quiz.passed) == (3, 2, 1)
    assert quiz.average == 33.3  # 0, 100 and 0
    assert quiz.scores == [2, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert quiz.pass_percent == 33.3
    practice = quiz_stats(app)["values-and-principles"]
    assert (practice.attempts, practice.graded) == (0, False)


def test_each_question_counts_first_tries_and_flags_the_wrong_option_that_misleads(
        app, story):
    source = nutshell().lessons[QUIZ_LESSON].versions["en"].quiz
    quiz = quiz_stats(app)[QUIZ_LESSON]
    assert [q.key for q in quiz.questions] == [q.id for q in source.questions]
    for stat, question in zip(quiz.questions, source.questions, strict=True):
        # Ada's second attempt is right; her first and Dan's only attempt are first tries.
        assert (stat.responses, stat.correct) == (3, 1), stat.key
        assert (stat.first_tries, stat.first_try_correct, stat.first_try_percent) == (2, 0, 0)
        if question.choices:
            tempting = next(c.id for c in question.choices if not c.correct)
            chosen = {c.id: c.chosen for c in stat.choices}
            assert chosen[tempting] == 2
            assert all(chosen[c.id] == 1 for c in question.choices if c.correct)
            assert sum(chosen.values()) == 2 + sum(c.correct for c in question.choices)
            assert stat.top_wrong.id == tempting and stat.misleading
            assert [c.id for c in stat.choices if c.flagged] == [tempting]
        else:
            assert stat.typed == [("999999 not it", 2, False),
                                  (question.accepted[0].lower(), 1, True)]


def test_the_date_range_limits_quiz_figures_to_attempts_made_in_it(app, story):
    quiz = quiz_stats(app, MARCH)[QUIZ_LESSON]
    assert (quiz.attempts, quiz.learners, quiz.average) == (0, 0, 0)
    assert all(q.responses == 0 and not q.misleading for q in quiz.questions)


def test_learners_are_searched_and_paged_with_their_progress(app, story, monkeypatch):
    with app.app_context():
        everyone = analytics.learners(course_row())
        found = analytics.learners(course_row(), "OKAF")
        monkeypatch.setattr(analytics, "PAGE_SIZE", 3)
        second = analytics.learners(course_row(), page=2)
        beyond = analytics.learners(course_row(), page=99)
        percent = analytics.learners(course_row(), "%")
    assert (everyone.total, everyone.lessons) == (4, 7)
    done = {row.email: row.done for row in everyone.rows}
    assert done == {"ada@example.org": 7, "ben@example.org": 3, "cleo@example.org": 0,
                    "dan@example.org": 0}
    assert [row.email for row in found.rows] == ["ben@example.org"]
    assert (second.page, second.pages, len(second.rows)) == (2, 2, 1)
    assert beyond.page == 2
    assert percent.total == 0  # a wildcard typed in the search box is only a character


def test_a_page_runs_the_same_number_of_queries_whatever_the_number_of_learners(
        app, story, client):
    login(client, story["teacher"])
    pages = [BASE, f"{BASE}/quizzes", f"{BASE}/learners"]

    def statements(url):
        count = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: count.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(count)

    before = [statements(url) for url in pages]
    extras = [add_user(app, f"extra{n}@example.org") for n in range(12)]
    with app.app_context():
        lesson = _lessons()["what-is-the-sse"]
        for extra in extras:
            progress.complete_lesson(extra.id, lesson)
        db.session.commit()
    assert [statements(url) for url in pages] == before
    assert max(before) <= 12


# --- Pages ------------------------------------------------------------------------------------


def test_the_dashboard_shows_figures_a_funnel_chart_and_its_table(client, story):
    login(client, story["teacher"])
    page = client.get(f"{BASE}?start=2026-03-01&end=2026-03-05").get_data(as_text=True)
    assert '<svg class="chart"' in page and 'role="img"' in page
    assert 'id="funnel-chart-title"' in page and "<desc" in page
    assert '<caption>Learners per lesson, in course order</caption>' in page
    # No inline style or script: the one <style> is the platform's colour, allowed by its hash.
    assert "style=" not in page and "<script" not in page
    assert page.count("<style") == 1 and "<style>:root{--accent:" in page
    assert '<th scope="row">2026-03-01</th><td class="num">2</td>' in page
    assert "<dd>25.0%</dd>" in page


def test_the_dashboard_says_how_up_to_date_each_translation_is(app, client, story, tmp_path):
    folder = shutil.copytree(f"courses/{SLUG}", tmp_path / SLUG)
    lessons = folder / "lessons"
    for translation in lessons.glob("*.??.md"):  # the bundled ones: this test brings its own
        translation.unlink()
    for name in ("01-what-is-the-sse", "02-values-and-principles"):
        shutil.copy(lessons / f"{name}.md", lessons / f"{name}.fr.md")
    mark_translations(folder, {(lessons / "01-what-is-the-sse.fr.md").resolve()})
    with app.app_context():
        importer.import_course(db.session, load_course(folder).course)
        db.session.commit()

    login(client, story["teacher"])
    page = client.get(BASE).get_data(as_text=True)

    assert ('<th scope="row" lang="fr">Français</th><td class="num" data-label="Up to date">1</td>'
            '<td class="num" data-label="Stale">1</td>'
            '<td class="num" data-label="Not translated">5</td>') in page


def test_a_course_without_translations_says_so(client, story):
    login(client, story["stranger"])
    assert "This course has no translation: every learner reads it in English." in client.get(
        f"/instructor/courses/{OTHER_SLUG}").get_data(as_text=True)


def test_the_quiz_page_names_the_misleading_option(client, story):
    login(client, story["teacher"])
    page = client.get(f"{BASE}/quizzes").get_data(as_text=True)
    assert "Most chosen wrong option" in page and "Misleading:" in page
    assert "999999 not it" in page
    assert "style=" not in page


@pytest.mark.parametrize("query, message", [
    ("start=2026-02-30", "Not a valid date value."),
    ("start=2026-03-05&end=2026-03-01", "The end date must not be before the start date."),
])
def test_an_invalid_range_rerenders_the_page_with_the_error(client, story, query, message):
    login(client, story["teacher"])
    for url in (BASE, f"{BASE}/quizzes"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert message in page and 'aria-invalid="true"' in page


def test_a_learners_page_links_to_their_detail(client, story):
    login(client, story["teacher"])
    page = client.get(f"{BASE}/learners?q=ada").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Ben Okafor" not in page
    detail = client.get(f"{BASE}/learners/{story['ada'].id}").get_data(as_text=True)
    assert "Issued on" in detail and "100%" in detail and "quiz passed" in detail
    assert client.get(f"{BASE}/learners/{story['learner'].id}").status_code == 404


def test_the_teaching_page_lists_only_the_courses_taught(client, story):
    login(client, story["stranger"])
    page = client.get("/instructor/courses").get_data(as_text=True)
    assert "Another course" in page and "SSE in a nutshell" not in page
    client.submit("/logout", {}, form_url="/")
    login(client, story["admin"])
    page = client.get("/instructor/courses").get_data(as_text=True)
    assert "Another course" in page and "SSE in a nutshell" in page


# --- Authorisation: every instructor URL, for every kind of visitor ---------------------------

COURSE_URLS = [
    BASE,
    f"{BASE}/quizzes",
    f"{BASE}/learners",
    f"{BASE}/learners/{{ada}}",
    f"{BASE}/export/progress.csv",
    f"{BASE}/export/attempts.csv",
    f"{BASE}/export/qti3.zip",
    f"{BASE}/export/scorm12.zip",
]
EXPECTED = {None: 302, "learner": 403, "stranger": 404, "teacher": 200, "admin": 200}


@pytest.mark.parametrize("url", COURSE_URLS)
@pytest.mark.parametrize("who", list(EXPECTED))
def test_only_the_courses_instructors_and_admins_see_its_analytics(client, story, url, who):
    login(client, story.get(who))
    response = client.get(url.format(ada=story["ada"].id))
    assert response.status_code == EXPECTED[who]
    if who is None:
        assert response.location.startswith("/login")


def test_the_matrix_above_covers_every_course_url_of_the_instructor_area(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("instructor.") and "<slug>" in rule.rule}
    listed = {url.replace(BASE, "/instructor/courses/<slug>").replace("{ada}", "<int:user_id>")
              .replace("qti3.zip", "<any(scorm12, qti3):package_format>.zip")
              for url in COURSE_URLS if not url.endswith("scorm12.zip")}
    assert rules == listed


@pytest.mark.parametrize("who, status", [(None, 302), ("learner", 403), ("teacher", 200)])
def test_the_teaching_page_is_for_instructors(client, story, who, status):
    login(client, story.get(who))
    assert client.get("/instructor/courses").status_code == status


def test_a_course_that_does_not_exist_looks_like_one_not_taught(client, story):
    login(client, story["stranger"])
    assert client.get("/instructor/courses/no-such-course").status_code == 404
    assert client.get(BASE).status_code == 404


def test_unassigning_an_instructor_takes_the_course_away(app, client, story):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "unassign-course", "teacher@example.org", SLUG])
    assert result.exit_code == 0, result.output
    login(client, story["teacher"])
    assert client.get(BASE).status_code == 404
    result = runner.invoke(args=["users", "assign-course", "teacher@example.org", SLUG])
    assert "now teaches" in result.output
    assert client.get(BASE).status_code == 200


def test_only_instructors_can_be_assigned(app, story):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "assign-course", "ben@example.org", SLUG])
    assert result.exit_code != 0 and "make them an instructor" in result.output
    result = runner.invoke(args=["users", "assign-course", "teacher@example.org", "nope"])
    assert result.exit_code != 0 and "No course nope" in result.output


# --- Exports ----------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    """Open the export as a spreadsheet would: bytes, a BOM, then comma-separated UTF-8."""
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_progress_export_streams_typed_cells_and_defuses_formulas(client, story):
    login(client, story["teacher"])
    response = client.get(f"{BASE}/export/progress.csv")
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {row["email"]: row for row in read_csv(response)}
    assert list(next(iter(rows.values()))) == list(export.PROGRESS_HEADER)
    ada, cleo = rows["ada@example.org"], rows["cleo@example.org"]
    assert (int(ada["lessons_done"]), int(ada["lessons_total"])) == (7, 7)
    assert float(ada["percent_done"]) == 100.0
    assert float(rows["ben@example.org"]["percent_done"]) == 42.9
    assert datetime.fromisoformat(ada["enrolled_at"]) == datetime(2026, 3, 1, 9)
    assert datetime.fromisoformat(ada["completed_at"]) and ada["certificate_issued_at"]
    assert cleo["completed_at"] == "" and cleo["certificate_issued_at"] == ""
    assert cleo["name"] == "'" + HOSTILE_NAME


def test_the_attempts_export_numbers_attempts_and_follows_the_range(client, story):
    login(client, story["teacher"])
    rows = read_csv(client.get(f"{BASE}/export/attempts.csv"))
    assert list(rows[0]) == list(export.ATTEMPTS_HEADER)
    ada = [r for r in rows if r["email"] == "ada@example.org"]
    assert [(int(r["attempt_number"]), int(r["score_percent"]), r["passed"]) for r in ada] == [
        (1, 0, "FALSE"), (2, 100, "TRUE")]
    assert all(datetime.fromisoformat(r["submitted_at"]) for r in rows)
    assert len(rows) == 3
    assert read_csv(client.get(f"{BASE}/export/attempts.csv?start=2026-03-01")) != []
    assert read_csv(client.get(f"{BASE}/export/attempts.csv?end=2026-03-05")) == []
    assert client.get(f"{BASE}/export/attempts.csv?start=nonsense").status_code == 400


@pytest.mark.parametrize("value, cell", [
    ("=1+2", "'=1+2"), ("+44 20", "'+44 20"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), (-2, -2), (12.5, 12.5),
    (True, "TRUE"), (None, ""), (datetime(2026, 3, 1, 9, 5, 7, 123), "2026-03-01 09:05:07"),
    (date(2026, 3, 1), "2026-03-01"),
])
def test_a_cell_reads_as_a_value_never_as_a_formula(value, cell):
    assert export.cell(value) == cell


def test_exports_are_produced_in_batches(monkeypatch):
    monkeypatch.setattr(export, "BATCH", 2)
    chunks = list(export.lines(["a"], ([n] for n in range(5))))
    assert chunks == ["\ufeffa\r\n", "0\r\n1\r\n", "2\r\n3\r\n", "4\r\n"]


# --- Charts -----------------------------------------------------------------------------------


def test_charts_are_labelled_images_without_styles_that_escape_their_text():
    svg = charts.bar_chart("c1", "Scores <b>", "Described & more", [
        charts.Bar("<script>alert(1)</script>", 3, "is-flagged"), charts.Bar("Two", 0)])
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
    assert 'aria-labelledby="c1-title" aria-describedby="c1-desc"' in svg
    assert '<title id="c1-title">Scores &lt;b&gt;</title>' in svg
    assert '<desc id="c1-desc">Described &amp; more</desc>' in svg
    assert "<script>" not in svg and "style" not in svg
    assert 'class="chart-row is-flagged"' in svg
    widths = [float(w) for w in __import__("re").findall(r'class="chart-bar"[^>]*width="([\d.]+)"',
                                                         svg)]
    assert widths == [charts.WIDTH - charts.VALUE_ROOM, 0]


def test_chart_labels_fit_at_the_largest_font_size():
    long = "A choice much longer than any chart could show on one line of text"
    svg = charts.bar_chart("c", "T", "D", [charts.Bar(long, 1), charts.Bar("合作社" * 20, 2)])
    labels = re.findall(r'<text class="chart-label"[^>]*>([^<]*)</text>', svg)
    assert labels[0].endswith("…") and long.startswith(labels[0][:-1])
    assert labels[1].endswith("…") and len(labels[1]) < 25  # wide characters take more room
    assert all(charts._text_width(label) <= charts.WIDTH for label in labels)
    funnel = charts.funnel_chart("f", "T", "D", [("One", 4, 2)], (long, long))
    legend = re.findall(r'<text class="chart-label" x="(\d+)" y="20">([^<]*)<', funnel)
    assert len(legend) == 2
    assert all(int(x) + charts._text_width(label) <= charts.WIDTH for x, label in legend)


def test_a_column_chart_keeps_its_first_and_last_dates_inside_the_picture():
    days = [(f"2026-03-{d:02}", d % 3) for d in range(1, 32)]
    svg = charts.column_chart("e", "T", "D", days)
    ticks = re.findall(r'class="chart-label chart-tick" x="([\d.]+)" y="\d+" '
                       r'text-anchor="(\w+)">([^<]*)<', svg)
    assert [(anchor, label) for _, anchor, label in ticks] == [
        ("start", "2026-03-01"), ("middle", "2026-03-16"), ("end", "2026-03-31")]
    first, middle, last = (float(x) for x, _, _ in ticks)
    assert last == charts.WIDTH
    # Three dates side by side, even at the largest font size.
    room = charts._text_width("2026-03-01")
    assert first + room < middle - room / 2 and middle + room / 2 < last - room


def test_a_funnel_chart_draws_reached_and_completed_for_each_step():
    svg = charts.funnel_chart("f", "T", "D", [("One", 4, 2), ("Two", 2, 0)], ("R", "C"))
    assert svg.count('class="chart-reached"') == 3  # a legend swatch and two bars
    assert "2 / 4" in svg and "0 / 2" in svg


def test_a_column_chart_of_no_data_still_draws():
    svg = charts.column_chart("e", "Empty", "Nothing", [("2026-03-01", 0)])
    assert "<rect" in svg and "2026-03-01" in svg


# --- Seeding ----------------------------------------------------------------------------------


def test_seed_load_fills_a_course_deterministically_and_only_once(app, story):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["dev", "seed-load", "--course", SLUG, "--learners", "60"])
    assert result.exit_code == 0, result.output
    assert "users: 60 rows" in result.output
    with app.app_context():
        course = course_row()
        summary = analytics.overview(course, TODAY)
        steps = analytics.funnel(course)
        seeded = db.session.scalars(select(User.full_name).where(
            User.email.like(f"seed-{SLUG}-%")).order_by(User.id)).all()
    assert summary.enrolled == 64
    assert all(a.reached >= b.reached for a, b in zip(steps, steps[1:], strict=False))
    assert all(s.completed <= s.reached for s in steps)
    again = runner.invoke(args=["dev", "seed-load", "--course", SLUG, "--learners", "5"])
    assert again.exit_code != 0 and "already seeded" in again.output
    # The same seed gives the same learners (removed first: SQLite does not cascade).
    with app.app_context():
        seeded_ids = select(User.id).where(User.email.like("seed-%"))
        attempts = select(QuizAttempt.id).where(QuizAttempt.user_id.in_(seeded_ids))
        db.session.execute(delete(AttemptResponse).where(AttemptResponse.attempt_id.in_(attempts)))
        for model in (QuizAttempt, LessonProgress, Enrolment, Certificate):
            db.session.execute(delete(model).where(model.user_id.in_(seeded_ids)))
        db.session.execute(delete(User).where(User.id.in_(seeded_ids)))
        db.session.commit()
    result = runner.invoke(args=["dev", "seed-load", "--course", SLUG, "--learners", "60"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(select(User.full_name).where(
            User.email.like(f"seed-{SLUG}-%")).order_by(User.id)).all() == seeded


def test_the_daily_answer_counts_agree_with_the_responses_they_summarise(app, story):
    """What submit_quiz adds up as attempts arrive is what migration 0006 counts from the
    stored responses: the two ways of counting give the same rows."""
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    spec = importlib.util.spec_from_file_location(
        "migration_0006", "migrations/versions/0006_question_answer_days.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    def counted():
        return sorted(tuple(row) for row in db.session.execute(select(
            QuestionAnswerDay.question_id, QuestionAnswerDay.day, QuestionAnswerDay.response,
            QuestionAnswerDay.correct, QuestionAnswerDay.first_try, QuestionAnswerDay.count)))

    with app.app_context():
        as_submitted = counted()
        assert sum(row[-1] for row in as_submitted) == db.session.query(AttemptResponse).count()
        db.session.execute(delete(QuestionAnswerDay))
        db.session.commit()
        with db.engine.begin() as connection, Operations.context(
                MigrationContext.configure(connection)):
            migration._count_existing_responses()
        assert counted() == as_submitted


def test_the_date_fields_show_the_period_shown_even_by_default(client, story):
    login(client, story["teacher"])
    page = client.get(BASE).get_data(as_text=True)
    shown = re.search(r"Showing (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)", page)
    assert shown
    assert f'name="start" type="date" value="{shown[1]}"' in page
    assert f'name="end" type="date" value="{shown[2]}"' in page


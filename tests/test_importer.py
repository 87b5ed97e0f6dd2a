"""The importer: validated course folders -> database rows, keyed on the authors' stable ids.

What these tests pin down (docs/authoring.md, learning/importer.py):
- importing is idempotent: an unchanged course is left alone, row for row;
- an edit updates rows in place, so the Lesson and QuizQuestion rows learners' progress hangs on
  keep their primary keys, and every change is versioned and reported;
- what disappears from the files is marked ``removed_at``, never deleted, and comes back intact;
- images live in the database; the answer key lives only in ``quiz_spec``, never in the page.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from learning import importer, models
from learning.content import QUIZ_SLOT, Quiz, load_course, load_courses
from learning.content.translations import mark_translations
from learning.extensions import db

from .content.content_helpers import SVG, course_yml, lesson

COURSES = Path(__file__).resolve().parents[1] / "courses"
BUNDLED_SLUGS = {
    "finance-for-the-sse",
    "measuring-the-sse",
    "sse-and-decent-work",
    "sse-and-public-policies",
    "sse-and-the-sdgs",
    "sse-in-a-nutshell",
    "youth-and-sse-entrepreneurship",
    "sse-and-a-just-transition",
    "sse-care-and-gender-equality",
}

# Smallest files each format accepts as such (the importer only stores and hashes them).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16 + b"\xff\xd9"
WEBP = b"RIFF\x0c\x00\x00\x00WEBPVP8 " + b"\x00" * 8

QUIZ = """\
Answer the questions below.

::: quiz
Pass mark: 80%
Attempts: 2

### Which body defined the SSE in 2022? {#q-body}
- [x] The International Labour Conference
  > FEEDBACK-RIGHT: the 110th Session adopted it.
- [ ] The OECD Council
  > FEEDBACK-WRONG: the OECD adopted a Recommendation.

Explanation: EXPLANATION-BODY, from the June 2022 resolution.

### Which of these can be SSE entities? {#q-kinds}
Type: multiple
- [x] Cooperatives
- [x] Mutual societies
- [ ] Any company that donates to charity
  > FEEDBACK-CHARITY: giving does not make a company part of the SSE.

### Only cooperatives belong to the SSE. {#q-only-coops}
- [ ] True
- [x] False

### What do we call an enterprise its members own? {#q-word}
Answer: zanzibarcoop | zanzibar-coop

Explanation: EXPLANATION-WORD

### In which year was the first cooperative law of the imaginary island passed? {#q-year}
Answer: 1987
Tolerance: 1
:::
"""
ANSWER_KEY = ["FEEDBACK", "EXPLANATION", "zanzibar", "1987", "Tolerance", "Pass mark"]


def demo_files(outline: list[str] | None = None) -> dict[str, str | bytes]:
    """A three-lesson course: an image in the first lesson, a five-question quiz in the second."""
    return {
        "course.yml": course_yml(outline or ["intro", "quiz", "wrap-up"]),
        "lessons/intro.md": lesson(
            "intro",
            "An introdution to the SSE.\n\n![A chart of SSE entities](../images/chart.png)\n",
        ),
        "lessons/quiz.md": lesson("quiz", QUIZ, title="Check your understanding"),
        "lessons/wrap-up.md": lesson("wrap-up", "::: key-ideas\n- That is all.\n:::\n"),
        "images/chart.png": PNG,
    }


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return write(tmp_path / "courses" / "demo", demo_files())


def import_folder(folder: Path) -> importer.CourseReport:
    """What ``flask courses import FOLDER`` does for one course: load, import, commit."""
    result = load_course(folder)
    assert [str(p) for p in result.problems] == []
    report = importer.import_course(db.session, result.course)
    db.session.commit()
    return report


def import_root(root: Path) -> dict[str, importer.CourseReport]:
    """What ``flask courses import ROOT`` does: glossary, every course, programmes, one commit."""
    result = load_courses(root)
    assert [str(p) for p in result.problems] == []
    if result.glossary is not None:
        importer.import_glossary(db.session, result.glossary)
    reports = {slug: importer.import_course(db.session, c) for slug, c in result.courses.items()}
    for programme in result.programmes.values():
        importer.import_programme(db.session, programme)
    db.session.commit()
    return reports


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table the migrations created, in primary-key order."""
    existing = set(inspect(db.session.connection()).get_table_names())
    rows = {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
        if table.name in existing
    }
    db.session.commit()
    return rows


def ids_by_key(model) -> dict[str, int]:
    return {row.key: row.id for row in db.session.scalars(select(model))}


def lesson_row(key: str) -> models.Lesson:
    return db.session.scalars(select(models.Lesson).filter_by(key=key)).one()


def question_row(key: str) -> models.QuizQuestion:
    return db.session.scalars(select(models.QuizQuestion).filter_by(key=key)).one()


def content_of(key: str, language: str = "en") -> models.LessonContent:
    return db.session.scalars(
        select(models.LessonContent)
        .join(models.Lesson)
        .where(models.Lesson.key == key, models.LessonContent.language == language)
    ).one()


def course_row(slug: str = "demo") -> models.Course:
    return db.session.scalars(select(models.Course).filter_by(slug=slug)).one()


def count(model) -> int:
    return len(db.session.scalars(select(model)).all())


# --- The bundled courses ----------------------------------------------------------------------


def test_importing_the_bundled_courses_creates_every_course_lesson_quiz_term_and_programme(
    session,
) -> None:
    loaded = load_courses(COURSES)
    reports = import_root(COURSES)

    assert set(reports) == BUNDLED_SLUGS
    assert {r.status for r in reports.values()} == {"new"}
    lessons = [lesson for course in loaded.courses.values() for lesson in course.lessons.values()]
    versions = [version for lesson in lessons for version in lesson.versions.values()]
    quizzes = [next(iter(lesson.versions.values())).quiz for lesson in lessons]
    quizzes = [quiz for quiz in quizzes if quiz is not None]
    assert {c.slug: c.version for c in session.scalars(select(models.Course))} == dict.fromkeys(
        BUNDLED_SLUGS, 1
    )
    assert count(models.Lesson) == len(lessons) > len(BUNDLED_SLUGS) * 5
    assert count(models.LessonContent) == len(versions)
    assert count(models.Quiz) == len(quizzes) >= len(BUNDLED_SLUGS)
    assert count(models.QuizQuestion) == sum(len(q.questions) for q in quizzes)
    assert count(models.CourseVersion) == len(BUNDLED_SLUGS)
    assert sorted(t.key for t in session.scalars(select(models.GlossaryTerm))) == sorted(
        loaded.glossary.terms
    )
    programme = session.scalars(select(models.Programme)).one()
    assert programme.slug == "sse-awareness-package"
    assert programme.required == ["sse-in-a-nutshell"]
    assert set(programme.electives) == BUNDLED_SLUGS - {"sse-in-a-nutshell"}


def test_importing_the_bundled_courses_again_reports_unchanged_and_changes_no_row(session) -> None:
    import_root(COURSES)
    before = database_rows()

    reports = import_root(COURSES)

    assert [str(r) for r in reports.values()] == [f"{slug}: unchanged" for slug in reports]
    assert database_rows() == before


def test_every_bundled_quiz_is_rebuilt_from_its_stored_spec(session) -> None:
    loaded = load_courses(COURSES)
    import_root(COURSES)
    session.expire_all()

    expected = {
        (slug, lesson.id, language): version.quiz
        for slug, course in loaded.courses.items()
        for lesson in course.lessons.values()
        for language, version in lesson.versions.items()
        if version.quiz is not None
    }
    stored = {
        (content.lesson.course.slug, content.lesson.key, content.language): Quiz.from_spec(
            content.quiz_spec
        )
        for content in session.scalars(select(models.LessonContent))
        if content.quiz_spec is not None
    }
    assert stored == expected


# --- Edits keep the rows progress is attached to ---------------------------------------------


def fix_a_typo(folder: Path) -> None:
    edit(folder / "lessons/intro.md", "An introdution", "An introduction")


def reword_a_question(folder: Path) -> None:
    edit(
        folder / "lessons/quiz.md", "Which body defined the SSE", "Which body first defined the SSE"
    )


def reorder_the_lessons(folder: Path) -> None:
    (folder / "course.yml").write_text(course_yml(["wrap-up", "intro", "quiz"]), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "reported"),
    [
        pytest.param(fix_a_typo, "lesson 'intro' (en) edited", id="typo-fix"),
        pytest.param(reword_a_question, "lesson 'quiz' (en) edited", id="reworded-question"),
        pytest.param(
            reorder_the_lessons,
            "lesson 'wrap-up' moved from position 3 to 1; progress kept",
            id="reordered-lessons",
        ),
    ],
)
def test_an_edit_keeps_lesson_and_question_ids_and_records_a_new_version(
    session, demo: Path, change, reported: str
) -> None:
    import_folder(demo)
    lessons, questions = ids_by_key(models.Lesson), ids_by_key(models.QuizQuestion)

    change(demo)
    report = import_folder(demo)

    assert ids_by_key(models.Lesson) == lessons
    assert ids_by_key(models.QuizQuestion) == questions
    assert (report.status, report.version, course_row().version) == ("updated", 2, 2)
    assert reported in report.changes
    assert str(report).startswith("demo: updated (version 2)\n")
    assert f"  - {reported}" in str(report)
    history = session.scalars(select(models.CourseVersion).order_by(models.CourseVersion.version))
    assert [(v.version, v.changes) for v in history] == [
        (1, ["3 lessons", "image 'images/chart.png' stored"]),
        (2, report.changes),
    ]


def test_a_typo_fix_rewrites_the_lesson_content_in_place(session, demo: Path) -> None:
    import_folder(demo)
    before = content_of("intro")
    content_id, old_hash, old_time = before.id, before.content_hash, before.updated_at
    untouched = content_of("wrap-up").updated_at

    fix_a_typo(demo)
    import_folder(demo)

    after = content_of("intro")
    assert after.id == content_id
    assert "An introduction to the SSE." in after.html
    assert "introdution" not in after.html
    assert after.content_hash != old_hash
    assert after.updated_at >= old_time
    assert content_of("wrap-up").updated_at == untouched


def test_a_reworded_question_keeps_its_key_and_is_reworded_in_the_quiz_spec(
    session, demo: Path
) -> None:
    import_folder(demo)

    reword_a_question(demo)
    import_folder(demo)

    quiz = Quiz.from_spec(content_of("quiz").quiz_spec)
    assert quiz.question("q-body").prompt_html == "Which body first defined the SSE in 2022?"
    assert [q.key for q in lesson_row("quiz").quiz.questions] == [q.id for q in quiz.questions]


def test_reordered_lessons_take_their_new_positions_and_every_move_is_reported(
    session, demo: Path
) -> None:
    import_folder(demo)

    reorder_the_lessons(demo)
    report = import_folder(demo)

    positions = {row.key: row.position for row in session.scalars(select(models.Lesson))}
    assert positions == {"wrap-up": 1, "intro": 2, "quiz": 3}
    assert [row.key for row in course_row().lessons] == ["wrap-up", "intro", "quiz"]
    assert report.changes == [
        "lesson 'wrap-up' moved from position 3 to 1; progress kept",
        "lesson 'intro' moved from position 1 to 2; progress kept",
        "lesson 'quiz' moved from position 2 to 3; progress kept",
    ]


def test_the_version_increments_with_each_import_that_changes_something(
    session, demo: Path
) -> None:
    assert import_folder(demo).version == 1
    fix_a_typo(demo)
    assert import_folder(demo).version == 2
    assert import_folder(demo).status == "unchanged"
    reorder_the_lessons(demo)
    assert import_folder(demo).version == 3
    assert [v.version for v in session.scalars(select(models.CourseVersion))] == [1, 2, 3]


# --- Removed, never deleted -------------------------------------------------------------------


def test_a_removed_lesson_is_kept_marked_removed_and_reported_with_the_rename_hint(
    session, demo: Path
) -> None:
    import_folder(demo)
    lesson_id = lesson_row("wrap-up").id

    (demo / "course.yml").write_text(course_yml(["intro", "quiz"]), encoding="utf-8")
    (demo / "lessons/wrap-up.md").unlink()
    report = import_folder(demo)

    removed = session.get(models.Lesson, lesson_id)
    assert removed.removed_at is not None
    assert [c.language for c in removed.contents] == ["en"]
    assert [row.key for row in course_row().lessons if row.removed_at is None] == ["intro", "quiz"]
    assert report.changes == [
        "lesson 'wrap-up' removed: it leaves the outline and certificate rules; learners' "
        "progress and quiz history on it are kept. If it was renamed, put back 'id: wrap-up' "
        "in its front matter to carry the progress over."
    ]


def test_a_removed_lesson_put_back_is_restored_with_the_same_primary_key(
    session, demo: Path
) -> None:
    import_folder(demo)
    lesson_id = lesson_row("wrap-up").id
    (demo / "course.yml").write_text(course_yml(["intro", "quiz"]), encoding="utf-8")
    (demo / "lessons/wrap-up.md").unlink()
    import_folder(demo)

    write(demo, demo_files())
    report = import_folder(demo)

    restored = lesson_row("wrap-up")
    assert (restored.id, restored.removed_at, restored.position) == (lesson_id, None, 3)
    assert report.changes == ["lesson 'wrap-up' restored, with its learners' progress"]
    assert count(models.Lesson) == 3


YEAR_QUESTION = """
### In which year was the first cooperative law of the imaginary island passed? {#q-year}
Answer: 1987
Tolerance: 1
"""


def test_a_removed_question_is_kept_marked_removed_and_reported(session, demo: Path) -> None:
    import_folder(demo)
    question_id = question_row("q-year").id

    edit(demo / "lessons/quiz.md", YEAR_QUESTION, "")
    report = import_folder(demo)

    removed = session.get(models.QuizQuestion, question_id)
    assert removed.removed_at is not None
    assert report.changes == [
        "lesson 'quiz' (en) edited",
        "question 'q-year' removed from lesson 'quiz': it no longer counts in scores; past "
        "answers stay in the attempts' history",
    ]
    live = [q.key for q in lesson_row("quiz").quiz.questions if q.removed_at is None]
    assert live == ["q-body", "q-kinds", "q-only-coops", "q-word"]
    spec = Quiz.from_spec(content_of("quiz").quiz_spec)
    assert [q.id for q in spec.questions] == live


def test_a_removed_question_put_back_is_restored_with_the_same_primary_key(
    session, demo: Path
) -> None:
    import_folder(demo)
    question_id = question_row("q-year").id
    edit(demo / "lessons/quiz.md", YEAR_QUESTION, "")
    import_folder(demo)

    write(demo, demo_files())
    import_folder(demo)

    restored = question_row("q-year")
    assert (restored.id, restored.removed_at, restored.position) == (question_id, None, 5)
    assert count(models.QuizQuestion) == 5


# --- Images -----------------------------------------------------------------------------------


def test_a_translation_is_stored_stale_when_its_lesson_changes_and_fresh_once_marked(
    session, demo: Path
) -> None:
    write(demo, {"lessons/wrap-up.fr.md": lesson("wrap-up", "::: key-ideas\n- C'est tout.\n:::\n")})
    mark_translations(demo)
    import_folder(demo)
    assert content_of("wrap-up", "fr").stale is False

    edit(demo / "lessons" / "wrap-up.md", "That is all.", "That is all for now.")
    import_folder(demo)  # the French file itself did not change
    assert content_of("wrap-up", "fr").stale is True

    mark_translations(demo)
    import_folder(demo)
    assert content_of("wrap-up", "fr").stale is False


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("chart.png", PNG, "image/png"),
        ("chart.jpg", JPEG, "image/jpeg"),
        ("chart.svg", SVG.encode(), "image/svg+xml"),
        ("chart.webp", WEBP, "image/webp"),
    ],
)
def test_an_image_a_lesson_shows_is_stored_with_its_content_type_and_sha256(
    session, tmp_path: Path, name: str, data: bytes, content_type: str
) -> None:
    folder = write(
        tmp_path / "demo",
        {
            "course.yml": course_yml(["intro"]),
            "lessons/intro.md": lesson("intro", f"![A chart](../images/{name})\n"),
            f"images/{name}": data,
        },
    )

    import_folder(folder)

    media = session.scalars(select(models.CourseMedia)).one()
    assert (media.course_id, media.path) == (course_row().id, f"images/{name}")
    assert (media.content_type, media.data) == (content_type, data)
    assert media.sha256 == hashlib.sha256(data).hexdigest()
    assert f'src="/media/demo/images/{name}"' in content_of("intro").html


def test_a_changed_image_updates_its_stored_copy(session, demo: Path) -> None:
    import_folder(demo)
    media_id = session.scalars(select(models.CourseMedia)).one().id

    (demo / "images/chart.png").write_bytes(PNG + b"redrawn")
    report = import_folder(demo)

    media = session.scalars(select(models.CourseMedia)).one()
    assert media.id == media_id
    assert media.data == PNG + b"redrawn"
    assert media.sha256 == hashlib.sha256(PNG + b"redrawn").hexdigest()
    assert (report.status, report.changes) == ("updated", ["image 'images/chart.png' stored"])


def test_a_stored_image_is_revalidated_by_its_sha256(app, session, demo: Path) -> None:
    import_folder(demo)
    client = app.test_client()
    first = client.get("/media/demo/images/chart.png")
    assert (first.status_code, first.data, first.content_type) == (200, PNG, "image/png")

    etag = first.headers["ETag"]
    assert etag == f'"{hashlib.sha256(PNG).hexdigest()}"'
    for sent in (etag, f'W/"other", {etag}', "*"):
        again = client.get("/media/demo/images/chart.png", headers={"If-None-Match": sent})
        assert (again.status_code, again.data) == (304, b""), sent
    stale = client.get("/media/demo/images/chart.png", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200


# --- The answer key stays out of the page -----------------------------------------------------


def test_the_lesson_html_holds_the_quiz_slot_and_never_the_answer_key(session, demo: Path) -> None:
    import_folder(demo)

    html = content_of("quiz").html
    assert html.count(QUIZ_SLOT) == 1
    assert "Answer the questions below." in html
    leaked = [secret for secret in ANSWER_KEY if secret.lower() in html.lower()]
    assert leaked == []


def test_the_quiz_spec_holds_the_answer_key_and_rebuilds_an_equal_quiz(session, demo: Path) -> None:
    loaded = load_course(demo).course.lessons["quiz"].versions["en"].quiz
    import_folder(demo)
    session.expire_all()

    spec = content_of("quiz").quiz_spec
    assert spec == json.loads(json.dumps(loaded.to_spec()))
    assert Quiz.from_spec(spec) == loaded
    stored = json.dumps(spec)
    assert all(secret in stored for secret in ["FEEDBACK-RIGHT", "EXPLANATION-WORD", "zanzibar"])
    quiz = Quiz.from_spec(spec)
    assert (quiz.pass_mark, quiz.max_attempts, quiz.graded) == (80, 2, True)
    assert [q.kind for q in quiz.questions] == [
        "single",
        "multiple",
        "true_false",
        "short_text",
        "numeric",
    ]
    assert quiz.question("q-year").tolerance == 1.0
    assert [row.kind for row in lesson_row("quiz").quiz.questions] == [
        q.kind for q in quiz.questions
    ]


# --- Every change an import makes is in its report ---------------------------------------------


def restore_a_question(folder: Path) -> None:
    edit(folder / "lessons/quiz.md", YEAR_QUESTION, "")
    import_folder(folder)
    write(folder, demo_files())


def add_a_translation(folder: Path) -> None:
    write(
        folder, {"lessons/wrap-up.fr.md": lesson("wrap-up", "::: key-ideas\n- C'est tout.\n:::\n")}
    )


def drop_the_image(folder: Path) -> None:
    write(folder, {"lessons/intro.md": lesson("intro", "An introdution to the SSE.\n")})


@pytest.mark.parametrize(
    ("change", "reported"),
    [
        pytest.param(restore_a_question, "question 'q-year' restored", id="question-restored"),
        pytest.param(add_a_translation, "lesson 'wrap-up': fr translation added", id="fr-added"),
        pytest.param(drop_the_image, "image 'images/chart.png' removed", id="image-dropped"),
    ],
)
def test_every_change_an_import_makes_is_reported(session, demo: Path, change, reported) -> None:
    import_folder(demo)

    change(demo)
    report = import_folder(demo)

    assert report.status == "updated"
    assert any(line.startswith(reported) for line in report.changes), report.changes


def test_a_cover_is_shown_on_the_catalogue_card_and_the_course_page(app, session, tmp_path):
    folder = write(tmp_path / "demo", {
        "course.yml": course_yml(["intro"], cover="images/cover.svg",
                                 cover_alt="Hands joined in a circle"),
        "lessons/intro.md": lesson("intro"),
        "images/cover.svg": SVG,
    })
    import_folder(folder)
    client = app.test_client()

    card = client.get("/courses").get_data(as_text=True)
    assert ('<img class="cover" src="/media/demo/images/cover.svg" alt="Hands joined in a circle"'
            in card)
    page = client.get("/courses/demo").get_data(as_text=True)
    assert 'src="/media/demo/images/cover.svg" alt="Hands joined in a circle"' in page
    assert client.get("/media/demo/images/cover.svg").status_code == 200


def test_the_course_page_speaks_the_learners_language_where_course_yml_is_translated(
    app, session, tmp_path
):
    french = ("{fr: {title: Cours de démo, summary: Un cours pour les tests., "
              "objectives: [Distinguer un test d'un cours, Lire un fichier de cours], "
              "audience: Les tests., cover_alt: Des mains jointes}}")
    folder = write(tmp_path / "demo", {
        "course.yml": course_yml(["intro"], cover="images/cover.svg", cover_alt="Joined hands",
                                 translations=french),
        "lessons/intro.md": lesson("intro"),
        "images/cover.svg": SVG,
    })
    import_folder(folder)
    client = app.test_client()

    page = client.get("/courses/demo?lang=fr").get_data(as_text=True)
    assert "<h1>Cours de démo</h1>" in page and "Un cours pour les tests." in page
    assert "<li>Distinguer un test d&#39;un cours</li>" in page and "<p>Les tests.</p>" in page
    assert 'alt="Des mains jointes"' in page


def test_the_catalogue_follows_the_learning_path_starting_with_the_nutshell(app, session):
    import_root(COURSES)
    session.commit()
    page = app.test_client().get("/courses").get_data(as_text=True)
    order = re.findall(r'<h2><a href="/courses/([a-z0-9-]+)"', page)
    programme = load_courses(COURSES).programmes["sse-awareness-package"]
    assert order == [*programme.required, *programme.electives]

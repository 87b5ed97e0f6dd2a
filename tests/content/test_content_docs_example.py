"""The example of docs/authoring.md is the contract: it must load, whole and without problems."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from learning.content import (
    QUIZ_SLOT,
    Course,
    MediaFile,
    load_course,
    load_courses,
    load_glossary,
)
from learning.content.hashing import content_hash
from learning.content.question_kinds import public_quiz


def load(folder: Path) -> Course:
    glossary, problems = load_glossary(folder.parent / "glossary.yml")
    assert problems == []
    result = load_course(folder, glossary=glossary)
    assert [str(p) for p in result.problems] == []
    assert result.course is not None
    return result.course


def test_the_docs_example_loads_without_problems(docs_example: Path) -> None:
    course = load(docs_example)

    assert course.slug == "sse-in-a-nutshell"
    assert course.title == "SSE in a nutshell"
    assert course.summary.startswith("What the social and solidarity economy is")
    assert (course.language, course.level, course.estimated_hours) == ("en", "introductory", 1)
    assert course.authors == ("Drafting team of the awareness-raising package",)
    assert (course.licence, course.certificate) == ("CC-BY-4.0", True)
    assert (course.cover, course.cover_alt) == (
        "images/cover.svg",
        "Hands of several people joined in a circle",
    )
    assert course.completion_quizzes == "graded"


def test_the_outline_follows_course_yml(docs_example: Path) -> None:
    course = load(docs_example)

    assert [(m.id, m.title, m.lesson_ids) for m in course.modules] == [
        ("basics", "The basics", ("what-is-the-sse", "who-is-in-the-sse")),
        ("wrap-up", "Wrapping up", ("check-your-understanding",)),
    ]
    assert [
        (lesson.id, lesson.module_id, lesson.position) for lesson in course.lessons.values()
    ] == [
        ("what-is-the-sse", "basics", 1),
        ("who-is-in-the-sse", "basics", 2),
        ("check-your-understanding", "wrap-up", 3),
    ]
    assert course.completion_lessons == (
        "what-is-the-sse",
        "who-is-in-the-sse",
        "check-your-understanding",
    )


def test_translations_of_course_yml_are_kept(docs_example: Path) -> None:
    course = load(docs_example)

    assert course.languages == ("en", "fr")
    french = course.translations["fr"]
    assert french.title == "L'ESS en bref"
    assert french.modules == {"basics": "Les bases", "wrap-up": "Pour conclure"}


def test_a_lesson_version_has_its_front_matter_and_safe_html(docs_example: Path) -> None:
    version = load(docs_example).lessons["what-is-the-sse"].versions["en"]

    assert version.title == "What is the social and solidarity economy?"
    assert version.minutes == 8
    assert version.language == "en"
    assert version.quiz is None
    assert version.source_file == "sse-in-a-nutshell/lessons/what-is-the-sse.md"
    source = (docs_example / "lessons" / "what-is-the-sse.md").read_text(encoding="utf-8")
    assert version.content_hash == content_hash(source)
    html = version.html
    assert '<aside class="callout callout-definition" role="note">' in html
    assert '<p class="callout-title">The ILO definition (2022)</p>' in html
    assert '<p class="callout-title">Key ideas</p>' in html
    assert 'href="/courses/sse-in-a-nutshell/lessons/who-is-in-the-sse"' in html
    assert 'href="/glossary#cooperative"' in html
    assert 'src="/media/sse-in-a-nutshell/images/entities.svg"' in html
    assert 'alt="A chart of the kinds of SSE entities"' in html
    assert "<h2>Sources</h2>" in html
    assert "<h1" not in html


def test_media_lists_every_image_the_course_uses(docs_example: Path) -> None:
    course = load(docs_example)

    assert set(course.media) == {"images/cover.svg", "images/entities.svg"}
    entities = (docs_example / "images" / "entities.svg").read_bytes()
    assert course.media["images/entities.svg"] == MediaFile(
        entities, hashlib.sha256(entities).hexdigest(), "image/svg+xml"
    )


def test_the_quiz_of_the_docs_example(docs_example: Path) -> None:
    version = load(docs_example).lessons["check-your-understanding"].versions["en"]
    quiz = version.quiz

    assert quiz is not None
    assert (quiz.pass_mark, quiz.max_attempts, quiz.graded) == (70, 3, True)
    assert [(q.id, q.kind) for q in quiz.questions] == [
        ("q-who-defined", "single"),
        ("q-kinds", "multiple"),
        ("q-only-coops", "true_false"),
        ("q-unga-year", "numeric"),
        ("q-coop-word", "short_text"),
    ]
    who = quiz.questions[0]
    assert [(c.id, c.correct) for c in who.choices] == [("a", True), ("b", False), ("c", False)]
    assert who.choices[1].feedback_html.startswith("Not yet: the General Assembly")
    assert who.explanation_html.startswith("The ILO resolution of June 2022")
    assert quiz.questions[3].accepted == ("2023",)
    assert quiz.questions[4].accepted == ("cooperative", "co-operative", "coop")
    assert version.html.count(QUIZ_SLOT) == 1


def test_the_lesson_html_holds_no_answer_key(docs_example: Path) -> None:
    version = load(docs_example).lessons["check-your-understanding"].versions["en"]
    assert version.quiz is not None
    secrets = [
        "Right: the Conference",
        "The ILO resolution of June 2022",
        "Giving to charity",
        "Resolution 77/281 was adopted",
        "2023",
        "co-operative",
        "International Labour Conference",  # a choice: the form shows it, the lesson HTML does not
        "Which body adopted",
    ]
    for secret in secrets:
        assert secret not in version.html
    assert re.sub(r"\s+", " ", version.html).strip() == (
        "<p>Answer the questions below. You need 70 % to pass, and you can try three times.</p> "
        + QUIZ_SLOT
    )


def test_the_public_quiz_holds_no_answer_key(docs_example: Path) -> None:
    quiz = load(docs_example).lessons["check-your-understanding"].versions["en"].quiz
    assert quiz is not None
    public = repr(public_quiz(quiz))

    for secret in [
        "correct",
        "feedback",
        "explanation",
        "accepted",
        "Right: the Conference",
        "2023",
        "co-operative",
        "Giving to charity",
    ]:
        assert secret not in public
    assert "The International Labour Conference" in public  # choices are shown, unmarked
    assert public_quiz(quiz)["questions"][0]["choices"][0] == {
        "id": "a",
        "text_html": "The International Labour Conference",
    }


def test_load_courses_reads_the_whole_courses_folder(docs_example: Path) -> None:
    result = load_courses(docs_example.parent)

    assert [str(p) for p in result.problems] == [
        "programmes/awareness.yml: programme lists unknown course 'sse-and-public-policies'",
        "programmes/awareness.yml: programme lists unknown course 'sse-and-the-sdgs'",
    ]
    assert list(result.courses) == ["sse-in-a-nutshell"]
    assert result.glossary is not None
    assert result.glossary.terms["cooperative"].term == "Cooperative"
    assert result.glossary.terms["cooperative"].translations["fr"].term == "Coopérative"
    assert result.translation_reports["sse-in-a-nutshell"] == {
        "fr": {
            "lessons": (0, 3),
            "missing": ["what-is-the-sse", "who-is-in-the-sse", "check-your-understanding"],
            "stale": [],
        }
    }

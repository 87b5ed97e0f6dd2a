"""Stable ids and content hashes: what lets the importer keep learners' history across edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.content import Course, content_hash, hashing, load_course

from .content_helpers import SVG, WriteCourse, course_yml, lesson

QUIZ = "::: quiz\n### Which? {#q-which}\n- [x] This one\n- [ ] That one\n- [ ] Another\n:::\n"


def load(folder: Path) -> Course:
    result = load_course(folder)
    assert result.problems == []
    assert result.course is not None
    return result.course


def base() -> dict[str, str]:
    return {
        "course.yml": course_yml({"one": ["a", "b"], "two": ["c"]}),
        "lessons/a.md": lesson("a", QUIZ),
        "lessons/b.md": lesson("b", "Text of b.\n\n![a chart](../images/chart.svg)\n"),
        "lessons/c.md": lesson("c"),
        "images/chart.svg": SVG,
    }


def test_reordering_lessons_keeps_their_ids_and_changes_positions(
    write_course: WriteCourse,
) -> None:
    before = load(write_course(base(), name="before"))
    reordered = {**base(), "course.yml": course_yml({"two": ["c", "a"], "one": ["b"]})}
    after = load(write_course(reordered, name="after"))

    assert set(after.lessons) == set(before.lessons)
    assert [
        (lesson.id, lesson.module_id, lesson.position) for lesson in after.lessons.values()
    ] == [
        ("c", "two", 1),
        ("a", "two", 2),
        ("b", "one", 3),
    ]
    assert (
        after.lessons["a"].versions["en"].content_hash
        == before.lessons["a"].versions["en"].content_hash
    )


def test_renaming_a_lesson_file_keeps_its_id(write_course: WriteCourse) -> None:
    files = base()
    files["lessons/01-renamed.md"] = files.pop("lessons/a.md")
    assert "a" in load(write_course(files)).lessons


def test_rewording_a_question_keeps_question_and_choice_ids(write_course: WriteCourse) -> None:
    before = load(write_course(base(), name="before")).lessons["a"].versions["en"].quiz
    reworded = QUIZ.replace("Which?", "Which one, really?").replace("This one", "This very one")
    after = load(write_course({**base(), "lessons/a.md": lesson("a", reworded)}, name="after"))
    quiz = after.lessons["a"].versions["en"].quiz

    assert before is not None and quiz is not None
    assert [q.id for q in quiz.questions] == [q.id for q in before.questions] == ["q-which"]
    assert [(c.id, c.correct) for c in quiz.questions[0].choices] == [
        ("a", True),
        ("b", False),
        ("c", False),
    ]
    assert quiz.questions[0].prompt_html == "Which one, really?"


def test_loading_twice_gives_the_same_hashes(write_course: WriteCourse) -> None:
    folder = write_course(base())
    first, second = load(folder), load(folder)

    assert first.content_hash == second.content_hash
    assert first == second


def test_a_lesson_hash_is_its_source_and_the_renderer_version(write_course: WriteCourse) -> None:
    folder = write_course(base())
    source = (folder / "lessons" / "a.md").read_text(encoding="utf-8")

    assert load(folder).lessons["a"].versions["en"].content_hash == content_hash(source)
    assert len(content_hash(source)) == 64


def test_editing_one_lesson_changes_only_its_hash_and_the_course_hash(
    write_course: WriteCourse,
) -> None:
    before = load(write_course(base(), name="before"))
    after = load(write_course({**base(), "lessons/c.md": lesson("c", "Edited.\n")}, name="after"))

    def hashes(course: Course) -> dict[str, str]:
        return {i: lesson.versions["en"].content_hash for i, lesson in course.lessons.items()}

    changed = {i for i in hashes(before) if hashes(before)[i] != hashes(after)[i]}
    assert changed == {"c"}
    assert before.content_hash != after.content_hash


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param({"images/chart.svg": SVG.replace("10", "20")}, id="image-bytes"),
        pytest.param(
            {"course.yml": course_yml({"one": ["a", "b"], "two": ["c"]}).replace("Ada", "Grace")},
            id="course-yml",
        ),
    ],
)
def test_the_course_hash_follows_course_yml_and_media(
    write_course: WriteCourse, edit: dict[str, str]
) -> None:
    before = load(write_course(base(), name="before"))
    after = load(write_course({**base(), **edit}, name="after"))
    assert before.content_hash != after.content_hash
    assert [lesson.versions["en"].content_hash for lesson in before.lessons.values()] == [
        lesson.versions["en"].content_hash for lesson in after.lessons.values()
    ]


def test_a_new_renderer_version_changes_every_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    before = content_hash("same text")
    monkeypatch.setattr(hashing, "RENDERER_VERSION", hashing.RENDERER_VERSION + "-next")
    assert hashing.content_hash("same text") != before

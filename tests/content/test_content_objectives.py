"""What a learner will be able to do, and real cases: the objectives every lesson and course
states, and the ``::: case-study`` block with its five facts."""

from __future__ import annotations

from learning.content import load_course

from .content_helpers import WriteCourse, course_yml, lesson
from .test_content_errors import problems

NO_OBJECTIVES = "---\nid: a\ntitle: A lesson\nminutes: 5\n---\nText.\n"
CASE = """\
::: case-study SEWA, India
Where: Gujarat, India
Who: the Self-Employed Women's Association
What they did: organised women in *informal* work
What changed: a union of their own
Source: [SEWA](https://www.sewa.org/)

More about it.
:::
"""


def test_objectives_are_read_with_the_lesson_and_the_course(write_course: WriteCourse) -> None:
    course = load_course(write_course({"course.yml": course_yml(["a"]),
                                       "lessons/a.md": lesson("a")})).course

    assert course.objectives == ("Tell a test from a course", "Read a course file")
    assert course.audience == "Tests."
    assert course.lessons["a"].versions["en"].objectives == ("Read a lesson", "Answer its quiz")


def test_a_lesson_without_objectives_is_refused_with_its_file_and_line(write_course) -> None:
    assert problems(write_course, {"course.yml": course_yml(["a"]),
                                   "lessons/a.md": NO_OBJECTIVES}) == [
        "demo/lessons/a.md:2: the front matter has no 'objectives' (hint: list what the learner "
        "will be able to do after the lesson, one '- ...' each)"]


def test_a_lesson_states_two_to_four_objectives(write_course: WriteCourse) -> None:
    five = NO_OBJECTIVES.replace("minutes: 5\n", "minutes: 5\nobjectives:\n" + "  - Do it\n" * 5)
    one = NO_OBJECTIVES.replace("minutes: 5\n", "minutes: 5\nobjectives: [Do it]\n")
    for text, count in ((five, 5), (one, 1)):
        assert problems(write_course, {"course.yml": course_yml(["a"]), "lessons/a.md": text}) == [
            f"demo/lessons/a.md:5: 'objectives' in the front matter has {count} items (hint: "
            "write 2 to 4; list what the learner will be able to do after the lesson, one "
            "'- ...' each)"]


def test_a_course_says_what_it_teaches_and_who_it_is_for(write_course: WriteCourse) -> None:
    bare = course_yml(["a"]).split("objectives:")[0]
    assert problems(write_course, {"course.yml": bare, "lessons/a.md": lesson("a")}) == [
        "demo/course.yml:1: course.yml has no 'audience' (hint: add 'audience: ...')",
        "demo/course.yml:1: course.yml has no 'objectives' (hint: list what the learner will be "
        "able to do after the course, one '- ...' each)"]


def test_a_case_study_shows_its_facts_in_the_lesson_language(write_course: WriteCourse) -> None:
    french = CASE.replace("Where:", "Où :").replace("Who:", "Qui :")
    course = load_course(write_course({
        "course.yml": course_yml(["a"]),
        "lessons/a.md": lesson("a", CASE),
        "lessons/a.fr.md": lesson("a", french),
    })).course
    english = course.lessons["a"].versions["en"].html
    assert '<aside class="callout callout-case-study" role="note">' in english
    assert '<p class="callout-title">Case study: SEWA, India</p>' in english
    assert '<dl class="case-facts">\n<dt>Where</dt>\n<dd>Gujarat, India</dd>' in english
    assert "<dd>organised women in <em>informal</em> work</dd>" in english
    assert '<a href="https://www.sewa.org/" rel="noopener noreferrer">SEWA</a>' in english
    assert "<p>More about it.</p>" in english
    translated = course.lessons["a"].versions["fr"].html
    assert "Étude de cas : SEWA, India" in translated
    assert "<dt>Où</dt>" in translated and "<dt>Ce qui a changé</dt>" in translated


def test_a_case_study_needs_every_fact_and_a_linked_source(write_course: WriteCourse) -> None:
    broken = CASE.replace("Who: the Self-Employed Women's Association\n", "").replace(
        "[SEWA](https://www.sewa.org/)", "SEWA's website")
    assert problems(write_course, {"course.yml": course_yml(["a"]),
                                   "lessons/a.md": lesson("a", broken)}) == [
        "demo/lessons/a.md:8: case study 'SEWA, India' has no 'Who:' line (hint: start the block "
        "with Where:, Who:, What they did:, What changed:, Source:, one per line)",
        "demo/lessons/a.md:8: the source of case study 'SEWA, India' has no link (hint: write "
        "Source: [Title of the source](https://...))"]

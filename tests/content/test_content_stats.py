"""Counting what a course teaches with: the figures ``flask courses stats`` prints and the
package's targets are checked against."""

from __future__ import annotations

from click.testing import CliRunner

from learning.cli import courses_cli
from learning.content import load_course
from learning.content.stats import course_stats

from .content_helpers import SVG, WriteCourse, course_yml, lesson

QUIZ = """\
![The SSE family](../images/family.svg)

::: case-study SEWA, India
Where: Gujarat, India
Who: the Self-Employed Women's Association
What they did: organised women in informal work
What changed: a union of their own
Source: [SEWA](https://www.sewa.org/)
:::

::: quiz
### Which form fits best? {#q-form}
Situation: Five graduates want to run a bakery together and share decisions equally.
- [x] A cooperative
- [ ] A company owned by its first investor

### In which year? {#q-year}
Answer: 2023

### Which year? {#q-year-choice}
- [ ] 2015
- [x] 2023

### What share of the hours of unpaid care work do women do? {#q-share}
- [x] About three quarters
- [ ] About half
:::
"""


def test_a_course_counts_its_objectives_cases_diagrams_and_kinds_of_question(
    write_course: WriteCourse,
) -> None:
    folder = write_course({
        "course.yml": course_yml(["a", "b"], cover="images/cover.svg", cover_alt="A cover"),
        "lessons/a.md": lesson("a", QUIZ),
        "lessons/b.md": lesson("b"),
        "images/family.svg": SVG,
        "images/cover.svg": SVG,
    })
    result = load_course(folder)
    assert result.problems == []

    stats = course_stats(result.course)
    assert (stats.lessons, stats.objectives, stats.case_studies, stats.diagrams, stats.cover) == (
        2, 4, 1, 1, True)
    assert (stats.graded_questions, stats.applied, stats.year_or_count) == (4, 1, 3)
    assert stats.applied_percent == 25


def test_the_situation_is_shown_before_the_question(write_course: WriteCourse) -> None:
    folder = write_course({"course.yml": course_yml(["a"]), "lessons/a.md": lesson("a", QUIZ),
                           "images/family.svg": SVG})
    question = load_course(folder).course.lessons["a"].versions["en"].quiz.question("q-form")
    assert question.situation_html == (
        "Five graduates want to run a bakery together and share decisions equally.")
    assert question.prompt_html == "Which form fits best?"


def test_flask_courses_stats_prints_a_row_per_course(write_course: WriteCourse) -> None:
    folder = write_course({"course.yml": course_yml(["a"]), "lessons/a.md": lesson("a", QUIZ),
                           "images/family.svg": SVG})
    output = CliRunner().invoke(courses_cli, ["stats", str(folder)]).output.splitlines()
    assert output[0].split() == ["course", "lessons", "minutes", "hours", "objectives", "cases",
                                 "diagrams", "cover", "graded", "applied", "year/count"]
    assert output[1].split() == ["demo", "1", "5", "1", "2", "1", "1", "no", "4", "1", "(25%)",
                                 "3"]

"""What a course teaches with, counted: objectives, case studies, diagrams and kinds of question.

The second edition of the package set targets on these (issue 15: applied questions, at most one
question asking for a year or a count, two diagrams and a cover per course...); ``flask courses
stats`` prints them for authors and reviewers, and the tests count the bundled courses with the
same functions, so the figures in a review and in the suite cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import CASE_STUDY_CLASS
from .question_kinds import Numeric, kind_of
from .schema import Course, Question

_TAGS = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"^[\d\s.,%]+$")
# Stems that ask to recall a figure, whatever the choices look like ("About three quarters").
_ASKS_FOR_A_FIGURE = re.compile(
    r"\b(in (which|what) year|when was|how many|how much|what share|what percentage|"
    r"what proportion)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CourseStats:
    slug: str
    lessons: int
    minutes: float  # what the lessons take, all together
    estimated_hours: float  # what the course announces
    objectives: int  # over all lessons
    case_studies: int
    diagrams: int  # SVG images shown in the lessons (the cover not counted)
    cover: bool
    graded_questions: int
    applied: int  # graded questions that start from a situation
    year_or_count: int  # graded questions whose answer is a number (a year, a count)

    @property
    def applied_percent(self) -> int:
        return 100 * self.applied // self.graded_questions if self.graded_questions else 0


def asks_for_a_number(question: Question) -> bool:
    """A number typed, a choice among numbers only ("2015", "2022", "2023"), or a stem that asks
    for a year, a count or a share."""
    if isinstance(kind_of(question), Numeric) or _ASKS_FOR_A_FIGURE.search(question.prompt_html):
        return True
    texts = [_TAGS.sub("", choice.text_html).strip() for choice in question.choices]
    return bool(texts) and all(_NUMBER.match(text) for text in texts)


def course_stats(course: Course) -> CourseStats:
    """The counts for a course in its main language."""
    versions = [lesson.versions[course.language] for lesson in course.lessons.values()]
    graded = [q for v in versions if v.quiz and v.quiz.graded for q in v.quiz.questions]
    diagrams = {path for path in course.media if path.endswith(".svg") and path != course.cover}
    return CourseStats(
        slug=course.slug,
        lessons=len(versions),
        minutes=sum(v.minutes for v in versions),
        estimated_hours=course.estimated_hours,
        objectives=sum(len(v.objectives) for v in versions),
        case_studies=sum(v.html.count(f'class="{CASE_STUDY_CLASS}"') for v in versions),
        diagrams=len(diagrams),
        cover=course.cover is not None,
        graded_questions=len(graded),
        applied=sum(bool(q.situation_html) for q in graded),
        year_or_count=sum(asks_for_a_number(q) for q in graded),
    )

"""Grade a quiz submission: pure functions over the parsed Quiz, no Flask, no database.

How each kind of question reads and checks an answer is its class's business (see
content/question_kinds.py); this module only adds the results up, so adding a kind never touches
``grade``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from learning.content.question_kinds import Given, kind_of
from learning.content.schema import Question, Quiz


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool
    given: Given  # as the question's kind reads it (see question_kinds.Given)
    feedback_html: tuple[str, ...]  # the feedback of the choices the learner picked
    explanation_html: str
    correct_answer_display: str  # HTML: the correct choices, or the first accepted answer
    credit: Fraction = Fraction(0)  # the share of the question's mark earned
    given_html: str = ""  # the learner's answer as the result page shows it


@dataclass(frozen=True)
class QuizResult:
    score_percent: int  # rounded down: 2 of 3 is 66
    passed: bool
    pass_mark: int
    questions: tuple[QuestionResult, ...]

    @property
    def correct_count(self) -> int:
        return sum(result.correct for result in self.questions)

    @property
    def partly_correct_count(self) -> int:
        return sum(0 < result.credit < 1 for result in self.questions)


def grade_question(question: Question, raw: Any) -> QuestionResult:
    kind = kind_of(question)
    if kind is None:  # a kind this grader does not know: never pass it by accident
        return QuestionResult(question.id, False, "", (), question.explanation_html, "")
    given = kind.given(question, raw)
    picked = kind.picked(given)
    feedback = tuple(
        c.feedback_html for c in question.choices if c.id in picked and c.feedback_html
    )
    credit = kind.credit(question, given)
    return QuestionResult(
        question_id=question.id,
        correct=credit == 1,
        given=given,
        feedback_html=feedback,
        explanation_html=question.explanation_html,
        correct_answer_display=kind.display(question),
        credit=credit,
        given_html=kind.shown(question, given),
    )


def grade(quiz: Quiz, answers: Mapping[str, list[str] | str]) -> QuizResult:
    """Score a submission: ``answers`` maps question id -> choice ids or the typed text."""
    if not isinstance(answers, Mapping):
        answers = {}
    results = tuple(grade_question(q, answers.get(q.id)) for q in quiz.questions)
    total = len(results)
    earned = sum((result.credit for result in results), Fraction(0))  # exact: no float drift
    score = int(earned * 100 // total) if total else 0
    passed = total > 0 and earned * 100 >= quiz.pass_mark * total
    return QuizResult(score, passed, quiz.pass_mark, results)

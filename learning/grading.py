"""Grade a quiz submission: pure functions over the parsed Quiz, no Flask, no database.

Each question kind is a small class in ``KINDS`` (the CTFd pattern): ``check`` is a pure function
of the question and the learner's answer, so adding a kind never touches ``grade``. Anything a
browser may send (unknown ids, missing answers, wrong types) counts as wrong and never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any, ClassVar

from learning.content.answers import normalize_text, number_candidates
from learning.content.schema import Question, Quiz

Given = tuple[str, ...] | str


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool
    given: Given  # choice ids (in the question's order) or the text typed
    feedback_html: tuple[str, ...]  # the feedback of the choices the learner picked
    explanation_html: str
    correct_answer_display: str  # HTML: the correct choices, or the first accepted answer


@dataclass(frozen=True)
class QuizResult:
    score_percent: int  # rounded down: 2 of 3 is 66
    passed: bool
    pass_mark: int
    questions: tuple[QuestionResult, ...]

    @property
    def correct_count(self) -> int:
        return sum(result.correct for result in self.questions)


class QuestionKind:
    """How one kind of question reads an answer, checks it and shows the right one."""

    kind: ClassVar[str]

    def given(self, question: Question, raw: Any) -> Given:
        return _as_text(raw)

    def check(self, question: Question, given: Given) -> bool:
        raise NotImplementedError

    def display(self, question: Question) -> str:
        return escape(question.accepted[0]) if question.accepted else ""


KINDS: dict[str, QuestionKind] = {}


def register(cls: type[QuestionKind]) -> type[QuestionKind]:
    KINDS[cls.kind] = cls()
    return cls


@register
class SingleChoice(QuestionKind):
    kind = "single"

    def given(self, question: Question, raw: Any) -> Given:
        items = (
            [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple | set) else []
        )
        picked = {item for item in items if isinstance(item, str)}
        return tuple(c.id for c in question.choices if c.id in picked)  # unknown ids dropped

    def check(self, question: Question, given: Given) -> bool:
        correct = tuple(c.id for c in question.choices if c.correct)
        return isinstance(given, tuple) and len(given) == 1 and given == correct

    def display(self, question: Question) -> str:
        return "; ".join(c.text_html for c in question.choices if c.correct)


@register
class TrueFalse(SingleChoice):
    kind = "true_false"


@register
class MultipleChoice(SingleChoice):
    kind = "multiple"

    def check(self, question: Question, given: Given) -> bool:
        """Exactly the correct set: a partly right answer is wrong."""
        correct = tuple(c.id for c in question.choices if c.correct)
        return isinstance(given, tuple) and given == correct


@register
class ShortText(QuestionKind):
    kind = "short_text"

    def check(self, question: Question, given: Given) -> bool:
        typed = normalize_text(given) if isinstance(given, str) else ""
        return bool(typed) and any(typed == normalize_text(answer) for answer in question.accepted)


@register
class Numeric(QuestionKind):
    kind = "numeric"

    def check(self, question: Question, given: Given) -> bool:
        typed = number_candidates(given) if isinstance(given, str) else set()
        expected = [value for answer in question.accepted for value in number_candidates(answer)]
        slack = question.tolerance + 1e-9
        return any(abs(value - target) <= slack for value in typed for target in expected)

    def display(self, question: Question) -> str:
        shown = escape(question.accepted[0]) if question.accepted else ""
        return f"{shown} ± {question.tolerance:g}" if shown and question.tolerance else shown


def _as_text(raw: Any) -> str:
    if isinstance(raw, list | tuple):
        raw = next((item for item in raw if isinstance(item, str)), "")
    return raw[:500] if isinstance(raw, str) else ""


def grade_question(question: Question, raw: Any) -> QuestionResult:
    kind = KINDS.get(question.kind)
    if kind is None:  # a kind this grader does not know: never pass it by accident
        return QuestionResult(question.id, False, _as_text(raw), (), question.explanation_html, "")
    given = kind.given(question, raw)
    picked = set(given) if isinstance(given, tuple) else set()
    feedback = tuple(
        c.feedback_html for c in question.choices if c.id in picked and c.feedback_html
    )
    return QuestionResult(
        question_id=question.id,
        correct=kind.check(question, given),
        given=given,
        feedback_html=feedback,
        explanation_html=question.explanation_html,
        correct_answer_display=kind.display(question),
    )


def grade(quiz: Quiz, answers: Mapping[str, list[str] | str]) -> QuizResult:
    """Score a submission: ``answers`` maps question id -> choice ids or the typed text."""
    if not isinstance(answers, Mapping):
        answers = {}
    results = tuple(grade_question(q, answers.get(q.id)) for q in quiz.questions)
    total = len(results)
    correct = sum(result.correct for result in results)
    score = correct * 100 // total if total else 0
    passed = total > 0 and correct * 100 >= quiz.pass_mark * total
    return QuizResult(score, passed, quiz.pass_mark, results)

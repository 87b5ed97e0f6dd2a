"""Every kind of quiz question, in one registry: how it is written, answered, graded and counted.

A kind is one small class (CTFd's challenge types are the model). It recognises its shape in a
``::: quiz`` block and builds the ``Question``, says what a page may show of it and which form
control answers it, reads that control from a submitted form, checks an answer (a pure function
that changes nothing), encodes the answer for storage, and tells analytics how to tally it.
Adding a kind is one class marked ``@register``; nothing else in the code names the kinds.

Anything a browser may send (unknown ids, missing answers, wrong types) counts as wrong and never
raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any, ClassVar, Literal

from .answers import author_number, looks_like_number, normalize_text, number_candidates
from .blocks import RawProblem
from .schema import Choice, Question, Quiz

Given = tuple[str, ...] | str  # the choice ids picked (in the question's order), or the text typed
# (Markdown text, its line, inline?) -> sanitised HTML; any problem in it is already recorded
Html = Callable[..., str]

# The lines under a question heading that any kind takes.
COMMON_FIELDS = ("type", "situation", "explanation")
_TRUE_FALSE = {("true", "false"), ("vrai", "faux"), ("verdadero", "falso")}


@dataclass
class ChoiceDraft:
    correct: bool
    text: str
    line: int | None
    feedback: list[str] = field(default_factory=list)


@dataclass
class QuestionDraft:
    """A question as the quiz block wrote it, before any kind has looked at it."""

    text: str
    id: str | None
    line: int | None
    prompt: list[str] = field(default_factory=list)
    choices: list[ChoiceDraft] = field(default_factory=list)
    fields: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # key -> value, line
    explanation: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionParts:
    """What every question has, already rendered: its kind adds the rest."""

    id: str
    prompt_html: str
    explanation_html: str
    line: int | None


class QuestionKind:
    name: ClassVar[str]  # stored as Question.kind
    type_names: ClassVar[tuple[str, ...]] = ()  # the 'Type:' values that ask for this kind
    inferred: ClassVar[bool] = True  # chosen by its shape when the question has no 'Type:'
    fields: ClassVar[tuple[str, ...]] = ()  # the lines it reads besides COMMON_FIELDS
    applies_to: ClassVar[str]  # how an error message names the questions it is for
    widget: ClassVar[Literal["radio", "checkbox", "text", "number"]]  # the form control
    # How analytics tallies answers: how often each choice was picked, or the typed answers.
    tally: ClassVar[Literal["choices", "typed"]]
    # Kinds a translation may use for the same question (a true/false is a single choice).
    family: ClassVar[str | None] = None

    # --- Written: recognise and build it from the quiz block --------------------------------

    def fits(self, draft: QuestionDraft) -> bool:
        raise NotImplementedError

    def build(
        self, draft: QuestionDraft, parts: QuestionParts, html: Html, found: list[RawProblem]
    ) -> Question | None:
        raise NotImplementedError

    def translation_problem(
        self, original: Question, translated: Question
    ) -> tuple[str, str | None] | None:
        """Why a translation of the question would not grade the same way (None: it would)."""
        return None

    # --- Shown: what a page may show before submission, never the answer key -----------------

    def public(self, question: Question) -> dict[str, Any]:
        return {
            "id": question.id,
            "kind": question.kind,
            "widget": self.widget,
            "prompt_html": question.prompt_html,
            "situation_html": question.situation_html,
            "choices": [{"id": c.id, "text_html": c.text_html} for c in question.choices],
        }

    # --- Answered: read the form, check (pure), store -----------------------------------------

    def read(self, form: Any, question: Question) -> Given:
        """The learner's answer from a submitted form (a Werkzeug MultiDict)."""
        return self.given(question, form.get(question.id, ""))

    def given(self, question: Question, raw: Any) -> Given:
        """Whatever was sent, as this kind's answer (bounded; unknown parts dropped)."""
        if isinstance(raw, list | tuple):
            raw = next((item for item in raw if isinstance(item, str)), "")
        return raw[:500] if isinstance(raw, str) else ""

    def answered(self, given: Given) -> bool:
        return bool(given.strip()) if isinstance(given, str) else bool(given)

    def check(self, question: Question, given: Given) -> bool:
        raise NotImplementedError

    def display(self, question: Question) -> str:
        """HTML for "the correct answer", shown after the attempts allow it."""
        return escape(question.accepted[0]) if question.accepted else ""

    def encode(self, given: Given) -> str:
        """The answer as one string, the form analytics groups responses by."""
        return given if isinstance(given, str) else ",".join(given)

    def record(self, given: Given) -> str | list[str]:
        """The answer as JSON in the attempt, read back by ``given`` when it is shown again."""
        return given if isinstance(given, str) else list(given)


KINDS: dict[str, QuestionKind] = {}


def register(cls: type[QuestionKind]) -> type[QuestionKind]:
    """Add a kind to the registry; the order is the order in which shapes are tried."""
    KINDS[cls.name] = cls()
    return cls


def kind_of(question: Question | str) -> QuestionKind | None:
    return KINDS.get(question if isinstance(question, str) else question.kind)


def public_quiz(quiz: Quiz) -> dict[str, Any]:
    """The quiz as a form may render it: settings and questions, never the answer key."""
    return {
        "pass_mark": quiz.pass_mark,
        "max_attempts": quiz.max_attempts,
        "graded": quiz.graded,
        "questions": [KINDS[q.kind].public(q) for q in quiz.questions],
    }


def interchangeable(kind: str, other: str) -> bool:
    """Whether a translation may write a question of one kind as the other (and grade alike)."""
    family = KINDS[kind].family if kind in KINDS else None
    return kind == other or (family is not None and family == KINDS[other].family)


def all_fields() -> frozenset[str]:
    return frozenset(COMMON_FIELDS).union(*(kind.fields for kind in KINDS.values()))


def choose(draft: QuestionDraft, found: list[RawProblem]) -> QuestionKind | None:
    """The kind its 'Type:' line asks for, else the first whose shape fits (None: none fits)."""
    type_field = draft.fields.get("type")
    if type_field:
        value, line = type_field
        named = [kind for kind in KINDS.values() if value.lower() in kind.type_names]
        if not named:
            found.append((
                line,
                f"unknown question type '{value}'",
                "write 'Type: multiple' for several correct choices; other kinds need no Type",
            ))
        elif fitting := next((kind for kind in named if kind.fits(draft)), None):
            return fitting
        else:
            found.append((line, f"'Type: {value}' only applies to {named[0].applies_to}", None))
    return next((kind for kind in KINDS.values() if kind.inferred and kind.fits(draft)), None)


def report_unused_fields(
    draft: QuestionDraft, kind: QuestionKind, found: list[RawProblem]
) -> None:
    """A line that another kind would read, written under a question of this kind."""
    for key, (_value, line) in draft.fields.items():
        if key in COMMON_FIELDS or key in kind.fields:
            continue
        owner = next(k for k in KINDS.values() if key in k.fields)
        found.append((line, f"'{key.capitalize()}:' only applies to {owner.applies_to}", None))


# --- Choices ------------------------------------------------------------------------------------


class _Choices(QuestionKind):
    """Choices written ``- [x] right`` / ``- [ ] wrong``, each with optional ``> feedback``."""

    applies_to = "questions with choices"
    tally = "choices"
    widget = "radio"
    least_correct = 1
    most_correct: int | None = 1

    def fits(self, draft: QuestionDraft) -> bool:
        return bool(draft.choices)

    def build(
        self, draft: QuestionDraft, parts: QuestionParts, html: Html, found: list[RawProblem]
    ) -> Question | None:
        qid, ok = parts.id, True
        correct = sum(c.correct for c in draft.choices)
        if len(draft.choices) < 2:
            found.append((draft.line, f"question '{qid}' needs at least two choices", None))
            ok = False
        if len(draft.choices) > 26:
            found.append((draft.line, f"question '{qid}' has more than 26 choices", None))
            ok = False
        if correct == 0:
            hint = "mark it with - [x]" if self.most_correct == 1 else (
                "mark every correct choice with - [x]")
            found.append((draft.line, f"question '{qid}' has no correct choice", hint))
            ok = False
        elif self.most_correct is not None and correct > self.most_correct:
            found.append((
                draft.line,
                f"single-choice question '{qid}' has {correct} correct choices",
                "keep one - [x], or add 'Type: multiple' under the heading",
            ))
            ok = False
        choices = []
        for position, draft_choice in enumerate(draft.choices[:26]):
            if not draft_choice.text:
                found.append((draft_choice.line, f"a choice of question '{qid}' has no text", None))
                ok = False
            feedback = "\n".join(draft_choice.feedback).strip()
            choices.append(Choice(
                id=chr(ord("a") + position),
                text_html=html(draft_choice.text, draft_choice.line),
                correct=draft_choice.correct,
                feedback_html=html(feedback, draft_choice.line) if feedback else "",
            ))
        if not ok:
            return None
        return Question(parts.id, self.name, parts.prompt_html, tuple(choices),
                        explanation_html=parts.explanation_html, line=parts.line)

    def translation_problem(
        self, original: Question, translated: Question
    ) -> tuple[str, str | None] | None:
        qid = translated.id
        if len(translated.choices) != len(original.choices):
            return (f"question '{qid}' has {len(translated.choices)} choices here but "
                    f"{len(original.choices)} in the main language",
                    "keep the same choices, in the same order")
        if [c.correct for c in translated.choices] != [c.correct for c in original.choices]:
            return (f"question '{qid}' marks different choices correct than the main language",
                    "keep the choices in the same order, with the same - [x]")
        return None

    def read(self, form: Any, question: Question) -> Given:
        return self.given(question, form.getlist(question.id)[:26])

    def given(self, question: Question, raw: Any) -> Given:
        items = (
            [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple | set) else []
        )
        picked = {item for item in items if isinstance(item, str)}
        return tuple(c.id for c in question.choices if c.id in picked)  # unknown ids dropped

    def check(self, question: Question, given: Given) -> bool:
        """Exactly the correct set: a partly right answer is wrong."""
        correct = tuple(c.id for c in question.choices if c.correct)
        return isinstance(given, tuple) and given == correct

    def display(self, question: Question) -> str:
        return "; ".join(c.text_html for c in question.choices if c.correct)


@register
class SingleChoice(_Choices):
    name = "single"
    type_names = ("single",)
    family = "one choice"

    def fits(self, draft: QuestionDraft) -> bool:
        return super().fits(draft) and not _true_or_false(draft)


@register
class TrueFalse(_Choices):
    name = "true_false"
    type_names = ("single",)
    family = "one choice"

    def fits(self, draft: QuestionDraft) -> bool:
        return super().fits(draft) and _true_or_false(draft)


@register
class MultipleChoice(_Choices):
    name = "multiple"
    type_names = ("multiple",)
    inferred = False  # several correct choices are a choice the author makes in writing
    widget = "checkbox"
    most_correct = None


def _true_or_false(draft: QuestionDraft) -> bool:
    return tuple(c.text.strip().lower().rstrip(".") for c in draft.choices) in _TRUE_FALSE


# --- Typed answers ------------------------------------------------------------------------------


class _Typed(QuestionKind):
    """An ``Answer:`` line: one accepted answer, or several separated by ``|``."""

    tally = "typed"
    widget = "text"

    def fits(self, draft: QuestionDraft) -> bool:
        return "answer" in draft.fields and not draft.choices

    @staticmethod
    def accepted(draft: QuestionDraft) -> tuple[str, ...]:
        value = draft.fields["answer"][0]
        return tuple(a.strip() for a in value.replace("\\|", "|").split("|") if a.strip())


@register
class ShortText(_Typed):
    """Words, compared without case, accents, extra spaces or end punctuation."""

    name = "short_text"
    fields = ("answer",)
    applies_to = "typed answers"

    def fits(self, draft: QuestionDraft) -> bool:
        return super().fits(draft) and not Numeric.numbers(draft)

    def build(
        self, draft: QuestionDraft, parts: QuestionParts, html: Html, found: list[RawProblem]
    ) -> Question | None:
        value, line = draft.fields["answer"]
        accepted = self.accepted(draft)
        if not accepted:
            found.append((line, f"question '{parts.id}' has an empty Answer",
                          "write 'Answer: 2023' or 'Answer: a | b'"))
            return None
        if all(looks_like_number(answer) for answer in accepted):
            found.append((
                line,
                f"answer '{value}' of question '{parts.id}' is not a plain number",
                "write numbers with a dot for decimals and no thousands separator: 2500, 2.5",
            ))
            return None
        return Question(parts.id, self.name, parts.prompt_html, accepted=accepted,
                        explanation_html=parts.explanation_html, line=parts.line)

    def check(self, question: Question, given: Given) -> bool:
        typed = normalize_text(given) if isinstance(given, str) else ""
        return bool(typed) and any(typed == normalize_text(answer) for answer in question.accepted)


@register
class Numeric(_Typed):
    """A number, typed the local way ("2,5", "2 500"), right within the author's tolerance."""

    name = "numeric"
    fields = ("answer", "tolerance")
    applies_to = "number answers"
    widget = "number"

    @classmethod
    def numbers(cls, draft: QuestionDraft) -> bool:
        accepted = cls.accepted(draft) if "answer" in draft.fields else ()
        return bool(accepted) and all(author_number(answer) is not None for answer in accepted)

    def fits(self, draft: QuestionDraft) -> bool:
        return super().fits(draft) and self.numbers(draft)

    def build(
        self, draft: QuestionDraft, parts: QuestionParts, html: Html, found: list[RawProblem]
    ) -> Question | None:
        tolerance = 0.0
        if "tolerance" in draft.fields:
            value, line = draft.fields["tolerance"]
            parsed = author_number(value)
            if parsed is None or parsed < 0:
                found.append((line, f"tolerance '{value}' is not a positive number",
                              "write e.g. 'Tolerance: 0.5'"))
            else:
                tolerance = parsed
        return Question(parts.id, self.name, parts.prompt_html, accepted=self.accepted(draft),
                        tolerance=tolerance, explanation_html=parts.explanation_html,
                        line=parts.line)

    def translation_problem(
        self, original: Question, translated: Question
    ) -> tuple[str, str | None] | None:
        if (translated.accepted, translated.tolerance) != (original.accepted, original.tolerance):
            return f"question '{translated.id}' accepts other numbers than the main language", None
        return None

    def check(self, question: Question, given: Given) -> bool:
        typed = number_candidates(given) if isinstance(given, str) else set()
        expected = [value for answer in question.accepted for value in number_candidates(answer)]
        slack = question.tolerance + 1e-9
        return any(abs(value - target) <= slack for value in typed for target in expected)

    def display(self, question: Question) -> str:
        shown = super().display(question)
        return f"{shown} ± {question.tolerance:g}" if shown and question.tolerance else shown

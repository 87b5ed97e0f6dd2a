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

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from html import escape
from typing import Any, ClassVar, Literal

from .answers import author_number, looks_like_number, normalize_text, number_candidates
from .blocks import RawProblem
from .sanitize import plain_text
from .schema import Choice, Item, Question, Quiz


@dataclass(frozen=True)
class Explained:
    """A choice with the learner's reasons for it."""

    picked: tuple[str, ...]
    because: str


# The choice ids picked (in the question's order), the text typed, the value of each select of
# an ordering or matching question (in the order the form shows them), or a choice explained.
Given = tuple[str, ...] | str | Explained
# (Markdown text, its line, inline?) -> sanitised HTML; any problem in it is already recorded
Html = Callable[..., str]

# The lines under a question heading that any kind takes.
COMMON_FIELDS = ("type", "situation", "explanation")
_TRUE_FALSE = {("true", "false"), ("vrai", "faux"), ("verdadero", "falso")}
_YES, _NO = {"yes", "true", "on"}, {"no", "false", "off"}


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
    items: list[ChoiceDraft] = field(default_factory=list)  # steps or pairs, as listed
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
    # The form control: templates/learn/widgets/<widget>.html
    widget: ClassVar[Literal["radio", "checkbox", "text", "number", "order", "match",
                             "explained"]]
    # How analytics tallies answers: how often each choice was picked, the typed answers, or
    # how often each step or pair was placed right (and the commonest wrong arrangements).
    tally: ClassVar[Literal["choices", "typed", "arrangement"]]
    # Kinds a translation may use for the same question (a true/false is a single choice).
    family: ClassVar[str | None] = None
    takes_items: ClassVar[bool] = False  # steps or pairs listed after the 'Type:' line

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

    def form_values(self, question: Question, given: Given) -> Any:
        """The answer as the form's controls show it again (when it is sent back to fix)."""
        return given

    def check(self, question: Question, given: Given) -> bool:
        raise NotImplementedError

    def credit(self, question: Question, given: Given) -> Fraction:
        """The share of the question's mark the answer earns: all or nothing, unless a kind
        gives partial credit."""
        return Fraction(int(self.check(question, given)))

    def picked(self, given: Given) -> set[str]:
        """The choice ids the answer picked, whose feedback the learner then reads."""
        return set(given) if isinstance(given, tuple) else set()

    def shown(self, question: Question, given: Given) -> str:
        """HTML of the learner's answer, as the result page shows it back."""
        return escape(given) if isinstance(given, str) else ""

    def display(self, question: Question) -> str:
        """HTML for "the correct answer", shown after the attempts allow it."""
        return escape(question.accepted[0]) if question.accepted else ""

    def encode(self, given: Given) -> str:
        """The answer as one string, the form analytics groups responses by."""
        return given if isinstance(given, str) else ",".join(given)

    def record(self, given: Given) -> str | list[str]:
        """The answer as JSON in the attempt, read back by ``given`` when it is shown again."""
        return given if isinstance(given, str) else list(given)

    # --- Packaged: graded offline, in a package another platform runs ------------------------

    def offline_key(self, question: Question) -> dict[str, Any]:
        """What static/package/sco.js needs to give an answer the credit ``credit`` gives it,
        read from the form as the page lays it out (the answer key: packages only)."""
        raise NotImplementedError


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

    def offline_key(self, question: Question) -> dict[str, Any]:
        return {"kind": "choices", "correct": [c.id for c in question.choices if c.correct]}

    def shown(self, question: Question, given: Given) -> str:
        picked = self.picked(given)
        return "; ".join(c.text_html for c in question.choices if c.id in picked)


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


@register
class ExplainedChoice(_Choices):
    """A single choice and the learner's reasons for it: the choice is graded, the reasons are
    kept, shown back to the learner and read by the course's instructors."""

    name = "explained"
    type_names = ("explain",)
    inferred = False
    fields = ("explain",)
    applies_to = "questions with choices and 'Type: explain'"
    widget = "explained"
    longest_reasons = 4000  # characters kept

    def build(
        self, draft: QuestionDraft, parts: QuestionParts, html: Html, found: list[RawProblem]
    ) -> Question | None:
        question = super().build(draft, parts, html, found)
        if question is None:
            return None
        label, line = draft.fields.get("explain", ("", None))
        return replace(question, explain_html=html(label, line) if label else "")

    def public(self, question: Question) -> dict[str, Any]:
        return {**super().public(question), "explain_html": question.explain_html}

    def read(self, form: Any, question: Question) -> Given:
        return self.given(question, {"picked": form.getlist(question.id)[:26],
                                     "because": form.get(f"{question.id}-why", "")})

    def given(self, question: Question, raw: Any) -> Given:
        if isinstance(raw, Explained):
            picked, because = raw.picked, raw.because
        elif isinstance(raw, dict):
            picked, because = raw.get("picked", ()), raw.get("because", "")
        else:
            picked, because = raw, ""
        because = because if isinstance(because, str) else ""
        return Explained(super().given(question, picked), because.strip()[:self.longest_reasons])

    def answered(self, given: Given) -> bool:
        return isinstance(given, Explained) and bool(given.picked) and bool(given.because)

    def check(self, question: Question, given: Given) -> bool:
        return isinstance(given, Explained) and super().check(question, given.picked)

    def picked(self, given: Given) -> set[str]:
        return set(given.picked) if isinstance(given, Explained) else set()

    def shown(self, question: Question, given: Given) -> str:
        choice = super().shown(question, given)
        because = given.because if isinstance(given, Explained) else ""
        return f"{choice}<br>{escape(because)}" if because else choice

    def encode(self, given: Given) -> str:
        return ",".join(given.picked) if isinstance(given, Explained) else ""

    def record(self, given: Given) -> dict[str, Any]:
        if not isinstance(given, Explained):
            return {"picked": [], "because": ""}
        return {"picked": list(given.picked), "because": given.because}


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

    def offline_key(self, question: Question) -> dict[str, Any]:
        return {"kind": "text", "accepted": [normalize_text(a) for a in question.accepted]}


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

    def offline_key(self, question: Question) -> dict[str, Any]:
        return {"kind": "number", "tolerance": question.tolerance,
                "numbers": sorted({value for answer in question.accepted
                                   for value in number_candidates(answer)})}

    def display(self, question: Question) -> str:
        shown = super().display(question)
        return f"{shown} ± {question.tolerance:g}" if shown and question.tolerance else shown


# --- Ordering and matching ----------------------------------------------------------------------


def listed_order(texts: list[str]) -> list[int]:
    """Where the form lists things: alphabetically, which says nothing of the right order (a
    shuffle that a reader could repeat would)."""
    return sorted(range(len(texts)), key=lambda i: (plain_text(texts[i]).casefold(), i))


class _Arrangement(QuestionKind):
    """Items the learner arranges with one numbered select each, so the form works without
    JavaScript and from the keyboard. The form lists the steps (or the options) alphabetically,
    so the page tells nothing of the answer. The answer is kept in the author's order: the
    value given for each step (its place) or for each pair (the id of the pair whose right-hand
    side was chosen), the same in every language."""

    inferred = False
    takes_items = True
    fields = ("partial credit",)
    tally = "arrangement"
    least_items, most_items = 2, 12
    item_name: ClassVar[str]
    giveaway_hint: ClassVar[str]

    def fits(self, draft: QuestionDraft) -> bool:
        return bool(draft.items) and not draft.choices

    def listed(self, question: Question) -> list[Item]:
        """The items in the order the form lists them (or offers them, for matching)."""
        raise NotImplementedError

    def values(self, question: Question) -> tuple[str, ...]:
        """What a select may hold: a place ("1"...), or a pair's id ("a"...)."""
        raise NotImplementedError

    def key(self, question: Question) -> tuple[str, ...]:
        raise NotImplementedError

    def build(
        self, draft: QuestionDraft, parts: QuestionParts, html: Html, found: list[RawProblem]
    ) -> Question | None:
        qid = parts.id
        if not self.least_items <= len(draft.items) <= self.most_items:
            found.append((draft.line, f"question '{qid}' needs {self.least_items} to "
                          f"{self.most_items} {self.item_name}s", None))
            return None
        items = self.items(draft, html, found)
        if items is None:
            return None
        partial = False
        if "partial credit" in draft.fields:
            value, line = draft.fields["partial credit"]
            partial = value.lower() in _YES
            if not partial and value.lower() not in _NO:
                found.append((line, f"partial credit '{value}' is not yes or no",
                              "write 'Partial credit: yes' or 'Partial credit: no'"))
        question = Question(qid, self.name, parts.prompt_html, items=tuple(items),
                            partial_credit=partial, explanation_html=parts.explanation_html,
                            line=parts.line)
        if self.listed(question) == list(question.items):
            found.append((draft.line, f"the form would give away the answer to question "
                          f"'{qid}'", self.giveaway_hint))
            return None
        return question

    def items(self, draft: QuestionDraft, html: Html, found: list[RawProblem]
              ) -> list[Item] | None:
        raise NotImplementedError

    def translation_problem(
        self, original: Question, translated: Question
    ) -> tuple[str, str | None] | None:
        if len(translated.items) != len(original.items):
            return (f"question '{translated.id}' has {len(translated.items)} "
                    f"{self.item_name}s here but {len(original.items)} in the main language",
                    f"keep the same {self.item_name}s, in the same order")
        return None

    def given(self, question: Question, raw: Any) -> Given:
        count = len(question.items)
        values = list(raw)[:count] if isinstance(raw, list | tuple) else []
        values += [""] * (count - len(values))
        allowed = set(self.values(question))
        return tuple(v if isinstance(v, str) and v in allowed else "" for v in values)

    def form_values(self, question: Question, given: Given) -> list[str]:
        """The value of each select, in the order the form shows them."""
        raise NotImplementedError

    def answered(self, given: Given) -> bool:
        return isinstance(given, tuple) and bool(given) and all(given)

    def check(self, question: Question, given: Given) -> bool:
        return given == self.key(question)

    def credit(self, question: Question, given: Given) -> Fraction:
        key = self.key(question)
        if not question.partial_credit or not isinstance(given, tuple):
            return Fraction(int(given == key))
        return Fraction(sum(g == k for g, k in zip(given, key, strict=False)), len(key))

    def offline_key(self, question: Question) -> dict[str, Any]:
        return {"kind": "selects", "selects": self.form_values(question, self.key(question)),
                "partial": question.partial_credit}

    def encode(self, given: Given) -> str:
        """``a:2,b:1``: what was given for each step or pair, by its id."""
        values = given if isinstance(given, tuple) else ()
        return ",".join(f"{chr(ord('a') + n)}:{value or '-'}" for n, value in enumerate(values))

    def record(self, given: Given) -> list[str]:
        return list(given) if isinstance(given, tuple) else []

    def picked(self, given: Given) -> set[str]:
        return set()

    def parts(self, question: Question) -> list[tuple[str, str]]:
        """For analytics: the token of each right placement in an encoded answer, and what
        it places (the step, or the pair)."""
        return [(f"{item.id}:{value}", self.part_html(item))
                for item, value in zip(question.items, self.key(question), strict=True)]

    def part_html(self, item: Item) -> str:
        raise NotImplementedError

    def describe(self, question: Question, response: str) -> str:
        """HTML of an encoded answer, for analytics' commonest wrong one."""
        values = [token.partition(":")[2] for token in response.split(",")]
        return self.shown(question, self.given(question, values))


@register
class Ordering(_Arrangement):
    """Steps listed ``1. first``, ``2. second``... in the right order; the learner numbers
    them."""

    name = "ordering"
    type_names = ("ordering", "order")
    applies_to = "ordering questions"
    widget = "order"
    item_name = "step"
    giveaway_hint = ("the form lists the steps alphabetically, which here is their right "
                     "order: reword a step so that it is not")

    def items(self, draft, html, found) -> list[Item] | None:
        empty = [item for item in draft.items if not item.text]
        for item in empty:
            found.append((item.line, f"a step of question '{draft.id}' has no text", None))
        return None if empty else [Item(chr(ord("a") + n), html(item.text, item.line))
                                   for n, item in enumerate(draft.items)]

    def listed(self, question: Question) -> list[Item]:
        order = listed_order([item.text_html for item in question.items])
        return [question.items[i] for i in order]

    def values(self, question: Question) -> tuple[str, ...]:
        return tuple(str(n) for n in range(1, len(question.items) + 1))

    key = values  # the n-th step in the n-th place

    def public(self, question: Question) -> dict[str, Any]:
        return {**super().public(question),
                "items": [{"text_html": item.text_html} for item in self.listed(question)],
                "options": list(self.values(question))}

    def read(self, form: Any, question: Question) -> Given:
        place = {item.id: form.get(f"{question.id}-{n}", "")
                 for n, item in enumerate(self.listed(question), start=1)}
        return self.given(question, [place[item.id] for item in question.items])

    def form_values(self, question: Question, given: Given) -> list[str]:
        index = {item.id: n for n, item in enumerate(question.items)}
        return [given[index[item.id]] for item in self.listed(question)]

    def shown(self, question: Question, given: Given) -> str:
        placed = sorted((int(value), item.text_html)
                        for value, item in zip(given, question.items, strict=False) if value)
        return " → ".join(f"{place}. {text}" for place, text in placed)

    def display(self, question: Question) -> str:
        return " → ".join(f"{n}. {item.text_html}"
                          for n, item in enumerate(question.items, start=1))

    def part_html(self, item: Item) -> str:
        return item.text_html


PAIR_RE = re.compile(r"^(?P<left>.+?)\s+(?:->|→)\s+(?P<right>.+)$")


@register
class Matching(_Arrangement):
    """Pairs listed ``- left -> right``; the learner picks the right side of each left one."""

    name = "matching"
    type_names = ("matching", "match")
    applies_to = "matching questions"
    widget = "match"
    item_name = "pair"
    giveaway_hint = ("the form lists the right-hand sides alphabetically, which here is the "
                     "order of their pairs: list the pairs in another order")

    def items(self, draft, html, found) -> list[Item] | None:
        items, rights = [], set()
        for n, item in enumerate(draft.items):
            pair = PAIR_RE.match(item.text)
            if not pair:
                found.append((item.line, f"'{item.text}' is not a pair",
                              "write each pair as '- left -> right'"))
                return None
            right = pair["right"].strip()
            if right.casefold() in rights:
                found.append((item.line, f"'{right}' is the match of two pairs in question "
                              f"'{draft.id}'", "give each pair its own right-hand side"))
                return None
            rights.add(right.casefold())
            items.append(Item(chr(ord("a") + n), html(pair["left"].strip(), item.line),
                              html(right, item.line)))
        return items

    def listed(self, question: Question) -> list[Item]:
        order = listed_order([item.match_html for item in question.items])
        return [question.items[i] for i in order]

    def values(self, question: Question) -> tuple[str, ...]:
        return tuple(item.id for item in question.items)

    key = values  # each left-hand side with its own pair's right-hand side

    def public(self, question: Question) -> dict[str, Any]:
        return {**super().public(question),
                "items": [{"text_html": item.text_html} for item in question.items],
                "options": [{"value": str(n), "text_html": item.match_html}
                            for n, item in enumerate(self.listed(question), start=1)]}

    def read(self, form: Any, question: Question) -> Given:
        offered = {str(n): item.id for n, item in enumerate(self.listed(question), start=1)}
        return self.given(question, [offered.get(form.get(f"{question.id}-{n}", ""), "")
                                     for n in range(1, len(question.items) + 1)])

    def form_values(self, question: Question, given: Given) -> list[str]:
        number = {item.id: str(n) for n, item in enumerate(self.listed(question), start=1)}
        return [number.get(value, "") for value in given]

    def shown(self, question: Question, given: Given) -> str:
        by_id = {item.id: item for item in question.items}
        return "; ".join(f"{item.text_html} → {by_id[value].match_html}"
                         for item, value in zip(question.items, given, strict=False) if value)

    def display(self, question: Question) -> str:
        return "; ".join(self.part_html(item) for item in question.items)

    def part_html(self, item: Item) -> str:
        return f"{item.text_html} → {item.match_html}"

"""The ``::: quiz`` block: parse it into a ``Quiz`` and leave only a placeholder in the HTML.

The answer key never reaches the lesson HTML: the block is replaced by
``<div class="quiz-slot"></div>`` and the parsed quiz is kept on the Markdown instance as
``md.quiz`` (cleared by ``reset()``, like ``md.Meta``), for the importer to store apart and the web
layer to render as a form. The syntax is described in docs/authoring.md ("Quizzes").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.extensions import Extension

from . import blocks
from .answers import author_number, looks_like_number
from .blocks import RawProblem
from .sanitize import clean, clean_inline
from .schema import Choice, Question, Quiz

# (Markdown text, line it starts on, inline?) -> (sanitised HTML, problems found in it)
FragmentRenderer = Callable[[str, "int | None", bool], tuple[str, list[RawProblem]]]

QUIZ_SLOT_CLASS = "quiz-slot"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QUESTION_RE = re.compile(r"^###(?!#)[ \t]*(?P<text>.*?)[ \t]*(?:\{#(?P<id>[^}]*)\})?[ \t]*$")
_CHOICE_RE = re.compile(r"^[-*+][ \t]+\[(?P<mark>[ xX])\][ \t]*(?P<text>.*)$")
_FEEDBACK_RE = re.compile(r"^[ \t]*>[ \t]?(?P<text>.*)$")
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]*(?P<value>.*)$")
SETTINGS = ("pass mark", "attempts", "graded")
FIELDS = ("type", "answer", "tolerance", "explanation")
_YES, _NO = {"yes", "true", "on"}, {"no", "false", "off"}
_TRUE_FALSE = {("true", "false"), ("vrai", "faux"), ("verdadero", "falso")}
ID_HINT = "end the heading with an id in braces, e.g. {#q-my-question}"


def default_fragment_renderer(
    text: str, line: int | None, inline: bool
) -> tuple[str, list[RawProblem]]:
    """Plain Markdown then the allowlist; render.py passes a richer one that rewrites links."""
    html = markdown.markdown(text, output_format="html")
    return (clean_inline(html) if inline else clean(html)), []


@dataclass
class _DraftChoice:
    correct: bool
    text: str
    line: int | None
    feedback: list[str] = field(default_factory=list)


@dataclass
class _DraftQuestion:
    text: str
    id: str | None
    line: int | None
    prompt: list[str] = field(default_factory=list)
    choices: list[_DraftChoice] = field(default_factory=list)
    fields: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)


def parse_quiz(
    body: str, first_line: int | None, render: FragmentRenderer
) -> tuple[Quiz, list[RawProblem]]:
    """Parse the text inside ``::: quiz``/``:::``; ``first_line`` is the line of its first line."""
    found: list[RawProblem] = []
    settings: dict[str, tuple[str, int | None]] = {}
    drafts: list[_DraftQuestion] = []
    mode = "settings"
    for index, raw in enumerate(blocks.strip_tags(body).split("\n")):
        line = None if first_line is None else first_line + index
        text = raw.rstrip()
        heading = _QUESTION_RE.match(text)
        if heading:
            drafts.append(_DraftQuestion(heading["text"], heading["id"], line))
            mode = "prompt"
            continue
        if not text.strip():
            if mode == "explanation":
                mode = "fields"
            elif mode == "prompt" and drafts[-1].prompt:
                drafts[-1].prompt.append("")
            continue
        if re.match(r"^#{1,6}[ \t]", text):
            found.append((line, "quiz questions start with '### '", ID_HINT))
            heading = _QUESTION_RE.match("###" + text.lstrip("#"))
            assert heading is not None
            drafts.append(_DraftQuestion(heading["text"], heading["id"], line))
            mode = "prompt"
            continue
        if mode == "settings":
            _read_setting(text, line, settings, found)
            continue
        draft = drafts[-1]
        if mode == "explanation":
            draft.explanation.append(text.strip())
            continue
        choice = _CHOICE_RE.match(text)
        if choice:
            draft.choices.append(_DraftChoice(choice["mark"] != " ", choice["text"].strip(), line))
            mode = "choice"
            continue
        if mode == "choice":
            feedback = _FEEDBACK_RE.match(text)
            if feedback:
                draft.choices[-1].feedback.append(feedback["text"])
                continue
            if raw[:1] in {" ", "\t"}:
                draft.choices[-1].text += " " + text.strip()
                continue
        named = _FIELD_RE.match(text)
        key = named["key"].strip().lower() if named else ""
        if named and key in FIELDS:
            if key in draft.fields:
                found.append((line, f"'{named['key']}:' is given twice in this question", None))
            draft.fields[key] = (named["value"].strip(), line)
            if key == "explanation":
                draft.explanation = [named["value"].strip()]
                mode = "explanation"
            else:
                mode = "fields"
            continue
        if mode == "prompt":
            draft.prompt.append(text)
            continue
        found.append(
            (
                line,
                f"unexpected line in question '{draft.id or draft.text}'",
                "feedback goes under its choice, indented and starting with '>'; "
                "other text belongs between the heading and the choices",
            )
        )

    pass_mark, max_attempts, graded = _settings(settings, found)
    questions: list[Question] = []
    seen: set[str] = set()
    for draft in drafts:
        question = _build_question(draft, render, found)
        if question is None:
            continue
        if question.id in seen:
            found.append(
                (
                    draft.line,
                    f"question id '{question.id}' is used twice in this quiz",
                    "every question needs its own id",
                )
            )
            continue
        seen.add(question.id)
        questions.append(question)
    if not drafts:
        found.append((first_line, "quiz has no questions", "start each question with '### '"))
    return Quiz(pass_mark, max_attempts, graded, tuple(questions)), found


def _read_setting(
    text: str,
    line: int | None,
    settings: dict[str, tuple[str, int | None]],
    found: list[RawProblem],
) -> None:
    named = _FIELD_RE.match(text)
    key = named["key"].strip().lower() if named else ""
    if named and key in SETTINGS:
        if key in settings:
            found.append((line, f"quiz setting '{named['key']}' is given twice", None))
        settings[key] = (named["value"].strip(), line)
    elif named:
        found.append(
            (
                line,
                f"unknown quiz setting '{named['key']}'",
                "the settings are 'Pass mark:', 'Attempts:' and 'Graded:'",
            )
        )
    else:
        found.append(
            (
                line,
                "text before the first question of the quiz",
                "put introductions above '::: quiz'; questions start with '### '",
            )
        )


def _settings(
    settings: dict[str, tuple[str, int | None]], found: list[RawProblem]
) -> tuple[int, int | None, bool]:
    pass_mark, max_attempts, graded = 70, None, True
    if "pass mark" in settings:
        value, line = settings["pass mark"]
        match = re.fullmatch(r"(\d{1,3})\s*%?", value)
        if match and 1 <= int(match[1]) <= 100:
            pass_mark = int(match[1])
        else:
            found.append(
                (line, f"pass mark '{value}' is out of range", "write a percentage from 1% to 100%")
            )
    if "attempts" in settings:
        value, line = settings["attempts"]
        if value.lower() == "unlimited":
            max_attempts = None
        elif value.isdigit() and 1 <= int(value) <= 100:
            max_attempts = int(value)
        else:
            found.append(
                (
                    line,
                    f"attempts '{value}' is out of range",
                    "write a whole number from 1 to 100, or 'unlimited'",
                )
            )
    if "graded" in settings:
        value, line = settings["graded"]
        if value.lower() in _YES | _NO:
            graded = value.lower() in _YES
        else:
            found.append(
                (line, f"graded '{value}' is not yes or no", "write 'Graded: yes' or 'Graded: no'")
            )
    return pass_mark, max_attempts, graded


def _build_question(
    draft: _DraftQuestion, render: FragmentRenderer, found: list[RawProblem]
) -> Question | None:
    def html(text: str, line: int | None, inline: bool = True) -> str:
        rendered, problems = render(text, line, inline)
        found.extend(problems)
        return rendered

    line = draft.line
    if draft.id is None:
        found.append((line, f"question '{draft.text}' has no id", ID_HINT))
        return None
    qid = draft.id.strip().lstrip("#")
    if not ID_RE.match(qid):
        found.append(
            (
                line,
                f"question id '{qid}' is not valid",
                "use lowercase letters, digits and hyphens, e.g. q-who-defined",
            )
        )
        return None
    if not draft.text:
        found.append((line, f"question '{qid}' has no text", "write the question after '### '"))
    prompt_html = html(draft.text, line)
    extra = "\n".join(draft.prompt).strip("\n")
    if extra:
        prompt_html += html(extra, line, inline=False)
    explanation = "\n".join(draft.explanation).strip()
    explanation_html = html(explanation, draft.fields["explanation"][1]) if explanation else ""
    kind_field = draft.fields.get("type")
    answer_field = draft.fields.get("answer")
    tolerance_field = draft.fields.get("tolerance")
    if kind_field and kind_field[0].lower() not in {"single", "multiple"}:
        found.append(
            (
                kind_field[1],
                f"unknown question type '{kind_field[0]}'",
                "write 'Type: multiple' for several correct choices; other kinds need no Type",
            )
        )
    if draft.choices and answer_field:
        found.append(
            (
                line,
                f"question '{qid}' has both choices and an Answer",
                "keep the choices or the 'Answer:' line, not both",
            )
        )
        return None
    if draft.choices:
        if tolerance_field:
            found.append((tolerance_field[1], "'Tolerance:' only applies to number answers", None))
        return _choice_question(draft, qid, prompt_html, explanation_html, html, found)
    if answer_field:
        if kind_field:
            found.append((kind_field[1], "'Type:' only applies to choice questions", None))
        return _answer_question(draft, qid, prompt_html, explanation_html, found)
    found.append(
        (
            line,
            f"question '{qid}' has no choices and no Answer",
            "add choices ('- [x] right', '- [ ] wrong') or an 'Answer:' line",
        )
    )
    return None


def _choice_question(
    draft: _DraftQuestion,
    qid: str,
    prompt_html: str,
    explanation_html: str,
    html: Callable[..., str],
    found: list[RawProblem],
) -> Question | None:
    kind_field = draft.fields.get("type")
    multiple = bool(kind_field) and kind_field[0].lower() == "multiple"  # type: ignore[index]
    texts = tuple(c.text.strip().lower().rstrip(".") for c in draft.choices)
    kind = "multiple" if multiple else "true_false" if texts in _TRUE_FALSE else "single"
    correct = sum(c.correct for c in draft.choices)
    ok = True
    if len(draft.choices) < 2:
        found.append((draft.line, f"question '{qid}' needs at least two choices", None))
        ok = False
    if len(draft.choices) > 26:
        found.append((draft.line, f"question '{qid}' has more than 26 choices", None))
        ok = False
    if correct == 0:
        hint = "mark every correct choice with - [x]" if multiple else "mark it with - [x]"
        found.append((draft.line, f"question '{qid}' has no correct choice", hint))
        ok = False
    elif correct > 1 and not multiple:
        found.append(
            (
                draft.line,
                f"single-choice question '{qid}' has {correct} correct choices",
                "keep one - [x], or add 'Type: multiple' under the heading",
            )
        )
        ok = False
    choices = []
    for position, draft_choice in enumerate(draft.choices[:26]):
        if not draft_choice.text:
            found.append((draft_choice.line, f"a choice of question '{qid}' has no text", None))
            ok = False
        feedback = "\n".join(draft_choice.feedback).strip()
        choices.append(
            Choice(
                id=chr(ord("a") + position),
                text_html=html(draft_choice.text, draft_choice.line),
                correct=draft_choice.correct,
                feedback_html=html(feedback, draft_choice.line) if feedback else "",
            )
        )
    if not ok:
        return None
    return Question(qid, kind, prompt_html, tuple(choices), (), 0.0, explanation_html, draft.line)  # type: ignore[arg-type]


def _answer_question(
    draft: _DraftQuestion,
    qid: str,
    prompt_html: str,
    explanation_html: str,
    found: list[RawProblem],
) -> Question | None:
    value, line = draft.fields["answer"]
    accepted = tuple(a.strip() for a in value.replace("\\|", "|").split("|") if a.strip())
    if not accepted:
        found.append(
            (
                line,
                f"question '{qid}' has an empty Answer",
                "write 'Answer: 2023' or 'Answer: a | b'",
            )
        )
        return None
    numbers = [author_number(answer) for answer in accepted]
    numeric = all(number is not None for number in numbers)
    if not numeric and all(looks_like_number(answer) for answer in accepted):
        found.append(
            (
                line,
                f"answer '{value}' of question '{qid}' is not a plain number",
                "write numbers with a dot for decimals and no thousands separator: 2500, 2.5",
            )
        )
        return None
    tolerance = 0.0
    tolerance_field = draft.fields.get("tolerance")
    if tolerance_field:
        parsed = author_number(tolerance_field[0])
        if not numeric:
            found.append((tolerance_field[1], "'Tolerance:' only applies to number answers", None))
        elif parsed is None or parsed < 0:
            found.append(
                (
                    tolerance_field[1],
                    f"tolerance '{tolerance_field[0]}' is not a positive number",
                    "write e.g. 'Tolerance: 0.5'",
                )
            )
        else:
            tolerance = parsed
    kind = "numeric" if numeric else "short_text"
    return Question(qid, kind, prompt_html, (), accepted, tolerance, explanation_html, draft.line)


class QuizExtension(Extension):
    """Registers ``::: quiz``; after ``convert``, ``md.quiz`` holds the lesson's Quiz or None."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "line_offset": [0, "lines before the Markdown body (front matter)"],
            "render_fragment": [default_fragment_renderer, "renders prompts, choices, feedback"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.md = md
        md.quiz = None  # type: ignore[attr-defined]
        handlers = blocks.install(md, int(self.getConfig("line_offset")))
        handlers["quiz"] = self._handle

    def reset(self) -> None:
        self.md.quiz = None  # type: ignore[attr-defined]
        blocks.problems(self.md).clear()

    def _handle(
        self, parser: BlockParser, parent: etree.Element, arg: str, body: str, line: int | None
    ) -> None:
        report = blocks.problems(self.md)
        if arg:
            report.append(
                (
                    line,
                    f"unexpected text after '::: quiz': '{arg}'",
                    "settings go on their own lines inside the block",
                )
            )
        first_line = None if line is None else line + 1
        quiz, found = parse_quiz(body, first_line, self.getConfig("render_fragment"))
        report.extend(found)
        if self.md.quiz is not None:  # type: ignore[attr-defined]
            report.append((line, "a lesson can hold only one quiz", "split it into two lessons"))
            return
        self.md.quiz = quiz  # type: ignore[attr-defined]
        etree.SubElement(parent, "div", {"class": QUIZ_SLOT_CLASS})

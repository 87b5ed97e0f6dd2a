"""The ``::: quiz`` block: parse it into a ``Quiz`` and leave only a placeholder in the HTML.

The answer key never reaches the lesson HTML: the block is replaced by a placeholder and the
parsed quiz is kept on the Markdown instance as ``md.quiz`` (cleared by ``reset()``, like
``md.Meta``), for the importer to store apart and the web layer to render as a form. The
placeholder carries a marker made for this one render (``slot_marker``), so that the renderer
finds the block's place and no ``<div>`` an author writes can pass for it. The syntax is
described in docs/authoring.md ("Quizzes"), each kind of question in question_kinds.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import markdown
from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.extensions import Extension

from . import blocks, question_kinds
from .blocks import RawProblem
from .question_kinds import ChoiceDraft, QuestionDraft, QuestionParts
from .sanitize import clean, clean_inline
from .schema import Question, Quiz

# (Markdown text, line it starts on, inline?) -> (sanitised HTML, problems found in it)
FragmentRenderer = Callable[[str, "int | None", bool], tuple[str, list[RawProblem]]]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QUESTION_RE = re.compile(r"^###(?!#)[ \t]*(?P<text>.*?)[ \t]*(?:\{#(?P<id>[^}]*)\})?[ \t]*$")
_CHOICE_RE = re.compile(r"^[-*+][ \t]+\[(?P<mark>[ xX])\][ \t]*(?P<text>.*)$")
_FEEDBACK_RE = re.compile(r"^[ \t]*>[ \t]?(?P<text>.*)$")
# A step ("1. ...") or a pair ("- left -> right") of an ordering or matching question.
_ITEM_RE = re.compile(r"^(?:\d+[.)]|[-*+])[ \t]+(?P<text>.*)$")
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]*(?P<value>.*)$")
SETTINGS = ("pass mark", "attempts", "graded")
_YES, _NO = {"yes", "true", "on"}, {"no", "false", "off"}
ID_HINT = "end the heading with an id in braces, e.g. {#q-my-question}"


def default_fragment_renderer(
    text: str, line: int | None, inline: bool
) -> tuple[str, list[RawProblem]]:
    """Plain Markdown then the allowlist; render.py passes a richer one that rewrites links."""
    html = markdown.markdown(text, output_format="html")
    return (clean_inline(html) if inline else clean(html)), []


def parse_quiz(
    body: str, first_line: int | None, render: FragmentRenderer
) -> tuple[Quiz, list[RawProblem]]:
    """Parse the text inside ``::: quiz``/``:::``; ``first_line`` is the line of its first line."""
    found: list[RawProblem] = []
    settings: dict[str, tuple[str, int | None]] = {}
    drafts: list[QuestionDraft] = []
    mode = "settings"
    for index, raw in enumerate(blocks.strip_tags(body).split("\n")):
        line = None if first_line is None else first_line + index
        text = raw.rstrip()
        heading = _QUESTION_RE.match(text)
        if heading:
            drafts.append(QuestionDraft(heading["text"], heading["id"], line))
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
            drafts.append(QuestionDraft(heading["text"], heading["id"], line))
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
            draft.choices.append(ChoiceDraft(choice["mark"] != " ", choice["text"].strip(), line))
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
        if mode in ("fields", "items"):  # list lines after the 'Type:' line are its items
            item = _ITEM_RE.match(text)
            if item:
                draft.items.append(ChoiceDraft(False, item["text"].strip(), line))
                mode = "items"
                continue
            if mode == "items" and raw[:1] in {" ", "\t"}:
                draft.items[-1].text += " " + text.strip()
                continue
        named = _FIELD_RE.match(text)
        key = named["key"].strip().lower() if named else ""
        if named and key in question_kinds.all_fields():
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
    draft: QuestionDraft, render: FragmentRenderer, found: list[RawProblem]
) -> Question | None:
    """Check what every question shares, then let its kind build the rest."""

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
    if draft.choices and "answer" in draft.fields:
        found.append(
            (
                line,
                f"question '{qid}' has both choices and an Answer",
                "keep the choices or the 'Answer:' line, not both",
            )
        )
        return None
    kind = question_kinds.choose(draft, found)
    if kind is None and draft.items:
        found.append((draft.items[0].line, f"question '{qid}' lists items but says not what "
                      "they are", "write 'Type: ordering' or 'Type: matching' above them"))
        return None
    if kind is None:
        found.append(
            (
                line,
                f"question '{qid}' has no choices and no Answer",
                "add choices ('- [x] right', '- [ ] wrong') or an 'Answer:' line",
            )
        )
        return None
    if draft.items and not kind.takes_items:
        found.append((draft.items[0].line, f"unexpected list in question '{qid}'",
                      "only ordering and matching questions list items after their 'Type:'"))
        return None
    question_kinds.report_unused_fields(draft, kind, found)
    question = kind.build(draft, QuestionParts(qid, prompt_html, explanation_html, line), html,
                          found)
    if question is not None and "situation" in draft.fields:
        value, situation_line = draft.fields["situation"]
        question = replace(question, situation_html=html(value, situation_line))
    return question


class QuizExtension(Extension):
    """Registers ``::: quiz``; after ``convert``, ``md.quiz`` holds the lesson's Quiz or None."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "line_offset": [0, "lines before the Markdown body (front matter)"],
            "slot_marker": ["quiz-slot", "the class of the placeholder left in the HTML"],
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
        etree.SubElement(parent, "div", {"class": self.getConfig("slot_marker")})

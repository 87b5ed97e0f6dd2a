"""The activity blocks of a lesson: ``::: poll {#p-id}``, one question put to every learner and
answered once, and ``::: reflection {#r-id}``, a question each learner answers in writing for
their own notebook (and, if the author allows, for the other learners).

```
::: poll {#p-framework-law}
Does your country have a framework law on the SSE?
- Yes
- A bill is being discussed
- No
:::
```

or a scale, ``Scale: 1-5`` with optional ``Low:`` and ``High:`` labels;

```
::: reflection {#r-my-country}
What would a framework law change for the SSE entities you know?
Share: yes
:::
```

Like the quiz block, each is parsed into its dataclass, kept on the Markdown instance
(``md.activities``, in the order they appear), and leaves a placeholder in the HTML, which the
renderer turns into an ``ACTIVITY_SLOT`` (see render.py); the page fills it for each reader.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.extensions import Extension

from . import blocks
from .quiz_block import ID_RE, FragmentRenderer, default_fragment_renderer
from .schema import Poll, Reflection

_ID_ARG_RE = re.compile(r"^\{#(?P<id>[^}]*)\}$")
_OPTION_RE = re.compile(r"^[-*+][ \t]+(?P<text>.+)$")
_FIELD_RE = re.compile(r"^(?P<key>Scale|Low|High)[ \t]*:[ \t]*(?P<value>.*)$", re.I)
_SHARE_RE = re.compile(r"^Share[ \t]*:[ \t]*(?P<value>.*)$", re.I)
MOST_OPTIONS = 8
Activity = Poll | Reflection


class ActivitiesExtension(Extension):
    """Registers ``::: poll`` and ``::: reflection``; after ``convert``, ``md.activities``
    holds the lesson's, in order."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "line_offset": [0, "lines before the Markdown body (front matter)"],
            "slot_marker": ["activity-slot", "the class prefix of the placeholders left"],
            "render_fragment": [default_fragment_renderer, "renders questions and options"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.md = md
        md.activities = []  # type: ignore[attr-defined]
        handlers = blocks.install(md, int(self.getConfig("line_offset")))
        handlers["poll"] = self._handler(parse_poll)
        handlers["reflection"] = self._handler(parse_reflection)

    def reset(self) -> None:
        self.md.activities = []  # type: ignore[attr-defined]

    def _handler(self, parse):
        def handle(parser: BlockParser, parent: etree.Element, arg: str, body: str,
                   line: int | None) -> None:
            found = blocks.problems(self.md)
            activity = parse(arg, blocks.strip_tags(body), line,
                             self.getConfig("render_fragment"), found)
            activities: list[Activity] = self.md.activities  # type: ignore[attr-defined]
            if activity is None:
                return
            if any(other.id == activity.id for other in activities):
                found.append((line, f"id '{activity.id}' is used twice in this lesson",
                              "every poll and reflection needs its own id"))
                return
            activities.append(activity)
            etree.SubElement(parent, "div",
                             {"class": f"{self.getConfig('slot_marker')}-{len(activities) - 1}"})
        return handle


def _activity_id(kind: str, example: str, arg: str, line: int | None,
                 found: list[blocks.RawProblem]) -> str | None:
    given_id = _ID_ARG_RE.match(arg.strip())
    if not given_id:
        found.append((line, f"{kind} has no id",
                      f"write its id after the kind, e.g. '::: {kind} {{#{example}}}'"))
        return None
    activity_id = given_id["id"].strip().lstrip("#")
    if not ID_RE.match(activity_id):
        found.append((line, f"{kind} id '{activity_id}' is not valid",
                      f"use lowercase letters, digits and hyphens, e.g. {example}"))
        return None
    return activity_id


def _inline(render: FragmentRenderer, found: list[blocks.RawProblem]):
    def html(text: str, at: int | None) -> str:
        rendered, problems = render(text, at, True)
        found.extend(problems)
        return rendered
    return html


def parse_reflection(arg: str, body: str, line: int | None, render: FragmentRenderer,
                     found: list[blocks.RawProblem]) -> Reflection | None:
    """The reflection a block holds, or None (with the problems in ``found``)."""
    reflection_id = _activity_id("reflection", "r-my-country", arg, line, found)
    if reflection_id is None:
        return None
    prompt, shareable = [], False
    for index, raw in enumerate(body.split("\n")):
        at = None if line is None else line + 1 + index
        share = _SHARE_RE.match(raw.strip())
        if share:
            shareable = share["value"].strip().lower() in {"yes", "true", "on"}
            if not shareable and share["value"].strip().lower() not in {"no", "false", "off"}:
                found.append((at, f"share '{share['value'].strip()}' is not yes or no",
                              "write 'Share: yes' to let learners share their answers"))
        elif raw.strip():
            prompt.append(raw.strip())
    if not prompt:
        found.append((line, f"reflection '{reflection_id}' has no question",
                      "write it on the next line"))
        return None
    return Reflection(reflection_id, _inline(render, found)(" ".join(prompt), line), shareable,
                      line)


def parse_poll(arg: str, body: str, line: int | None, render: FragmentRenderer,
               found: list[blocks.RawProblem]) -> Poll | None:
    """The poll a block holds, or None (with the problems in ``found``)."""
    poll_id = _activity_id("poll", "p-framework-law", arg, line, found)
    if poll_id is None:
        return None
    html = _inline(render, found)

    prompt: list[str] = []
    options: list[tuple[str, int | None]] = []
    fields: dict[str, tuple[str, int | None]] = {}
    for index, raw in enumerate(body.split("\n")):
        at = None if line is None else line + 1 + index
        text = raw.strip()
        option, field = _OPTION_RE.match(text), _FIELD_RE.match(text)
        if not text:
            continue
        if option:
            options.append((option["text"].strip(), at))
        elif field:
            fields[field["key"].lower()] = (field["value"].strip(), at)
        elif options or fields:
            found.append((at, f"unexpected line in poll '{poll_id}'",
                          "the question comes first, then its options ('- ...') or 'Scale: 1-5'"))
        else:
            prompt.append(text)
    if not prompt:
        found.append((line, f"poll '{poll_id}' has no question", "write it on the next line"))
        return None
    scale = fields.get("scale")
    if scale and options:
        found.append((scale[1], f"poll '{poll_id}' has both options and a scale",
                      "keep the options or the 'Scale: 1-5' line, not both"))
        return None
    if scale and scale[0].replace(" ", "") not in {"1-5", "1–5"}:
        found.append((scale[1], f"scale '{scale[0]}' is not 1-5", "write 'Scale: 1-5'"))
        return None
    if not scale and not 2 <= len(options) <= MOST_OPTIONS:
        found.append((line, f"poll '{poll_id}' needs 2 to {MOST_OPTIONS} options, or a scale",
                      "list the options as '- ...', or write 'Scale: 1-5'"))
        return None
    for key in ("low", "high"):
        if key in fields and not scale:
            found.append((fields[key][1], f"'{key.capitalize()}:' only applies to a scale", None))
    low, high = (fields.get(key, ("", None)) for key in ("low", "high"))
    return Poll(
        id=poll_id,
        prompt_html=html(" ".join(prompt), line),
        options=tuple(html(text, at) for text, at in options),
        low_html=html(low[0], low[1]) if low[0] and scale else "",
        high_html=html(high[0], high[1]) if high[0] and scale else "",
        line=line,
    )

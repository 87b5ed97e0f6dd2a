"""The ``::: poll {#p-id}`` block: one question put to every learner, answered once.

```
::: poll {#p-framework-law}
Does your country have a framework law on the SSE?
- Yes
- A bill is being discussed
- No
:::
```

or a scale, ``Scale: 1-5`` with optional ``Low:`` and ``High:`` labels. Like the quiz block, the
poll is parsed into a ``Poll`` kept on the Markdown instance (``md.polls``) and leaves a
placeholder in the HTML, which the renderer turns into an ``ACTIVITY_SLOT`` (see render.py);
the page fills it for each reader.
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
from .schema import Poll

_ID_ARG_RE = re.compile(r"^\{#(?P<id>[^}]*)\}$")
_OPTION_RE = re.compile(r"^[-*+][ \t]+(?P<text>.+)$")
_FIELD_RE = re.compile(r"^(?P<key>Scale|Low|High)[ \t]*:[ \t]*(?P<value>.*)$", re.I)
MOST_OPTIONS = 8
ID_HINT = "write its id after the kind, e.g. '::: poll {#p-framework-law}'"


class PollExtension(Extension):
    """Registers ``::: poll``; after ``convert``, ``md.polls`` holds the lesson's polls."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "line_offset": [0, "lines before the Markdown body (front matter)"],
            "slot_marker": ["poll-slot", "the class prefix of the placeholders left in the HTML"],
            "render_fragment": [default_fragment_renderer, "renders the question and options"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.md = md
        md.polls = []  # type: ignore[attr-defined]
        blocks.install(md, int(self.getConfig("line_offset")))["poll"] = self._handle

    def reset(self) -> None:
        self.md.polls = []  # type: ignore[attr-defined]

    def _handle(
        self, parser: BlockParser, parent: etree.Element, arg: str, body: str, line: int | None
    ) -> None:
        found = blocks.problems(self.md)
        poll = parse_poll(arg, blocks.strip_tags(body), line, self.getConfig("render_fragment"),
                          found)
        polls: list[Poll] = self.md.polls  # type: ignore[attr-defined]
        if poll is None:
            return
        if any(other.id == poll.id for other in polls):
            found.append((line, f"poll id '{poll.id}' is used twice in this lesson",
                          "every poll needs its own id"))
            return
        polls.append(poll)
        etree.SubElement(parent, "div",
                         {"class": f"{self.getConfig('slot_marker')}-{len(polls) - 1}"})


def parse_poll(arg: str, body: str, line: int | None, render: FragmentRenderer,
               found: list[blocks.RawProblem]) -> Poll | None:
    """The poll a block holds, or None (with the problems in ``found``)."""
    given_id = _ID_ARG_RE.match(arg.strip())
    if not given_id:
        found.append((line, "poll has no id", ID_HINT))
        return None
    poll_id = given_id["id"].strip().lstrip("#")
    if not ID_RE.match(poll_id):
        found.append((line, f"poll id '{poll_id}' is not valid",
                      "use lowercase letters, digits and hyphens, e.g. p-framework-law"))
        return None

    def html(text: str, at: int | None) -> str:
        rendered, problems = render(text, at, True)
        found.extend(problems)
        return rendered

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

"""``::: KIND ...`` / ``:::`` blocks: callouts and videos (the quiz block plugs in here too).

Python-Markdown's block parser does not know line numbers, yet authors need them in error
messages. So a preprocessor, running right after whitespace normalisation (which strips any STX/ETX
an author typed), tags every ``:::`` line with its line in the lesson file, and the block
processor reads the tag back. A postprocessor removes any tag left in places no block consumed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

# (line in the lesson file or None, message, hint or None)
RawProblem = tuple[int | None, str, str | None]
# Renders one block: (parser, parent element, text after the kind, body text, line of the opener)
BlockHandler = Callable[[BlockParser, etree.Element, str, str, int | None], None]

_MARK = "\x02line:{}\x03"
_MARK_RE = re.compile("\x02line:(\\d+)\x03")
OPENER_RE = re.compile(
    r"^:::[ \t]*(?P<kind>[A-Za-z][\w-]*)(?:[ \t]+(?P<arg>.*?))?[ \t]*"
    "(?:\x02line:(?P<line>\\d+)\x03)?$"
)
CLOSER_RE = re.compile("^:::[ \\t]*(?:\x02line:(?P<line>\\d+)\x03)?$")
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")

CALLOUT_LABELS: dict[str, str] = {
    "key-ideas": "Key ideas",
    "example": "Example",
    "definition": "Definition",
    "note": "Note",
}
CLOSE_HINT = "end it with a line holding only :::"


def problems(md: Markdown) -> list[RawProblem]:
    """The problems found by the ``:::`` blocks during the last ``convert``."""
    return md.content_problems  # type: ignore[attr-defined,no-any-return]


def install(md: Markdown, line_offset: int = 0) -> dict[str, BlockHandler]:
    """Set up the shared ``:::`` machinery once per Markdown instance; return its handlers."""
    if not hasattr(md, "colon_block_handlers"):
        md.colon_block_handlers = {}  # type: ignore[attr-defined]
        md.content_problems = []  # type: ignore[attr-defined]
        md.preprocessors.register(_LineTagger(md, line_offset), "colon_block_lines", 28)
        md.parser.blockprocessors.register(_ColonBlockProcessor(md.parser, md), "colon_block", 105)
        md.postprocessors.register(_TagRemover(md), "colon_block_tags", 1)
    return md.colon_block_handlers  # type: ignore[attr-defined,no-any-return]


class _LineTagger(Preprocessor):
    def __init__(self, md: Markdown, line_offset: int) -> None:
        super().__init__(md)
        self.line_offset = line_offset

    def run(self, lines: list[str]) -> list[str]:
        fence: str | None = None
        tagged = []
        for number, line in enumerate(lines, start=self.line_offset + 1):
            if fence is None:
                opening = _FENCE_RE.match(line)
                if opening:
                    fence = opening.group(1)
                elif line.startswith(":::"):
                    line = line.rstrip() + _MARK.format(number)
            else:
                stripped = line.strip()
                if len(stripped) >= len(fence) and set(stripped) == {fence[0]}:
                    fence = None
            tagged.append(line)
        return tagged


class _TagRemover(Postprocessor):
    def run(self, text: str) -> str:
        return _MARK_RE.sub("", text)


class _ColonBlockProcessor(BlockProcessor):
    """Cut a ``:::`` block (nesting allowed) out of the stream and hand it to its handler."""

    def __init__(self, parser: BlockParser, md: Markdown) -> None:
        super().__init__(parser)
        self.md = md

    def test(self, parent: etree.Element, block: str) -> bool:
        return any(OPENER_RE.match(line) or CLOSER_RE.match(line) for line in block.split("\n"))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        start = next(i for i, ln in enumerate(lines) if OPENER_RE.match(ln) or CLOSER_RE.match(ln))
        if start:
            self.parser.parseBlocks(parent, ["\n".join(lines[:start])])
        report = problems(self.md).append
        closer = CLOSER_RE.match(lines[start])
        if closer:
            line = int(closer["line"]) if closer["line"] else None
            report((line, "':::' closes no block", "remove it, or open a block with '::: KIND'"))
            rest = "\n".join(lines[start + 1 :]).lstrip("\n")
            if rest:
                blocks.insert(0, rest)
            return
        opener = OPENER_RE.match(lines[start])
        assert opener is not None
        line = int(opener["line"]) if opener["line"] else None
        kind, arg = opener["kind"], (opener["arg"] or "").strip()
        joined = "\n\n".join(["\n".join(lines[start:]), *blocks])
        body_lines = joined.split("\n")[1:]
        end = _find_closer(body_lines)
        if end is None:
            report((line, f"'::: {kind}' block is never closed", CLOSE_HINT))
            end = len(body_lines)
        body = "\n".join(body_lines[:end])
        after = "\n".join(body_lines[end + 1 :]).lstrip("\n")
        blocks[:] = after.split("\n\n") if after else []

        handler = self.md.colon_block_handlers.get(kind)  # type: ignore[attr-defined]
        if handler is None:
            known = ", ".join(sorted(self.md.colon_block_handlers))  # type: ignore[attr-defined]
            report((line, f"unknown block kind '::: {kind}'", f"use one of: {known}"))
            parse_body(self.parser, parent, body)
            return
        handler(self.parser, parent, arg, body, line)


def _find_closer(lines: list[str]) -> int | None:
    depth = 1
    for index, line in enumerate(lines):
        if OPENER_RE.match(line):
            depth += 1
        elif CLOSER_RE.match(line):
            depth -= 1
            if depth == 0:
                return index
    return None


def parse_body(parser: BlockParser, parent: etree.Element, body: str) -> None:
    """Parse the inside of a block as ordinary Markdown."""
    body = body.strip("\n")
    if body:
        parser.parseBlocks(parent, body.split("\n\n"))


def strip_tags(text: str) -> str:
    """Remove the line tags from text a handler reads itself (the quiz block does)."""
    return _MARK_RE.sub("", text)


# --- callouts -------------------------------------------------------------------------------


def _callout_handler(kind: str) -> BlockHandler:
    def render(
        parser: BlockParser, parent: etree.Element, arg: str, body: str, line: int | None
    ) -> None:
        aside = etree.SubElement(
            parent, "aside", {"class": f"callout callout-{kind}", "role": "note"}
        )
        title = etree.SubElement(aside, "p", {"class": "callout-title"})
        title.text = arg or CALLOUT_LABELS[kind]  # inline Markdown is processed later
        parse_body(parser, aside, body)

    return render


# --- case studies ---------------------------------------------------------------------------

# The facts every case study gives, in this order; an author writes each label in the lesson's
# language (or in English), and learners read it in the lesson's language.
CASE_FACTS: dict[str, tuple[str, ...]] = {
    "en": ("Where", "Who", "What they did", "What changed", "Source"),
    "fr": ("Où", "Qui", "Ce qu'ils ont fait", "Ce qui a changé", "Source"),
    "es": ("Dónde", "Quién", "Qué hicieron", "Qué cambió", "Fuente"),
}
SOURCE = CASE_FACTS["en"].index("Source")
CASE_STUDY_CLASS = "callout callout-case-study"
CASE_STUDY = {  # the title's label, and what separates it from the case's name
    "en": ("Case study", ": "), "fr": ("Étude de cas", " : "), "es": ("Estudio de caso", ": ")}
_FACT_RE = re.compile(r"^(?P<label>[^:]{2,30}?)[ \t]*:[ \t]+(?P<value>\S.*)$")
_LINK_RE = re.compile(r"\]\(https?://[^)\s]+\)|<https?://[^>\s]+>")


def _case_study_handler(md: Markdown, language: str) -> BlockHandler:
    shown = CASE_FACTS.get(language, CASE_FACTS["en"])
    fact_of = {label.casefold(): index for labels in CASE_FACTS.values()
               for index, label in enumerate(labels)}

    def render(
        parser: BlockParser, parent: etree.Element, arg: str, body: str, line: int | None
    ) -> None:
        report = problems(md).append
        if not arg:
            report((line, "case study has no title", "write '::: case-study Name of the case'"))
        facts: dict[int, str] = {}
        lines = strip_tags(body).strip("\n").split("\n")
        first = None if line is None else line + 1
        taken = 0  # the facts come first, one per line
        while taken < len(lines):
            match = _FACT_RE.match(lines[taken].strip())
            index = fact_of.get(match["label"].strip().casefold()) if match else None
            if index is None:
                break
            facts[index] = match["value"].strip()
            taken += 1
        which = f"case study '{arg}'" if arg else "the case study"
        for index, label in enumerate(CASE_FACTS["en"]):
            if index not in facts:
                report((first, f"{which} has no '{label}:' line",
                        "start the block with Where:, Who:, What they did:, What changed:, "
                        "Source:, one per line"))
        if SOURCE in facts and not _LINK_RE.search(facts[SOURCE]):
            report((first, f"the source of {which} has no link",
                    "write Source: [Title of the source](https://...)"))
        aside = etree.SubElement(
            parent, "aside", {"class": CASE_STUDY_CLASS, "role": "note"})
        title = etree.SubElement(aside, "p", {"class": "callout-title"})
        label, separator = CASE_STUDY.get(language, CASE_STUDY["en"])
        title.text = f"{label}{separator}{arg}" if arg else label
        listing = etree.SubElement(aside, "dl", {"class": "case-facts"})
        for index in sorted(facts):
            etree.SubElement(listing, "dt").text = shown[index]
            etree.SubElement(listing, "dd").text = facts[index]  # inline Markdown comes later
        parse_body(parser, aside, "\n".join(lines[taken:]))

    return render


# --- videos ---------------------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,15}$")


def video_links(url: str) -> tuple[str, str | None]:
    """(link learners follow, privacy-enhanced player URL or None for other hosts)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    video_id = ""
    if host == "youtube.com" and parts.path == "/watch":
        video_id = (parse_qs(parts.query).get("v") or [""])[0]
    elif host in {"youtube.com", "youtube-nocookie.com"} and len(segments) == 2:
        if segments[0] in {"embed", "shorts", "live"}:
            video_id = segments[1]
    elif host == "youtu.be" and len(segments) == 1:
        video_id = segments[0]
    if _YOUTUBE_ID.match(video_id):
        return (
            f"https://www.youtube.com/watch?v={video_id}",
            f"https://www.youtube-nocookie.com/embed/{video_id}",
        )
    if host in {"vimeo.com", "player.vimeo.com"} and segments:
        vimeo_id = segments[-1]
        if _VIMEO_ID.match(vimeo_id):
            return (
                f"https://vimeo.com/{vimeo_id}",
                f"https://player.vimeo.com/video/{vimeo_id}?dnt=1",
            )
    return url, None


def _video_handler(md: Markdown) -> BlockHandler:
    def render(
        parser: BlockParser, parent: etree.Element, arg: str, body: str, line: int | None
    ) -> None:
        report = problems(md).append
        url = arg.strip()
        if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).hostname:
            report((line, f"'{url}' is not a video address", "write ::: video https://..."))
            return
        title = " ".join(strip_tags(body).split())
        if not title:
            report((line, "video has no title", "write the title on the line after '::: video'"))
            title = url
        watch, embed = video_links(url)
        paragraph = etree.SubElement(parent, "p", {"class": "video"})
        attributes = {"href": watch, "rel": "noopener noreferrer", "class": "video-link"}
        if embed:
            attributes["data-embed"] = embed
        link = etree.SubElement(paragraph, "a", attributes)
        link.text = AtomicString(f"{title} (video)")

    return render


class BlocksExtension(Extension):
    """Callouts (``::: note Title``), case studies (``::: case-study Title``) and videos
    (``::: video URL``)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "line_offset": [0, "lines before the Markdown body (front matter)"],
            "language": ["en", "the lesson's language, for the labels the blocks show"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.md = md
        handlers = install(md, int(self.getConfig("line_offset")))
        for kind in CALLOUT_LABELS:
            handlers[kind] = _callout_handler(kind)
        handlers["video"] = _video_handler(md)
        handlers["case-study"] = _case_study_handler(md, self.getConfig("language"))

    def reset(self) -> None:
        problems(self.md).clear()

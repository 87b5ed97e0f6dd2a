"""Lesson Markdown -> safe HTML, plus the quiz and the media files it uses.

A fresh ``Markdown`` instance per call: Python-Markdown instances keep state between documents
and are not thread-safe. Links and images are checked and rewritten to the platform's URLs:

- ``lesson:ID``     -> ``/courses/<slug>/lessons/<ID>``
- ``lesson:SLUG/ID`` -> ``/courses/<SLUG>/lessons/<ID>``, a lesson of another course (always live)
- ``glossary:ID``   -> ``/glossary#<ID>``
- relative files    -> ``/media/<slug>/<path relative to the course folder>``

Each cell of a table's body carries its column's header text as ``data-label``, so that on a
phone the stylesheet can show the rows as labelled cards.

The output always goes through ``sanitize.clean``, whatever the Markdown produced.
"""

from __future__ import annotations

import difflib
import re
import secrets
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import markdown
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from . import blocks
from .activities import ActivitiesExtension
from .blocks import BlocksExtension, RawProblem
from .quiz_block import QuizExtension
from .sanitize import clean, clean_inline, clean_post
from .schema import ACTIVITY_SLOT, QUIZ_SLOT, ContentProblem, Poll, Quiz, Reflection

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".svg", ".webp"})
_SAFE_SCHEMES = {"http", "https", "mailto"}


def lesson_url(slug: str, lesson_id: str) -> str:
    return f"/courses/{slug}/lessons/{lesson_id}"


def media_url(slug: str, relative_path: str) -> str:
    return f"/media/{slug}/{quote(relative_path)}"


def glossary_url(term_id: str) -> str:
    return f"/glossary#{term_id}"


@dataclass(frozen=True)
class Addresses:
    """Where a lesson's links and images lead: the live course by default; an instructor's
    preview of a folder passes its own, so that a preview never leaves the folder."""

    lesson: Callable[[str, str, str], str] = (  # (course slug, lesson id, language) -> URL
        lambda slug, lesson_id, language: lesson_url(slug, lesson_id))
    media: Callable[[str, str], str] = media_url  # (course slug, path in the folder) -> URL


LIVE = Addresses()


@dataclass(frozen=True)
class RenderContext:
    """What a lesson needs to know about its course to resolve links and report problems."""

    course_slug: str
    course_dir: Path
    source_path: Path  # the lesson file: relative paths resolve from its folder
    file: str  # the lesson file as shown in problems, e.g. "my-course/lessons/intro.md"
    lesson_ids: frozenset[str]
    glossary_ids: frozenset[str] | None = None  # None: glossary links are not checked
    line_offset: int = 0  # lines before the Markdown body (the front matter)
    language: str = ""  # the lesson's language, for links to other lessons in it
    addresses: Addresses = LIVE
    # The lesson ids of the courses beside this one, by slug; None: links to them are not checked.
    other_lessons: Mapping[str, frozenset[str]] | None = None


@dataclass
class RenderResult:
    html: str  # holds QUIZ_SLOT, once, where the quiz block was, and an ACTIVITY_SLOT per activity
    quiz: Quiz | None
    problems: list[ContentProblem]
    media: dict[str, Path] = field(default_factory=dict)  # relative to the course folder
    activities: tuple[Poll | Reflection, ...] = ()


def render_lesson(body: str, ctx: RenderContext) -> RenderResult:
    """Render a lesson body (the text after its front matter)."""
    raw: list[RawProblem] = []
    media: dict[str, Path] = {}

    def fragment(text: str, line: int | None, inline: bool) -> tuple[str, list[RawProblem]]:
        return _render_fragment(text, ctx, line, inline, media)

    marker = f"quiz-slot-{secrets.token_hex(16)}"  # no author can write it in advance
    activity_marker = f"activity-slot-{secrets.token_hex(16)}"
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "def_list",
            "attr_list",
            "fenced_code",
            "sane_lists",
            BlocksExtension(line_offset=ctx.line_offset, language=ctx.language or "en"),
            QuizExtension(line_offset=ctx.line_offset, render_fragment=fragment,
                          slot_marker=marker),
            ActivitiesExtension(line_offset=ctx.line_offset, render_fragment=fragment,
                                slot_marker=activity_marker),
        ],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    md.treeprocessors.register(_LinkChecker(md, ctx, body, None, raw, media), "content_links", 5)
    md.treeprocessors.register(_TableLabels(md), "table_labels", -1)  # after "unescape" (0)
    html = clean(md.convert(body)).replace(f'<div class="{marker}"></div>', QUIZ_SLOT)
    activities: list[Poll | Reflection] = md.activities  # type: ignore[attr-defined]

    def slot(found: re.Match) -> str:
        activity = activities[int(found[1])]
        kind = "poll" if isinstance(activity, Poll) else "reflection"
        return ACTIVITY_SLOT.format(kind=kind, id=activity.id)

    html = re.sub(f'<div class="{activity_marker}-(\\d+)"></div>', slot, html)
    raw = blocks.problems(md) + raw
    problems = [ContentProblem(ctx.file, line, message, hint) for line, message, hint in raw]
    problems.sort(key=lambda p: p.line if p.line is not None else 0)
    return RenderResult(html, md.quiz, problems, media, tuple(activities))  # type: ignore[attr-defined]


def render_text(text: str, inline: bool = False) -> str:
    """Markdown outside a lesson (a glossary definition): no links to check, same allowlist."""
    html = markdown.markdown(text, extensions=["attr_list", "sane_lists"], output_format="html")
    paragraph = re.fullmatch(r"<p>(.*)</p>", html, flags=re.DOTALL)
    if inline and paragraph and "<p>" not in paragraph[1]:
        return clean_inline(paragraph[1])
    return clean(html)


_per_thread = threading.local()


def render_post(text: str) -> str:
    """A learner's post: Markdown without raw HTML (written tags show as text) or images,
    then the posts' allowlist. One Markdown instance per thread, reset for each post."""
    md = getattr(_per_thread, "post_md", None)
    if md is None:
        md = markdown.Markdown(extensions=["sane_lists", "fenced_code"], output_format="html")
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        for images in ("image_link", "image_reference", "short_image_ref"):
            md.inlinePatterns.deregister(images)  # written as links to the picture instead
        _per_thread.post_md = md
    md.reset()
    return clean_post(md.convert(text))


def _fragment_markdown() -> Markdown:
    """One reusable instance per thread: a course has hundreds of fragments (choices,
    feedback), and building a Markdown instance costs more than converting a line."""
    md = getattr(_per_thread, "fragment_md", None)
    if md is None:
        md = markdown.Markdown(extensions=["attr_list", "sane_lists"], output_format="html")
        _per_thread.fragment_md = md
    md.reset()
    return md


def _render_fragment(
    text: str, ctx: RenderContext, line: int | None, inline: bool, media: dict[str, Path]
) -> tuple[str, list[RawProblem]]:
    found: list[RawProblem] = []
    md = _fragment_markdown()
    md.treeprocessors.register(_LinkChecker(md, ctx, text, line, found, media), "content_links", 5)
    html = md.convert(text)
    paragraph = re.fullmatch(r"<p>(.*)</p>", html, flags=re.DOTALL)
    if inline and paragraph and "<p>" not in paragraph[1]:
        return clean_inline(paragraph[1]), found
    return clean(html), found


class _LinkChecker(Treeprocessor):
    """Check and rewrite links and images; report H1 headings; move table alignment to classes."""

    def __init__(
        self,
        md: Markdown,
        ctx: RenderContext,
        source: str,
        fixed_line: int | None,
        found: list[RawProblem],
        media: dict[str, Path],
    ) -> None:
        super().__init__(md)
        self.ctx, self.fixed_line, self.found, self.media = ctx, fixed_line, found, media
        self.lines = source.split("\n")

    def line_of(self, needle: str) -> int | None:
        if self.fixed_line is not None:
            return self.fixed_line
        whole = re.compile(re.escape(needle) + r"(?![\w/#.-])")  # not the start of a longer one
        for index, line in enumerate(self.lines):
            if whole.search(line):
                return self.ctx.line_offset + index + 1
        return None

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and "href" in element.attrib:
                self.link(element)
            elif element.tag == "img":
                self.image(element)
            elif element.tag == "h1":
                line = self.fixed_line or next(
                    (
                        self.ctx.line_offset + i + 1
                        for i, ln in enumerate(self.lines)
                        if re.match(r"^#(?!#)|^=+\s*$", ln)
                    ),
                    None,
                )
                self.found.append(
                    (
                        line,
                        "lessons have no '#' heading in their text",
                        "the title comes from the front matter; use '##' for sections",
                    )
                )
            elif element.tag in {"th", "td"} and "align" in element.attrib:
                element.set("class", f"align-{element.attrib.pop('align')}")

    def link(self, element: etree.Element) -> None:
        href = element.get("href", "").strip()
        ctx = self.ctx
        if href.startswith("lesson:"):
            target, _, anchor = href.removeprefix("lesson:").partition("#")
            slug, _, other = target.rpartition("/")
            if slug and slug != ctx.course_slug:
                self.other_course_link(element, href, slug, other, anchor)
                return
            target = other
            if target not in ctx.lesson_ids:
                self.found.append(
                    (
                        self.line_of(href),
                        f"link to unknown lesson '{target}'",
                        _suggest(target, ctx.lesson_ids, "lesson ids are in course.yml"),
                    )
                )
            element.set(
                "href", ctx.addresses.lesson(ctx.course_slug, target, ctx.language)
                + (f"#{anchor}" if anchor else "")
            )
            return
        if href.startswith("glossary:"):
            term = href.removeprefix("glossary:")
            if ctx.glossary_ids is not None and term not in ctx.glossary_ids:
                self.found.append(
                    (
                        self.line_of(href),
                        f"link to unknown glossary term '{term}'",
                        _suggest(term, ctx.glossary_ids, "terms are in courses/glossary.yml"),
                    )
                )
            element.set("href", glossary_url(term))
            return
        parts = urlsplit(href)
        if parts.scheme:
            if parts.scheme.lower() not in _SAFE_SCHEMES:
                self.found.append(
                    (
                        self.line_of(href),
                        f"link to '{href}' is not allowed",
                        "links may use http, https, mailto, lesson: and glossary:",
                    )
                )
            return
        if not parts.path or href.startswith(("/", "#")):
            return
        relative = self.course_file(parts.path, href, "link")
        if relative is not None:
            element.set("href", ctx.addresses.media(ctx.course_slug, relative))

    def other_course_link(self, element: etree.Element, href: str, slug: str, lesson_id: str,
                          anchor: str) -> None:
        """A link to a lesson of another course leads to that course as it is live, even from
        a preview: the preview shows one folder."""
        known = self.ctx.other_lessons
        if known is not None and lesson_id not in known.get(slug, frozenset()):
            hint = (_suggest(lesson_id, known[slug], f"lesson ids are in {slug}'s course.yml")
                    if slug in known else
                    _suggest(slug, frozenset(known), "write lesson:COURSE-SLUG/LESSON-ID"))
            self.found.append((self.line_of(href), f"link to unknown lesson '{slug}/{lesson_id}'",
                               hint))
        element.set("href", lesson_url(slug, lesson_id) + (f"#{anchor}" if anchor else ""))

    def image(self, element: etree.Element) -> None:
        src = element.get("src", "").strip()
        line = self.line_of(src) if src else self.line_of("![")
        if not element.get("alt", "").strip():
            self.found.append(
                (
                    line,
                    f"image '{src}' has no alt text",
                    "describe what it shows: ![what the image shows](path)",
                )
            )
        parts = urlsplit(src)
        if not src or parts.scheme or parts.netloc or src.startswith("/"):
            self.found.append(
                (
                    line,
                    f"image '{src}' is not a file of the course",
                    "put the file in the course folder and use a relative path",
                )
            )
            element.set("src", "")
            return
        relative = self.course_file(parts.path, src, "image")
        if relative is None:
            element.set("src", "")
            return
        if Path(relative).suffix.lower() not in IMAGE_SUFFIXES:
            self.found.append((line, f"image '{src}' is not PNG, JPEG, SVG or WebP", None))
        element.set("src", self.ctx.addresses.media(self.ctx.course_slug, relative))
        element.set("loading", "lazy")

    def course_file(self, path: str, written: str, what: str) -> str | None:
        """The path relative to the course folder of a file the lesson points to, if it exists."""
        course = self.ctx.course_dir.resolve()
        target = (self.ctx.source_path.parent / unquote(path)).resolve()
        line = self.line_of(written)
        if not target.is_relative_to(course):
            self.found.append(
                (
                    line,
                    f"{what} '{written}' is outside the course folder",
                    "keep the files a course uses inside its folder",
                )
            )
            return None
        if not target.is_file():
            hint = "paths are relative to the lesson file, e.g. ../images/chart.svg"
            if what == "link":
                hint = "link to lessons with lesson:ID; to files with a path relative to the lesson"
            self.found.append(
                (line, f"{what} '{written}' points to a file that does not exist", hint)
            )
            return None
        relative = target.relative_to(course).as_posix()
        self.media[relative] = target
        return relative


class _TableLabels(Treeprocessor):
    """Give each body cell of a table its column header's text as ``data-label``."""

    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            header = table.find("thead/tr")
            if header is None:
                continue
            labels = [_plain_text(th) for th in header.findall("th")]
            for row in table.iterfind("tbody/tr"):
                for cell, label in zip(row.findall("td"), labels, strict=False):
                    if label:
                        cell.set("data-label", label)


def _plain_text(element: etree.Element) -> str:
    """An element's text as a reader sees it, without the placeholders of raw HTML."""
    return " ".join(HTML_PLACEHOLDER_RE.sub("", "".join(element.itertext())).split())


def _suggest(wrong: str, known: frozenset[str], fallback: str) -> str:
    close = difflib.get_close_matches(wrong, sorted(known), n=1)
    return f"did you mean '{close[0]}'?" if close else fallback

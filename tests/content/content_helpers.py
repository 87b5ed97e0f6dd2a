"""Helpers for the content tests: small course folders, and the example of docs/authoring.md."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'

WriteCourse = Callable[..., Path]


def docs_block(after: str) -> str:
    """The first fenced block that follows the text ``after`` in docs/authoring.md."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(after)
    match = re.compile(r"^```[a-z]*\n(.*?)^```$", re.S | re.M).search(text, start)
    assert match, f"no code block after {after!r}"
    return match.group(1)


def course_yml(lessons: list[str] | dict[str, list[str]], **extra: str) -> str:
    """A valid course.yml listing ``lessons`` (one module, or {module id: lessons})."""
    modules = lessons if isinstance(lessons, dict) else {"main": lessons}
    text = textwrap.dedent(
        """\
        slug: demo
        title: Demo course
        summary: A course for tests.
        language: en
        level: introductory
        estimated_hours: 1
        authors: [Ada]
        licence: CC-BY-4.0
        """
    )
    for key, value in extra.items():
        text += f"{key}: {value}\n"
    text += "modules:\n"
    for module_id, ids in modules.items():
        text += f"  - id: {module_id}\n    title: Module {module_id}\n    lessons:\n"
        text += "".join(f"      - {lesson_id}\n" for lesson_id in ids)
    # Last, so that the lines above keep their numbers.
    return text + "objectives: [Tell a test from a course, Read a course file]\naudience: Tests.\n"


def lesson(
    lesson_id: str, body: str = "Some text.\n", title: str = "A lesson", minutes: str = "5"
) -> str:
    """A lesson file: 6 lines of front matter, so the body starts on line 7."""
    return (f"---\nid: {lesson_id}\ntitle: {title}\nminutes: {minutes}\n"
            f"objectives: [Read a lesson, Answer its quiz]\n---\n") + textwrap.dedent(body)

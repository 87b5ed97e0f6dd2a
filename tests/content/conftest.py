"""Fixtures: write small course folders in tmp_path; the example course of docs/authoring.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from .content_helpers import SVG, WriteCourse, docs_block, lesson


@pytest.fixture
def write_course(tmp_path: Path) -> WriteCourse:
    """write_course({"course.yml": ..., "lessons/a.md": ...}, name="demo") -> the course folder."""

    def write(files: dict[str, str | bytes], name: str = "demo") -> Path:
        folder = tmp_path / name
        for relative, content in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def docs_example(tmp_path: Path) -> Path:
    """The three-file course of docs/authoring.md, with the files it mentions but does not show."""
    root = tmp_path / "courses"
    folder = root / "sse-in-a-nutshell"
    files = {
        "course.yml": docs_block("`course.yml`:"),
        "lessons/what-is-the-sse.md": docs_block("`lessons/what-is-the-sse.md`:"),
        "lessons/check-your-understanding.md": docs_block("`lessons/check-your-understanding.md`"),
        "lessons/who-is-in-the-sse.md": lesson("who-is-in-the-sse", "Cooperatives, mutuals...\n"),
        "images/cover.svg": SVG,
        "images/entities.svg": SVG,
    }
    for relative, content in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(content, encoding="utf-8")
    glossary = docs_block("### The glossary: `courses/glossary.yml`")
    (root / "glossary.yml").write_text(glossary, encoding="utf-8")
    (root / "programmes").mkdir()
    programme = docs_block("### Programmes: `courses/programmes/*.yml`")
    (root / "programmes" / "awareness.yml").write_text(programme, encoding="utf-8")
    return folder

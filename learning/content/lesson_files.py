"""A course's ``lessons/`` folder -> its lesson files, each matched to its place in course.yml.

A file's language comes from its name (``intro.md`` in the course's language, ``intro.fr.md`` a
French translation) and its lesson from the ``id`` of its front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .course_file import OutlineEntry
from .schema import LANGUAGES, ContentProblem
from .yamlfile import (
    Report,
    YamlMap,
    check_flag,
    check_keys,
    check_number,
    check_slug,
    check_text,
    check_text_list,
    line_of,
    load_yaml,
    read_text,
)

LESSON_KEYS = {"id", "title", "minutes", "summary", "objectives", "translates", "discussion"}
LESSON_REQUIRED = ("id", "title", "minutes")  # and objectives, checked with their own hint
OBJECTIVES = (2, 4)  # how many things a lesson says its learner will be able to do
OBJECTIVES_HINT = "list what the learner will be able to do after the lesson, one '- ...' each"


@dataclass
class LessonFile:
    path: Path
    display: str
    language: str
    source: str
    body: str
    body_offset: int
    id: str | None = None
    id_line: int | None = None
    title: str = ""
    minutes: float = 0
    summary: str | None = None
    objectives: tuple[str, ...] = ()
    translates: str | None = None  # a translation: the version of the main file it translates
    translates_line: int | None = None
    discussion: bool | None = None  # None: as the course says
    discussion_line: int | None = None
    broken: bool = False  # front matter unreadable: ``id`` is a guess, to avoid a second error


@dataclass
class LessonFiles:
    """The readable files of the lessons course.yml lists, one per lesson and language."""

    main: dict[str, LessonFile]  # lesson id -> its file in the course's language
    translated: dict[tuple[str, str], LessonFile]  # (lesson id, language) -> file


def read_lesson_files(
    course_dir: Path,
    outline: list[OutlineEntry],
    language: str,
    display: Callable[[Path], str],
    problems: list[ContentProblem],
) -> LessonFiles:
    """Every lesson file, checked against the outline: a file no lesson lists, a second file
    for the same lesson, and a listed lesson without a file are all reported."""
    course_yml = Report(display(course_dir / "course.yml"), problems)
    listed = {entry.lesson_id for entry in outline}
    found = LessonFiles({}, {})
    broken_ids: set[str] = set()
    for lesson in _lesson_files(course_dir, language, display, course_yml, problems):
        report = Report(lesson.display, problems)
        if lesson.id is None:
            continue
        if lesson.broken:
            broken_ids.add(lesson.id)
            continue
        if lesson.id not in listed:
            report(
                lesson.id_line,
                f"lesson '{lesson.id}' is not listed in course.yml",
                "add its id to a module's lessons in course.yml",
            )
            continue
        key = (lesson.id, lesson.language)
        is_main = lesson.language == language
        taken = found.main.get(lesson.id) if is_main else found.translated.get(key)
        if taken is not None:
            report(
                lesson.id_line,
                f"duplicate lesson id '{lesson.id}' (also in {taken.display})",
                "every lesson file needs its own id",
            )
            continue
        if is_main:
            found.main[lesson.id] = lesson
        else:
            found.translated[key] = lesson
    for entry in outline:
        if entry.lesson_id not in found.main and entry.lesson_id not in broken_ids:
            course_yml(
                entry.line,
                f"lesson '{entry.lesson_id}' is listed but no lesson file has this id",
                f"create lessons/{entry.lesson_id}.md with 'id: {entry.lesson_id}' in its "
                "front matter",
            )
    return found


def _lesson_files(
    course_dir: Path,
    language: str,
    display: Callable[[Path], str],
    course_yml: Report,
    problems: list[ContentProblem],
) -> list[LessonFile]:
    lessons_dir = course_dir / "lessons"
    if not lessons_dir.is_dir():
        course_yml(None, "the course has no lessons/ folder", None)
        return []
    found = []
    for path in sorted(lessons_dir.glob("*.md")):
        report = Report(display(path), problems)
        stem = path.name[: -len(".md")]
        suffix = stem.rpartition(".")[2] if "." in stem else ""
        lang = language
        if re.fullmatch(r"[a-z]{2}", suffix):
            if suffix not in LANGUAGES:
                report(
                    None,
                    f"'{suffix}' is not a supported language",
                    "translations end in .en.md, .fr.md or .es.md",
                )
                continue
            if suffix == language:
                report(
                    None,
                    f"'.{suffix}.md' is the course's main language",
                    f"name the file {stem[:-3]}.md",
                )
                continue
            lang = suffix
        text = read_text(path, report)
        if text is not None:
            found.append(_parse_lesson(path, display(path), lang, text, report))
    return found


def _parse_lesson(path: Path, shown: str, language: str, text: str, report: Report) -> LessonFile:
    """Front matter and body; an unreadable front matter gives a ``broken`` lesson."""
    lines = text.split("\n")
    broken = LessonFile(path, shown, language, text, "", 0, broken=True)
    # Guess the id, so the lesson is not also reported as missing from course.yml.
    written = re.search(r"^id:[ \t]*([a-z0-9-]+)[ \t]*$", text, re.M)
    broken.id = written[1] if written else path.name.split(".")[0]
    if lines[0].strip() != "---":
        report(
            1,
            "the lesson has no front matter",
            "start the file with ---, id:, title:, minutes:, ---",
        )
        return broken
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
    if end is None:
        report(1, "the front matter is never closed", "end it with a line holding only ---")
        return broken
    lesson = LessonFile(path, shown, language, text, "\n".join(lines[end + 1 :]), end + 1)
    data = load_yaml("\n".join(lines[1:end]), report, offset=1)
    if not isinstance(data, YamlMap):
        if data is not None:
            report(2, "the front matter must be keys and values (id:, title:, minutes:)", None)
        return broken
    where = "the front matter"
    check_keys(data, LESSON_KEYS, LESSON_REQUIRED, report, where)
    lesson.id, lesson.id_line = check_slug(data, "id", report, where), line_of(data, "id")
    lesson.title = check_text(data, "title", report, where) or ""
    lesson.minutes = check_number(data, "minutes", report, where) or 0
    lesson.summary = check_text(data, "summary", report, where)
    lesson.objectives = check_text_list(data, "objectives", report, where, OBJECTIVES,
                                        OBJECTIVES_HINT)
    lesson.translates = check_text(data, "translates", report, where)
    lesson.translates_line = line_of(data, "translates")
    if "discussion" in data:
        lesson.discussion = check_flag(data, "discussion", report, where, True)
        lesson.discussion_line = line_of(data, "discussion")
    return lesson

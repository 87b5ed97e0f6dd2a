"""A course folder's ``course.yml`` -> what the course says about itself, checked key by key.

Its values are only trusted when no problem was reported; until then they are what could be
read (None where a value is missing or wrong): enough to check the lesson files against the
outline, and to show a preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .render import IMAGE_SUFFIXES
from .schema import LANGUAGES, LEVELS, CourseTranslation, Module
from .yamlfile import (
    Report,
    YamlMap,
    check_flag,
    check_id_list,
    check_keys,
    check_number,
    check_slug,
    check_text,
    check_text_list,
    line_of,
    load_yaml,
    read_text,
)

COURSE_REQUIRED = (
    "slug",
    "title",
    "summary",
    "language",
    "level",
    "estimated_hours",
    "authors",
    "licence",
    "audience",
    "modules",
)  # and objectives, checked with their own hint
COURSE_KEYS = {*COURSE_REQUIRED, "objectives", "cover", "cover_alt", "certificate", "completion",
               "translations", "discussion", "anonymous_sharing"}
OBJECTIVES = (2, 6)
OBJECTIVES_HINT = "list what the learner will be able to do after the course, one '- ...' each"


class OutlineEntry(NamedTuple):
    """One lesson in course order, as the modules of course.yml list it."""

    lesson_id: str
    module_id: str
    line: int | None  # in course.yml


@dataclass
class CourseFile:
    """course.yml as read: its text (for the course's hash) and its checked values."""

    source: str
    slug: str | None
    title: str | None
    summary: str | None
    objectives: tuple[str, ...]
    audience: str | None  # who the course is for
    licence: str | None
    estimated_hours: float | None
    language: str | None
    level: str | None
    authors: list[str]
    cover: str | None  # path relative to the course folder
    cover_alt: str | None
    certificate: bool
    discussion: bool  # a discussion under each lesson (a lesson may turn its own off)
    anonymous_sharing: bool  # learners may share a reflection without their name
    modules: list[Module]
    outline: list[OutlineEntry]
    completion_lessons: list[str] | None  # None: all lessons
    completion_quizzes: str
    completion_reflections: bool
    translations: dict[str, CourseTranslation]
    media: dict[str, Path]  # the cover: path relative to the course folder -> file

    @property
    def lesson_ids(self) -> list[str]:
        """The ids of the lessons in course order."""
        return [entry.lesson_id for entry in self.outline]


def read_course_file(course_dir: Path, report: Report) -> CourseFile | None:
    """The folder's course.yml, checked; None when it is missing, unreadable or not a mapping."""
    path = course_dir / "course.yml"
    if not path.is_file():
        report(
            None,
            "the course folder has no course.yml",
            "every course folder starts with a course.yml",
        )
        return None
    text = read_text(path, report)
    if text is None:
        return None
    data = load_yaml(text, report)
    if not isinstance(data, YamlMap):
        if not report.count:
            report(1, "course.yml must be a mapping (slug:, title:, ...)", None)
        return None
    return _check_course(text, data, course_dir, report)


def _check_course(source: str, data: YamlMap, course_dir: Path, report: Report) -> CourseFile:
    where = "course.yml"
    check_keys(data, COURSE_KEYS, COURSE_REQUIRED, report, where)
    slug = check_slug(data, "slug", report, where)
    title = check_text(data, "title", report, where)
    summary = check_text(data, "summary", report, where)
    objectives = check_text_list(data, "objectives", report, where, OBJECTIVES, OBJECTIVES_HINT)
    audience = check_text(data, "audience", report, where)
    licence = check_text(data, "licence", report, where)
    estimated_hours = check_number(data, "estimated_hours", report, where)
    cover_alt = check_text(data, "cover_alt", report, where)
    language = _one_of(data, "language", LANGUAGES, report)
    level = _one_of(data, "level", LEVELS, report)
    authors = _authors(data, report)

    media: dict[str, Path] = {}
    cover = None
    if data.get("cover") is not None:
        cover = _cover(data, course_dir, report, media)
        if cover_alt is None:
            report(
                line_of(data, "cover"),
                "cover has no cover_alt",
                "describe the cover image in cover_alt",
            )
    modules, outline = _modules(data, report)
    completion_lessons, completion_quizzes, completion_reflections = _completion(
        data, outline, report)
    translations = _translations(data, language, modules, report)
    return CourseFile(
        source=source,
        slug=slug,
        title=title,
        summary=summary,
        objectives=objectives,
        audience=audience,
        licence=licence,
        estimated_hours=estimated_hours,
        language=language,
        level=level,
        authors=authors,
        cover=cover,
        cover_alt=cover_alt,
        certificate=check_flag(data, "certificate", report, where, True),
        discussion=check_flag(data, "discussion", report, where, True),
        anonymous_sharing=check_flag(data, "anonymous_sharing", report, where, True),
        modules=modules,
        outline=outline,
        completion_lessons=completion_lessons,
        completion_quizzes=completion_quizzes,
        completion_reflections=completion_reflections,
        translations=translations,
        media=media,
    )


def _one_of(data: YamlMap, key: str, allowed: tuple[str, ...], report: Report) -> str | None:
    value = data.get(key)
    if value is not None and value not in allowed:
        report(line_of(data, key), f"{key} '{value}' is not one of {', '.join(allowed)}", None)
        return None
    return value


def _authors(data: YamlMap, report: Report) -> list[str]:
    authors = data.get("authors")
    if authors is not None and (
        not isinstance(authors, list)
        or not authors
        or not all(isinstance(a, str) and a.strip() for a in authors)
    ):
        report(
            line_of(data, "authors"),
            "authors must be a list of names",
            "write one '- Name' per line",
        )
    return [a.strip() for a in authors if isinstance(a, str)] if isinstance(authors, list) else []


def _cover(
    data: YamlMap, course_dir: Path, report: Report, media: dict[str, Path]
) -> str | None:
    cover, line = data.get("cover"), line_of(data, "cover")
    if not isinstance(cover, str) or not cover.strip():
        report(
            line, "cover must be the path of an image in the course folder", "e.g. images/cover.svg"
        )
        return None
    target = (course_dir / cover).resolve()
    if not target.is_relative_to(course_dir):
        report(line, f"cover '{cover}' is outside the course folder", None)
    elif not target.is_file():
        report(line, f"cover '{cover}' does not exist", "paths are relative to the course folder")
    elif target.suffix.lower() not in IMAGE_SUFFIXES:
        report(line, f"cover '{cover}' is not PNG, JPEG, SVG or WebP", None)
    else:
        relative = target.relative_to(course_dir).as_posix()
        media[relative] = target
        return relative
    return None


def _modules(data: YamlMap, report: Report) -> tuple[list[Module], list[OutlineEntry]]:
    raw = data.get("modules")
    if raw is None:
        return [], []
    if not isinstance(raw, list) or not raw:
        report(
            line_of(data, "modules"),
            "modules must be a list",
            "each module has an id, a title and lessons",
        )
        return [], []
    modules: list[Module] = []
    outline: list[OutlineEntry] = []
    seen_lessons: dict[str, int | None] = {}
    seen_modules: set[str] = set()
    for entry in raw:
        if not isinstance(entry, YamlMap):
            report(
                line_of(data, "modules"), "each module must have an id, a title and lessons", None
            )
            continue
        where = "a module"
        check_keys(entry, {"id", "title", "lessons"}, ("id", "title", "lessons"), report, where)
        module_id = check_slug(entry, "id", report, where)
        title = check_text(entry, "title", report, where)
        ids = check_id_list(entry.get("lessons", []), report, line_of(entry, "lessons"), "lessons")
        if "lessons" in entry and not ids and isinstance(entry.get("lessons"), list):
            report(line_of(entry, "lessons"), f"module '{module_id}' has no lessons", None)
        if module_id in seen_modules:
            report(line_of(entry, "id"), f"duplicate module id '{module_id}'", None)
        if module_id is None or title is None:
            continue
        seen_modules.add(module_id)
        kept = []
        for lesson_id, line in ids:
            if lesson_id in seen_lessons:
                report(
                    line,
                    f"duplicate lesson id '{lesson_id}' in course.yml",
                    f"it is already listed on line {seen_lessons[lesson_id]}",
                )
                continue
            seen_lessons[lesson_id] = line
            kept.append(lesson_id)
            outline.append(OutlineEntry(lesson_id, module_id, line))
        modules.append(Module(module_id, title, tuple(kept)))
    return modules, outline


def _completion(
    data: YamlMap, outline: list[OutlineEntry], report: Report
) -> tuple[list[str] | None, str, bool]:
    """The lessons a learner must complete (None: all of them), whether quizzes count and
    whether reflections do."""
    raw = data.get("completion", YamlMap())
    if not isinstance(raw, YamlMap):
        report(
            line_of(data, "completion"),
            "completion must have 'lessons:', 'quizzes:' and/or 'reflections:'", None
        )
        return None, "graded", False
    check_keys(raw, {"lessons", "quizzes", "reflections"}, (), report, "completion")
    lessons: Any = raw.get("lessons", "all")
    if lessons == "all":
        lessons = None
    else:
        known = {entry.lesson_id for entry in outline}
        ids = check_id_list(lessons, report, line_of(raw, "lessons"), "completion lessons")
        for lesson_id, line in ids:
            if lesson_id not in known:
                report(
                    line,
                    f"completion lists '{lesson_id}', which is not a lesson of the course",
                    None,
                )
        lessons = [lesson_id for lesson_id, _ in ids]
    quizzes = raw.get("quizzes", "graded")
    if quizzes not in {"graded", "none"}:
        report(
            line_of(raw, "quizzes"),
            f"completion quizzes '{quizzes}' is not 'graded' or 'none'",
            None,
        )
        quizzes = "graded"
    return lessons, quizzes, check_flag(raw, "reflections", report, "completion", False)


def _translations(
    data: YamlMap, language: str | None, modules: list[Module], report: Report
) -> dict[str, CourseTranslation]:
    raw = data.get("translations", YamlMap())
    if not isinstance(raw, YamlMap):
        report(
            line_of(data, "translations"),
            "translations must map a language code to its texts",
            None,
        )
        return {}
    result: dict[str, CourseTranslation] = {}
    module_ids = {module.id for module in modules}
    for lang, value in raw.items():
        if lang not in LANGUAGES or lang == language:
            report(
                line_of(raw, lang),
                f"'{lang}' is not a translation language of this course",
                "use en, fr or es, other than the course's language",
            )
            continue
        if not isinstance(value, YamlMap):
            report(
                line_of(raw, lang),
                f"translation '{lang}' must have title, summary and modules",
                None,
            )
            continue
        where = f"translation '{lang}'"
        check_keys(value, {"title", "summary", "modules", "objectives", "audience", "cover_alt"},
                   (), report, where)
        titles = value.get("modules", YamlMap())
        if not isinstance(titles, YamlMap):
            report(
                line_of(value, "modules"), "translated modules map a module id to its title", None
            )
            titles = YamlMap()
        for module_id, title in titles.items():
            if module_id not in module_ids:
                report(line_of(titles, module_id), f"unknown module '{module_id}' in {where}", None)
            elif not isinstance(title, str) or not title.strip():
                report(line_of(titles, module_id), f"module title in {where} must be text", None)
        objectives = ()
        if "objectives" in value:
            objectives = check_text_list(value, "objectives", report, where, OBJECTIVES,
                                         "translate each objective, in the same order")
        result[lang] = CourseTranslation(
            check_text(value, "title", report, where),
            check_text(value, "summary", report, where),
            {str(k): str(v).strip() for k, v in titles.items() if k in module_ids},
            objectives,
            check_text(value, "audience", report, where),
            check_text(value, "cover_alt", report, where),
        )
    return result

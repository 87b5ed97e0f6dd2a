"""Course folders on disk -> validated, rendered ``Course`` objects.

The loader never stops at the first problem: authors fix a whole list at once. Every problem
names its file (relative to the folder holding the course folders) and, when it can, the line.
A course with any problem is not returned (``course`` is None), so nothing half-valid is imported.
The format is the contract in docs/authoring.md. Each kind of file is read by a module of its
own (course_file, lesson_files, glossary, programme, all through yamlfile); this one puts the
pieces together.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .course_file import CourseFile, OutlineEntry, read_course_file
from .glossary import load_glossary
from .hashing import combined_hash, content_hash
from .lesson_files import LessonFiles, read_lesson_files
from .programme import load_programmes
from .render import LIVE, Addresses, RenderContext, render_lesson
from .schema import (
    ContentProblem,
    Course,
    Glossary,
    Lesson,
    LessonVersion,
    MediaFile,
    Programme,
)
from .translations import (
    TranslationReport,
    check_translated_quizzes,
    stale_translations,
    translation_report,
)
from .yamlfile import Report

Versions = dict[str, dict[str, LessonVersion]]  # lesson id -> language -> version


@dataclass(frozen=True)
class Draft:
    """A course as far as it could be read, for an instructor's preview (never imported): the
    lessons whose files have no problem, in course order."""

    title: str
    language: str
    languages: tuple[str, ...]
    lessons: dict[str, Lesson]
    media: dict[str, MediaFile]  # by path in the course folder


@dataclass
class LoadResult:
    course: Course | None  # None when there is any problem
    problems: list[ContentProblem]
    translation_report: TranslationReport = field(default_factory=dict)
    slug: str | None = None  # as read from course.yml, even when the course has problems
    draft: Draft | None = None  # what could be read, problems or not (None: no course.yml)
    warnings: list[ContentProblem] = field(default_factory=list)  # stale translations


@dataclass
class CoursesResult:
    courses: dict[str, Course]  # only the courses without problems
    glossary: Glossary | None
    programmes: dict[str, Programme]
    problems: list[ContentProblem]
    translation_reports: dict[str, TranslationReport]
    warnings: list[ContentProblem] = field(default_factory=list)


# --- the entry points -------------------------------------------------------------------------


def load_courses(root: Path | str) -> CoursesResult:
    """Every course folder under ``root``, plus ``glossary.yml`` and ``programmes/*.yml``."""
    root = Path(root).resolve()
    if not root.is_dir():
        missing = ContentProblem(str(root), None, "there is no folder here",
                                 "give the folder that holds the course folders")
        return CoursesResult({}, None, {}, [missing], {})
    problems: list[ContentProblem] = []
    glossary = None
    if (root / "glossary.yml").is_file():
        glossary, found = load_glossary(root / "glossary.yml")
        problems += found
    warnings: list[ContentProblem] = []
    courses, reports = _load_course_folders(root, glossary, problems, warnings)
    programmes, found = load_programmes(root, course_slugs=reports.keys())
    problems += found
    return CoursesResult(courses, glossary, programmes, problems, reports, warnings)


def _load_course_folders(
    root: Path, glossary: Glossary | None, problems: list[ContentProblem],
    warnings: list[ContentProblem],
) -> tuple[dict[str, Course], dict[str, TranslationReport]]:
    """The courses without problems, and the translation report of every slug found (a slug
    given by two folders is reported, and neither course kept)."""
    courses: dict[str, Course] = {}
    reports: dict[str, TranslationReport] = {}
    folders: dict[str, str] = {}
    lessons_by_course = lesson_index(root)
    for folder in _course_folders(root):
        result = load_course(folder, glossary, other_lessons=lessons_by_course)
        problems += result.problems
        warnings += result.warnings
        if result.slug is None:
            continue
        if result.slug in folders:
            problems.append(
                ContentProblem(
                    f"{folder.name}/course.yml",
                    None,
                    f"slug '{result.slug}' is also used by {folders[result.slug]}/",
                    "slugs must be unique",
                )
            )
            courses.pop(result.slug, None)  # neither of the two is imported
            continue
        folders[result.slug] = folder.name
        reports[result.slug] = result.translation_report
        if result.course is not None:
            courses[result.slug] = result.course
    return courses, reports


def _course_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and p.name != "programmes" and not p.name.startswith((".", "_")))


def lesson_index(root: Path) -> dict[str, frozenset[str]]:
    """The lesson ids of every course folder under ``root``, by slug, from their course.yml
    alone: what links between courses are checked against. Problems of those files are left
    to the loading of each course."""
    index: dict[str, frozenset[str]] = {}
    for folder in _course_folders(root):
        course_file = read_course_file(folder, Report(folder.name, []))
        if course_file is not None and course_file.slug:
            index[course_file.slug] = frozenset(course_file.lesson_ids)
    return index


def load_course_with_glossary(
    path: Path, addresses: Addresses = LIVE
) -> tuple[LoadResult, Glossary | None]:
    """Load one course folder as it sits among the others: with the glossary beside it (its
    problems included, first) and the lessons of the courses beside it."""
    glossary, problems = (None, [])
    if (path.parent / "glossary.yml").is_file():
        glossary, problems = load_glossary(path.parent / "glossary.yml")
    result = load_course(path, glossary, addresses, other_lessons=lesson_index(path.parent))
    result.problems[:0] = problems
    return result, glossary


def read_slug(course_dir: Path) -> str | None:
    """The slug a folder's course.yml gives, without loading the course (None if unreadable)."""
    try:
        data = yaml.safe_load((course_dir / "course.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    slug = data.get("slug") if isinstance(data, dict) else None
    return slug if isinstance(slug, str) else None


def load_course(path: Path | str, glossary: Glossary | None = None,
                addresses: Addresses = LIVE,
                other_lessons: Mapping[str, frozenset[str]] | None = None) -> LoadResult:
    """Load one course folder. Glossary links are checked only when ``glossary`` is given,
    links to other courses' lessons only when ``other_lessons`` is; links and images lead to
    ``addresses`` (the live course's unless a preview says)."""
    course_dir = Path(path).resolve()
    problems: list[ContentProblem] = []

    def display(file: Path) -> str:
        return file.relative_to(course_dir.parent).as_posix()

    course_file = read_course_file(course_dir, Report(display(course_dir / "course.yml"), problems))
    if course_file is None:
        return LoadResult(None, problems)
    language = course_file.language or "en"
    files = read_lesson_files(course_dir, course_file.outline, language, display, problems)
    warnings: list[ContentProblem] = []
    stale = stale_translations(files, problems, warnings)
    versions, media_paths = _render_lessons(
        course_dir, course_file, language, files, glossary, addresses, other_lessons, stale,
        problems)
    check_translated_quizzes(files.translated, versions, language, problems)

    languages = (language, *sorted(set(course_file.translations)
                                   | {lang for _, lang in files.translated}))
    report_by_language = translation_report(languages[1:], course_file.lesson_ids, versions)
    lessons = _sound_lessons(course_file.outline, languages, versions, problems)
    media = _read_media(media_paths)
    draft = Draft(course_file.title or course_dir.name, language, languages, lessons, media)
    if problems:
        return LoadResult(None, problems, report_by_language, course_file.slug, draft, warnings)
    course = _course(course_file, language, languages, lessons, versions, media)
    return LoadResult(course, problems, report_by_language, course.slug, draft, warnings)


# --- the steps of load_course, in order -------------------------------------------------------


def _render_lessons(
    course_dir: Path,
    course_file: CourseFile,
    language: str,
    files: LessonFiles,
    glossary: Glossary | None,
    addresses: Addresses,
    other_lessons: Mapping[str, frozenset[str]] | None,
    stale: set[tuple[str, str]],
    problems: list[ContentProblem],
) -> tuple[Versions, dict[str, Path]]:
    """Every lesson file -> its LessonVersion; and the files the course uses (its cover and
    whatever the lessons point to), by path in the course folder."""
    lesson_ids = frozenset(course_file.lesson_ids)
    glossary_ids = glossary.ids if glossary is not None else None
    versions: Versions = {}
    media: dict[str, Path] = dict(course_file.media)
    question_owners: dict[str, str] = {}
    poll_owners: dict[str, str] = {}
    for lesson in sorted([*files.main.values(), *files.translated.values()],
                         key=lambda f: f.display):
        assert lesson.id is not None
        ctx = RenderContext(
            course_file.slug or course_dir.name,
            course_dir,
            lesson.path,
            lesson.display,
            lesson_ids,
            glossary_ids,
            lesson.body_offset,
            lesson.language,
            addresses,
            other_lessons,
        )
        rendered = render_lesson(lesson.body, ctx)
        problems.extend(rendered.problems)
        media.update(rendered.media)
        if lesson.language != language and lesson.discussion is not None:
            problems.append(ContentProblem(
                lesson.display, lesson.discussion_line,
                "discussion is set in the lesson's file in the course's main language",
                "remove it here: every language of a lesson shares one discussion"))
        if lesson.language == language:
            questions = rendered.quiz.questions if rendered.quiz is not None else ()
            _claim_ids(questions, "question", lesson.display, question_owners, problems)
            _claim_ids(rendered.activities, "poll or reflection", lesson.display, poll_owners,
                       problems)
        versions.setdefault(lesson.id, {})[lesson.language] = LessonVersion(
            language=lesson.language,
            title=lesson.title,
            minutes=lesson.minutes,
            summary=lesson.summary,
            html=rendered.html,
            quiz=rendered.quiz,
            source_file=lesson.display,
            content_hash=content_hash(lesson.source),
            objectives=lesson.objectives,
            stale=(lesson.id, lesson.language) in stale,
            activities=rendered.activities,
            discussion=lesson.discussion,
        )
    return versions, media


def _claim_ids(items, what: str, file: str, owners: dict[str, str],
               problems: list[ContentProblem]) -> None:
    """Question and poll ids are unique in the course: answers are stored by them."""
    for item in items:
        other = owners.setdefault(item.id, file)
        if other != file:
            problems.append(ContentProblem(file, item.line,
                                           f"duplicate {what} id '{item.id}' (also in {other})",
                                           f"{what} ids must be unique in the course"))


def _sound_lessons(
    outline: list[OutlineEntry],
    languages: tuple[str, ...],
    versions: Versions,
    problems: list[ContentProblem],
) -> dict[str, Lesson]:
    """The lessons in course order, each with its versions in the order of ``languages`` (the
    main language first), leaving out versions whose file has a problem and lessons without a
    sound main version."""
    troubled = {problem.file for problem in problems}
    lessons = {
        entry.lesson_id: Lesson(
            entry.lesson_id,
            entry.module_id,
            position,
            {lang: version for lang in languages
             if (version := versions.get(entry.lesson_id, {}).get(lang))
             and version.source_file not in troubled},
        )
        for position, entry in enumerate(outline, start=1)
    }
    return {key: lesson for key, lesson in lessons.items() if languages[0] in lesson.versions}


def _read_media(files: dict[str, Path]) -> dict[str, MediaFile]:
    """Each file the course uses, read once: for the course's hash, the importer and the
    preview."""
    media = {}
    for relative, file in sorted(files.items()):
        data = file.read_bytes()
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        media[relative] = MediaFile(data, hashlib.sha256(data).hexdigest(), content_type)
    return media


def _course(
    course_file: CourseFile,
    language: str,
    languages: tuple[str, ...],
    lessons: dict[str, Lesson],
    versions: Versions,
    media: dict[str, MediaFile],
) -> Course:
    """The validated course; only built when no problem was found, so every value is there."""
    parts: list[tuple[str, str | bytes]] = [("course.yml", course_file.source)]
    parts += [
        (f"lesson:{i}:{lang}", v.content_hash)
        for i, vs in versions.items()
        for lang, v in vs.items()
    ]
    parts += [(f"media:{rel}", file.data) for rel, file in media.items()]
    completion = course_file.completion_lessons
    return Course(
        slug=course_file.slug,
        title=course_file.title,
        summary=course_file.summary,
        objectives=course_file.objectives,
        audience=course_file.audience,
        language=language,
        level=course_file.level,
        estimated_hours=course_file.estimated_hours,
        authors=tuple(course_file.authors),
        licence=course_file.licence,
        cover=course_file.cover,
        cover_alt=course_file.cover_alt,
        certificate=course_file.certificate,
        discussion=course_file.discussion,
        anonymous_sharing=course_file.anonymous_sharing,
        completion_reflections=course_file.completion_reflections,
        completion_lessons=tuple(course_file.lesson_ids if completion is None else completion),
        completion_quizzes=course_file.completion_quizzes,
        modules=tuple(course_file.modules),
        lessons=lessons,
        translations=course_file.translations,
        languages=languages,
        content_hash=combined_hash(parts),
        media=media,
    )

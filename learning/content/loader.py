"""Course folders on disk -> validated, rendered ``Course`` objects.

The loader never stops at the first problem: authors fix a whole list at once. Every problem
names its file (relative to the folder holding the course folders) and, when it can, the line.
A course with any problem is not returned (``course`` is None), so nothing half-valid is imported.
The format is the contract in docs/authoring.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .hashing import combined_hash, content_hash
from .render import IMAGE_SUFFIXES, LIVE, Addresses, RenderContext, render_lesson, render_text
from .schema import (
    LANGUAGES,
    LEVELS,
    ContentProblem,
    Course,
    CourseTranslation,
    Glossary,
    GlossaryTerm,
    GlossaryTranslation,
    Lesson,
    LessonVersion,
    Module,
    Programme,
    Quiz,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_HINT = "use lowercase letters, digits and hyphens, e.g. what-is-the-sse"
COURSE_KEYS = {
    "slug",
    "title",
    "summary",
    "language",
    "level",
    "estimated_hours",
    "authors",
    "licence",
    "cover",
    "cover_alt",
    "certificate",
    "completion",
    "modules",
    "translations",
}
COURSE_REQUIRED = (
    "slug",
    "title",
    "summary",
    "language",
    "level",
    "estimated_hours",
    "authors",
    "licence",
    "modules",
)
LESSON_KEYS = {"id", "title", "minutes", "summary"}
LESSON_REQUIRED = ("id", "title", "minutes")
PROGRAMME_KEYS = {"slug", "title", "summary", "required", "electives", "electives_required"}

TranslationReport = dict[
    str, dict[str, Any]
]  # lang -> {"lessons": (done, total), "missing": [ids]}


@dataclass(frozen=True)
class Draft:
    """A course as far as it could be read, for an instructor's preview (never imported): the
    lessons whose files have no problem, in course order."""

    title: str
    language: str
    languages: tuple[str, ...]
    lessons: dict[str, Lesson]
    media: dict[str, Path]  # path in the course folder -> file


@dataclass
class LoadResult:
    course: Course | None  # None when there is any problem
    problems: list[ContentProblem]
    translation_report: TranslationReport = field(default_factory=dict)
    slug: str | None = None  # as read from course.yml, even when the course has problems
    draft: Draft | None = None  # what could be read, problems or not (None: no course.yml)


@dataclass
class CoursesResult:
    courses: dict[str, Course]  # only the courses without problems
    glossary: Glossary | None
    programmes: dict[str, Programme]
    problems: list[ContentProblem]
    translation_reports: dict[str, TranslationReport]


# --- YAML with line numbers -------------------------------------------------------------------


class YamlMap(dict[Any, Any]):
    """A YAML mapping that remembers the line of each key (for error messages)."""

    line: int = 0
    lines: dict[Any, int]


class YamlList(list[Any]):
    line: int = 0
    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    offset = 0
    duplicates: list[tuple[int, str]]


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line, result.lines = node.start_mark.line + 1 + loader.offset, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.offset
        if not isinstance(key, str | int | float | bool) and key is not None:
            loader.duplicates.append((line, "a key must be a plain word"))
            continue
        if key in result:
            loader.duplicates.append((line, f"key '{key}' is given twice"))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.offset
    result.lines = [child.start_mark.line + 1 + loader.offset for child in node.value]
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)  # type: ignore[arg-type]
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)  # type: ignore[arg-type]


class _Report:
    """Problems of one file."""

    def __init__(self, file: str, into: list[ContentProblem]) -> None:
        self.file, self.into = file, into

    def __call__(self, line: int | None, message: str, hint: str | None = None) -> None:
        self.into.append(ContentProblem(self.file, line, message, hint))


def _load_yaml(text: str, report: _Report, offset: int = 0) -> Any:
    """Parse YAML; ``offset`` is the number of lines above ``text`` in its file."""
    loader = _LineLoader(text)
    loader.offset, loader.duplicates = offset, []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + offset if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        report(
            line,
            f"malformed YAML: {problem}",
            "check the indentation, and quote values that contain ': ' or start with a symbol",
        )
        return None
    finally:
        loader.dispose()
    for line, message in loader.duplicates:
        report(line, message, "keep only one")
    return data


def _line(mapping: Any, key: Any = None) -> int | None:
    if isinstance(mapping, YamlMap):
        return mapping.lines.get(key, mapping.line) if key is not None else mapping.line
    return None


def _check_keys(
    mapping: YamlMap, allowed: Iterable[str], required: Iterable[str], report: _Report, where: str
) -> None:
    allowed = set(allowed)
    for key in mapping:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = (
                f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(sorted(allowed))
            )
            report(_line(mapping, key), f"unknown key '{key}' in {where}", hint)
    for key in required:
        if key not in mapping or mapping[key] is None:
            report(_line(mapping), f"{where} has no '{key}'", f"add '{key}: ...'")


def _text(mapping: YamlMap, key: str, report: _Report, where: str) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        report(_line(mapping, key), f"'{key}' in {where} must be text", None)
        return None
    return value.strip()


def _slug(mapping: YamlMap, key: str, report: _Report, where: str) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not SLUG_RE.match(value):
        report(_line(mapping, key), f"{key} '{value}' in {where} is not valid", SLUG_HINT)
        return None
    return value


def _number(mapping: YamlMap, key: str, report: _Report, where: str) -> float | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 10_000:
        report(
            _line(mapping, key),
            f"'{key}' in {where} must be a positive number, not '{value}'",
            f"write e.g. '{key}: 8'",
        )
        return None
    return value


def _id_list(
    value: Any, report: _Report, line: int | None, what: str
) -> list[tuple[str, int | None]]:
    """A YAML list of ids, each with its line."""
    if not isinstance(value, list):
        report(line, f"{what} must be a list", "write one '- id' per line")
        return []
    lines = value.lines if isinstance(value, YamlList) else [line] * len(value)
    result = []
    for item, item_line in zip(value, lines, strict=True):
        if not isinstance(item, str) or not SLUG_RE.match(item):
            report(item_line, f"'{item}' in {what} is not a valid id", SLUG_HINT)
        else:
            result.append((item, item_line))
    return result


def _read(path: Path, report: _Report) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report(None, "the file is not UTF-8 text", "save it as UTF-8")
        return None
    except OSError as error:
        report(None, f"cannot read the file: {error.strerror}", None)
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- glossary and programmes ------------------------------------------------------------------


def load_glossary(
    path: Path, display: str = "glossary.yml"
) -> tuple[Glossary | None, list[ContentProblem]]:
    """``courses/glossary.yml`` -> Glossary (None when it has problems)."""
    problems: list[ContentProblem] = []
    report = _Report(display, problems)
    text = _read(path, report)
    data = _load_yaml(text, report) if text is not None else None
    terms: dict[str, GlossaryTerm] = {}
    if isinstance(data, YamlMap):
        _check_keys(data, {"terms"}, ("terms",), report, "the glossary")
        entries = data.get("terms")
        if entries is not None and not isinstance(entries, list):
            report(_line(data, "terms"), "'terms' must be a list", None)
            entries = []
        for entry in entries or []:
            term = _glossary_term(entry, report)
            if term is None:
                continue
            if term.id in terms:
                report(_line(entry, "id"), f"glossary term id '{term.id}' is used twice", None)
            terms[term.id] = term
    elif text is not None and not problems:
        report(1, "the glossary must start with 'terms:'", None)
    return (None if problems else Glossary(terms)), problems


def _glossary_term(entry: Any, report: _Report) -> GlossaryTerm | None:
    if not isinstance(entry, YamlMap):
        report(None, "each glossary term must be a mapping with id, term and definition", None)
        return None
    where = "a glossary term"
    _check_keys(
        entry,
        {"id", "term", "definition", "source", "translations"},
        ("id", "term", "definition"),
        report,
        where,
    )
    term_id = _slug(entry, "id", report, where)
    term, definition = (
        _text(entry, "term", report, where),
        _text(entry, "definition", report, where),
    )
    source = _text(entry, "source", report, where)
    translations: dict[str, GlossaryTranslation] = {}
    raw = entry.get("translations") or YamlMap()
    if not isinstance(raw, YamlMap):
        report(
            _line(entry, "translations"),
            "'translations' must map a language to term and definition",
        )
        raw = YamlMap()
    for language, value in raw.items():
        if language not in LANGUAGES:
            report(_line(raw, language), f"unknown language '{language}'", "use en, fr or es")
            continue
        if not isinstance(value, YamlMap):
            report(_line(raw, language), f"translation '{language}' must have term and definition")
            continue
        _check_keys(
            value,
            {"term", "definition"},
            ("term", "definition"),
            report,
            f"translation '{language}'",
        )
        t_term, t_def = (
            _text(value, "term", report, where),
            _text(value, "definition", report, where),
        )
        if t_term and t_def:
            translations[language] = GlossaryTranslation(t_term, t_def, render_text(t_def))
    if not (term_id and term and definition):
        return None
    return GlossaryTerm(term_id, term, definition, render_text(definition), source, translations)


def load_programme(path: Path, display: str) -> tuple[Programme | None, list[ContentProblem]]:
    """``courses/programmes/NAME.yml`` -> Programme (course slugs are checked by load_courses)."""
    problems: list[ContentProblem] = []
    report = _Report(display, problems)
    text = _read(path, report)
    data = _load_yaml(text, report) if text is not None else None
    if not isinstance(data, YamlMap):
        if text is not None and not problems:
            report(1, "a programme must be a mapping (slug:, title:, ...)", None)
        return None, problems
    where = "the programme"
    _check_keys(data, PROGRAMME_KEYS, ("slug", "title", "summary", "required"), report, where)
    slug = _slug(data, "slug", report, where)
    title, summary = _text(data, "title", report, where), _text(data, "summary", report, where)
    required = [
        s
        for s, _ in _id_list(data.get("required", []), report, _line(data, "required"), "required")
    ]
    electives = [
        s
        for s, _ in _id_list(
            data.get("electives", []), report, _line(data, "electives"), "electives"
        )
    ]
    count = data.get("electives_required", 0)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= len(electives):
        report(
            _line(data, "electives_required"),
            f"electives_required must be a whole number from 0 to {len(electives)}",
            None,
        )
    elif electives and "electives_required" not in data:
        report(
            _line(data),
            "the programme has electives but no 'electives_required'",
            "say how many electives a learner must complete",
        )
    for duplicate in {s for s in required + electives if (required + electives).count(s) > 1}:
        report(_line(data), f"course '{duplicate}' is listed twice in the programme", None)
    if problems or not (slug and title and summary):
        return None, problems
    return Programme(slug, title, summary, tuple(required), tuple(electives), count), problems


# --- courses ----------------------------------------------------------------------------------


@dataclass
class _LessonFile:
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
    broken: bool = False  # front matter unreadable: ``id`` is a guess, to avoid a second error


def read_slug(course_dir: Path) -> str | None:
    """The slug a folder's course.yml gives, without loading the course (None if unreadable)."""
    try:
        data = yaml.safe_load((course_dir / "course.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    slug = data.get("slug") if isinstance(data, dict) else None
    return slug if isinstance(slug, str) else None


def load_course(path: Path | str, glossary: Glossary | None = None,
                addresses: Addresses = LIVE) -> LoadResult:
    """Load one course folder. Glossary links are checked only when ``glossary`` is given;
    links and images lead to ``addresses`` (the live course's unless a preview says)."""
    course_dir = Path(path).resolve()
    problems: list[ContentProblem] = []
    display_root = course_dir.parent

    def display(file: Path) -> str:
        return file.relative_to(display_root).as_posix()

    report = _Report(display(course_dir / "course.yml"), problems)
    if not (course_dir / "course.yml").is_file():
        report(
            None,
            "the course folder has no course.yml",
            "every course folder starts with a course.yml",
        )
        return LoadResult(None, problems)
    course_text = _read(course_dir / "course.yml", report)
    data = _load_yaml(course_text, report) if course_text is not None else None
    if not isinstance(data, YamlMap):
        if course_text is not None and not problems:
            report(1, "course.yml must be a mapping (slug:, title:, ...)", None)
        return LoadResult(None, problems)

    meta = _course_meta(data, course_dir, report)
    outline = meta["outline"]  # [(lesson id, module id, line in course.yml)]
    listed = {lesson_id for lesson_id, _, _ in outline}
    language = meta["language"] or "en"

    files = _lesson_files(course_dir, language, display, problems)
    main: dict[str, _LessonFile] = {}
    translated: dict[tuple[str, str], _LessonFile] = {}
    broken_ids: set[str] = set()
    for lesson in files:
        file_report = _Report(lesson.display, problems)
        if lesson.id is None:
            continue
        if lesson.broken:
            broken_ids.add(lesson.id)
            continue
        if lesson.id not in listed:
            file_report(
                lesson.id_line,
                f"lesson '{lesson.id}' is not listed in course.yml",
                "add its id to a module's lessons in course.yml",
            )
            continue
        key = (lesson.id, lesson.language)
        taken = main.get(lesson.id) if lesson.language == language else translated.get(key)
        if taken is not None:
            file_report(
                lesson.id_line,
                f"duplicate lesson id '{lesson.id}' (also in {taken.display})",
                "every lesson file needs its own id",
            )
            continue
        if lesson.language == language:
            main[lesson.id] = lesson
        else:
            translated[key] = lesson
    for lesson_id, _, line in outline:
        if lesson_id not in main and lesson_id not in broken_ids:
            report(
                line,
                f"lesson '{lesson_id}' is listed but no lesson file has this id",
                f"create lessons/{lesson_id}.md with 'id: {lesson_id}' in its front matter",
            )

    lesson_ids = frozenset(listed)
    glossary_ids = glossary.ids if glossary is not None else None
    versions: dict[str, dict[str, LessonVersion]] = {}
    media: dict[str, Path] = dict(meta["media"])
    question_owner: dict[str, str] = {}
    for lesson in sorted([*main.values(), *translated.values()], key=lambda f: f.display):
        assert lesson.id is not None
        ctx = RenderContext(
            meta["slug"] or course_dir.name,
            course_dir,
            lesson.path,
            lesson.display,
            lesson_ids,
            glossary_ids,
            lesson.body_offset,
            lesson.language,
            addresses,
        )
        rendered = render_lesson(lesson.body, ctx)
        problems.extend(rendered.problems)
        media.update(rendered.media)
        if lesson.language == language and rendered.quiz is not None:
            for question in rendered.quiz.questions:
                other = question_owner.setdefault(question.id, lesson.display)
                if other != lesson.display:
                    problems.append(
                        ContentProblem(
                            lesson.display,
                            question.line,
                            f"duplicate question id '{question.id}' (also in {other})",
                            "question ids must be unique in the course",
                        )
                    )
        versions.setdefault(lesson.id, {})[lesson.language] = LessonVersion(
            language=lesson.language,
            title=lesson.title,
            minutes=lesson.minutes,
            summary=lesson.summary,
            html=rendered.html,
            quiz=rendered.quiz,
            source_file=lesson.display,
            content_hash=content_hash(lesson.source),
        )
    for (lesson_id, lang), lesson in translated.items():
        if lesson_id in versions and language in versions[lesson_id]:
            _compare_quizzes(
                versions[lesson_id][language].quiz,
                versions[lesson_id][lang].quiz,
                lang,
                _Report(lesson.display, problems),
            )

    languages = (language, *sorted(set(meta["translations"]) | {lang for _, lang in translated}))
    report_by_language: TranslationReport = {}
    ordered_ids = [lesson_id for lesson_id, _, _ in outline]
    for lang in languages[1:]:
        missing = [i for i in ordered_ids if lang not in versions.get(i, {})]
        report_by_language[lang] = {
            "lessons": (len(ordered_ids) - len(missing), len(ordered_ids)),
            "missing": missing,
        }

    troubled = {problem.file for problem in problems}
    sound = {  # versions in the order of ``languages`` (the main language first), without
        lesson_id: Lesson(  # those whose file has a problem, nor lessons without a sound main
            lesson_id,
            module_id,
            position,
            {lang: version for lang in languages
             if (version := versions.get(lesson_id, {}).get(lang))
             and version.source_file not in troubled},
        )
        for position, (lesson_id, module_id, _) in enumerate(outline, start=1)
    }
    sound = {key: lesson for key, lesson in sound.items() if language in lesson.versions}
    draft = Draft(meta["title"] or course_dir.name, language, languages, sound,
                  dict(sorted(media.items())))
    if problems:
        return LoadResult(None, problems, report_by_language, meta["slug"], draft)
    lessons = sound
    parts: list[tuple[str, str | bytes]] = [("course.yml", course_text or "")]
    parts += [
        (f"lesson:{i}:{lang}", v.content_hash)
        for i, vs in versions.items()
        for lang, v in vs.items()
    ]
    parts += [(f"media:{rel}", file.read_bytes()) for rel, file in media.items()]
    completion = meta["completion_lessons"]
    course = Course(
        slug=meta["slug"],
        title=meta["title"],
        summary=meta["summary"],
        language=language,
        level=meta["level"],
        estimated_hours=meta["estimated_hours"],
        authors=tuple(meta["authors"]),
        licence=meta["licence"],
        cover=meta["cover"],
        cover_alt=meta["cover_alt"],
        certificate=meta["certificate"],
        completion_lessons=tuple(ordered_ids if completion == "all" else completion),
        completion_quizzes=meta["completion_quizzes"],
        modules=tuple(meta["modules"]),
        lessons=lessons,
        translations=meta["translations"],
        languages=languages,
        content_hash=combined_hash(parts),
        media=dict(sorted(media.items())),
    )
    return LoadResult(course, problems, report_by_language, course.slug, draft)


def _course_meta(data: YamlMap, course_dir: Path, report: _Report) -> dict[str, Any]:
    """Check course.yml key by key; the values are only trusted if no problem was reported."""
    where = "course.yml"
    _check_keys(data, COURSE_KEYS, COURSE_REQUIRED, report, where)
    meta: dict[str, Any] = {
        "slug": _slug(data, "slug", report, where),
        "title": _text(data, "title", report, where),
        "summary": _text(data, "summary", report, where),
        "licence": _text(data, "licence", report, where),
        "estimated_hours": _number(data, "estimated_hours", report, where),
        "cover_alt": _text(data, "cover_alt", report, where),
        "media": {},
    }
    for key, allowed in (("language", LANGUAGES), ("level", LEVELS)):
        value = data.get(key)
        if value is not None and value not in allowed:
            report(_line(data, key), f"{key} '{value}' is not one of {', '.join(allowed)}", None)
            value = None
        meta[key] = value
    authors = data.get("authors")
    if authors is not None and (
        not isinstance(authors, list)
        or not authors
        or not all(isinstance(a, str) and a.strip() for a in authors)
    ):
        report(
            _line(data, "authors"), "authors must be a list of names", "write one '- Name' per line"
        )
    meta["authors"] = (
        [a.strip() for a in authors if isinstance(a, str)] if isinstance(authors, list) else []
    )

    cover = data.get("cover")
    meta["cover"] = None
    if cover is not None:
        meta["cover"] = _cover(cover, data, course_dir, report, meta["media"])
        if meta["cover_alt"] is None:
            report(
                _line(data, "cover"),
                "cover has no cover_alt",
                "describe the cover image in cover_alt",
            )
    certificate = data.get("certificate", True)
    if not isinstance(certificate, bool):
        report(_line(data, "certificate"), "certificate must be yes or no", None)
    meta["certificate"] = certificate is not False

    meta["modules"], meta["outline"] = _modules(data, report)
    meta["completion_lessons"], meta["completion_quizzes"] = _completion(
        data, meta["outline"], report
    )
    meta["translations"] = _translations(data, meta["language"], meta["modules"], report)
    return meta


def _cover(
    cover: Any, data: YamlMap, course_dir: Path, report: _Report, media: dict[str, Path]
) -> str | None:
    line = _line(data, "cover")
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


def _modules(
    data: YamlMap, report: _Report
) -> tuple[list[Module], list[tuple[str, str, int | None]]]:
    raw = data.get("modules")
    if raw is None:
        return [], []
    if not isinstance(raw, list) or not raw:
        report(
            _line(data, "modules"),
            "modules must be a list",
            "each module has an id, a title and lessons",
        )
        return [], []
    modules: list[Module] = []
    outline: list[tuple[str, str, int | None]] = []
    seen_lessons: dict[str, int | None] = {}
    seen_modules: set[str] = set()
    for entry in raw:
        if not isinstance(entry, YamlMap):
            report(_line(data, "modules"), "each module must have an id, a title and lessons", None)
            continue
        where = "a module"
        _check_keys(entry, {"id", "title", "lessons"}, ("id", "title", "lessons"), report, where)
        module_id = _slug(entry, "id", report, where)
        title = _text(entry, "title", report, where)
        ids = _id_list(entry.get("lessons", []), report, _line(entry, "lessons"), "lessons")
        if "lessons" in entry and not ids and isinstance(entry.get("lessons"), list):
            report(_line(entry, "lessons"), f"module '{module_id}' has no lessons", None)
        if module_id in seen_modules:
            report(_line(entry, "id"), f"duplicate module id '{module_id}'", None)
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
            outline.append((lesson_id, module_id, line))
        modules.append(Module(module_id, title, tuple(kept)))
    return modules, outline


def _completion(
    data: YamlMap, outline: list[tuple[str, str, int | None]], report: _Report
) -> tuple[Any, str]:
    raw = data.get("completion", YamlMap())
    if not isinstance(raw, YamlMap):
        report(_line(data, "completion"), "completion must have 'lessons:' and/or 'quizzes:'", None)
        return "all", "graded"
    _check_keys(raw, {"lessons", "quizzes"}, (), report, "completion")
    lessons = raw.get("lessons", "all")
    if lessons != "all":
        known = {lesson_id for lesson_id, _, _ in outline}
        ids = _id_list(lessons, report, _line(raw, "lessons"), "completion lessons")
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
            _line(raw, "quizzes"), f"completion quizzes '{quizzes}' is not 'graded' or 'none'", None
        )
        quizzes = "graded"
    return lessons, quizzes


def _translations(
    data: YamlMap, language: str | None, modules: list[Module], report: _Report
) -> dict[str, CourseTranslation]:
    raw = data.get("translations", YamlMap())
    if not isinstance(raw, YamlMap):
        report(
            _line(data, "translations"), "translations must map a language code to its texts", None
        )
        return {}
    result: dict[str, CourseTranslation] = {}
    module_ids = {module.id for module in modules}
    for lang, value in raw.items():
        if lang not in LANGUAGES or lang == language:
            report(
                _line(raw, lang),
                f"'{lang}' is not a translation language of this course",
                "use en, fr or es, other than the course's language",
            )
            continue
        if not isinstance(value, YamlMap):
            report(
                _line(raw, lang), f"translation '{lang}' must have title, summary and modules", None
            )
            continue
        where = f"translation '{lang}'"
        _check_keys(value, {"title", "summary", "modules"}, (), report, where)
        titles = value.get("modules", YamlMap())
        if not isinstance(titles, YamlMap):
            report(_line(value, "modules"), "translated modules map a module id to its title", None)
            titles = YamlMap()
        for module_id, title in titles.items():
            if module_id not in module_ids:
                report(_line(titles, module_id), f"unknown module '{module_id}' in {where}", None)
            elif not isinstance(title, str) or not title.strip():
                report(_line(titles, module_id), f"module title in {where} must be text", None)
        result[lang] = CourseTranslation(
            _text(value, "title", report, where),
            _text(value, "summary", report, where),
            {str(k): str(v).strip() for k, v in titles.items() if k in module_ids},
        )
    return result


def _lesson_files(
    course_dir: Path, language: str, display: Any, problems: list[ContentProblem]
) -> list[_LessonFile]:
    lessons_dir = course_dir / "lessons"
    if not lessons_dir.is_dir():
        _Report(display(course_dir / "course.yml"), problems)(
            None, "the course has no lessons/ folder", None
        )
        return []
    found = []
    for path in sorted(lessons_dir.glob("*.md")):
        report = _Report(display(path), problems)
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
        text = _read(path, report)
        if text is not None:
            found.append(_parse_lesson(path, display(path), lang, text, report))
    return found


def _parse_lesson(path: Path, shown: str, language: str, text: str, report: _Report) -> _LessonFile:
    """Front matter and body; an unreadable front matter gives a ``broken`` lesson."""
    lines = text.split("\n")
    broken = _LessonFile(path, shown, language, text, "", 0, broken=True)
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
    lesson = _LessonFile(path, shown, language, text, "\n".join(lines[end + 1 :]), end + 1)
    data = _load_yaml("\n".join(lines[1:end]), report, offset=1)
    if not isinstance(data, YamlMap):
        if data is not None:
            report(2, "the front matter must be keys and values (id:, title:, minutes:)", None)
        return broken
    where = "the front matter"
    _check_keys(data, LESSON_KEYS, LESSON_REQUIRED, report, where)
    lesson.id, lesson.id_line = _slug(data, "id", report, where), _line(data, "id")
    lesson.title = _text(data, "title", report, where) or ""
    lesson.minutes = _number(data, "minutes", report, where) or 0
    lesson.summary = _text(data, "summary", report, where)
    return lesson


def _compare_quizzes(main: Quiz | None, other: Quiz | None, lang: str, report: _Report) -> None:
    """A translation's quiz must be gradable the same way as the main one."""
    if main is None or other is None:
        if main is not None:
            report(None, f"the {lang} translation has no quiz", "translate the quiz block too")
        elif other is not None:
            report(None, f"the {lang} translation has a quiz but the main lesson has none", None)
        return
    first = other.questions[0].line if other.questions else None
    if (main.pass_mark, main.max_attempts, main.graded) != (
        other.pass_mark,
        other.max_attempts,
        other.graded,
    ):
        report(
            first,
            "the quiz settings differ from the main language",
            "copy Pass mark, Attempts and Graded",
        )
    main_ids = [q.id for q in main.questions]
    for missing in [i for i in main_ids if other.question(i) is None]:
        report(first, f"question '{missing}' is missing from the {lang} translation", None)
    for question in other.questions:
        original = main.question(question.id)
        if original is None:
            report(
                question.line,
                f"question '{question.id}' is not in the main language",
                "translations use the same question ids",
            )
            continue
        choice_kinds = {"single", "true_false"}
        same_kind = question.kind == original.kind or {question.kind, original.kind} <= choice_kinds
        if not same_kind:
            report(
                question.line,
                f"question '{question.id}' is {question.kind} here but "
                f"{original.kind} in the main language",
                None,
            )
        elif len(question.choices) != len(original.choices):
            report(
                question.line,
                f"question '{question.id}' has {len(question.choices)} choices here but "
                f"{len(original.choices)} in the main language",
                "keep the same choices, in the same order",
            )
        elif [c.correct for c in question.choices] != [c.correct for c in original.choices]:
            report(
                question.line,
                f"question '{question.id}' marks different choices correct than the main language",
                "keep the choices in the same order, with the same - [x]",
            )
        elif question.kind == "numeric" and (question.accepted, question.tolerance) != (
            original.accepted,
            original.tolerance,
        ):
            report(
                question.line,
                f"question '{question.id}' accepts other numbers than the main language",
                None,
            )


def load_courses(root: Path | str) -> CoursesResult:
    """Every course folder under ``root``, plus ``glossary.yml`` and ``programmes/*.yml``."""
    root = Path(root).resolve()
    problems: list[ContentProblem] = []
    glossary = None
    if (root / "glossary.yml").is_file():
        glossary, found = load_glossary(root / "glossary.yml")
        problems += found
    courses: dict[str, Course] = {}
    reports: dict[str, TranslationReport] = {}
    folders: dict[str, str] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name == "programmes" or folder.name.startswith((".", "_")):
            continue
        result = load_course(folder, glossary)
        problems += result.problems
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
    programmes: dict[str, Programme] = {}
    for path in (
        sorted((root / "programmes").glob("*.yml")) if (root / "programmes").is_dir() else []
    ):
        shown = path.relative_to(root).as_posix()
        programme, found = load_programme(path, shown)
        problems += found
        if programme is None:
            continue
        unknown = [s for s in programme.required + programme.electives if s not in folders]
        for slug in unknown:
            problems.append(
                ContentProblem(shown, None, f"programme lists unknown course '{slug}'", None)
            )
        if programme.slug in programmes:
            problems.append(
                ContentProblem(
                    shown, None, f"programme slug '{programme.slug}' is used twice", None
                )
            )
        elif not unknown:
            programmes[programme.slug] = programme
    return CoursesResult(courses, glossary, programmes, problems, reports)

"""A course's translations against its main language: quizzes graded the same way, translations
that still match the text they translate, and how many lessons each language has.

An untranslated lesson is no problem (the learner reads it in the main language); a translated
quiz that would grade differently is one. A stale translation (its lesson changed since, or it
never recorded which version it translates) is a warning: learners still get it, and
``flask courses validate --strict`` refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .course_file import read_course_file
from .hashing import source_version
from .lesson_files import LessonFile, LessonFiles, read_lesson_files
from .question_kinds import KINDS, interchangeable
from .schema import ContentProblem, LessonVersion, Quiz, Reflection
from .yamlfile import Report

TranslationReport = dict[
    str, dict[str, Any]
]  # lang -> {"lessons": (done, total), "missing": [ids], "stale": [ids]}

MARK_HINT = "bring it up to date, then run: flask courses translations mark FILE"


def stale_translations(
    files: LessonFiles, problems: list[ContentProblem], warnings: list[ContentProblem]
) -> set[tuple[str, str]]:
    """The (lesson id, language) of every translation whose ``translates:`` is not the current
    version of its lesson's main file, each with a warning that names the file and line."""
    for lesson in files.main.values():
        if lesson.translates is not None:
            Report(lesson.display, problems)(
                lesson.translates_line, "'translates' is for translations only",
                "remove it: a lesson in the course's main language translates nothing")
    stale = set()
    for (lesson_id, lang), lesson in files.translated.items():
        main = files.main.get(lesson_id)
        if main is None or lesson.translates == source_version(main.source):
            continue
        stale.add((lesson_id, lang))
        warn = Report(lesson.display, warnings)
        if lesson.translates is None:
            warn(1, f"the {lang} translation does not record which version of "
                 f"{main.display} it translates", MARK_HINT)
        else:
            warn(lesson.translates_line, f"the {lang} translation is stale: {main.display} "
                 "has changed since it was translated", MARK_HINT)
    return stale


def check_translated_quizzes(
    translated: dict[tuple[str, str], LessonFile],
    versions: dict[str, dict[str, LessonVersion]],
    language: str,
    problems: list[ContentProblem],
) -> None:
    """Each translated lesson's quiz against the quiz of its lesson in the main ``language``."""
    for (lesson_id, lang), lesson in translated.items():
        if lesson_id in versions and language in versions[lesson_id]:
            main, other = versions[lesson_id][language], versions[lesson_id][lang]
            report = Report(lesson.display, problems)
            _compare_quizzes(main.quiz, other.quiz, lang, report)
            _compare_activities(main.activities, other.activities, lang, report)


def _compare_activities(main, other, lang: str, report: Report) -> None:
    """A translation asks the same polls and reflections; a poll with as many answers, in the
    same order (answers are counted by their place, pooled over the languages)."""
    theirs = {activity.id: activity for activity in other}
    for activity in main:
        kind = "reflection" if isinstance(activity, Reflection) else "poll"
        translated = theirs.get(activity.id)
        if translated is None or not isinstance(translated, type(activity)):
            report(None, f"{kind} '{activity.id}' is missing from the {lang} translation", None)
        elif kind == "poll" and len(translated.labels) != len(activity.labels):
            report(translated.line, f"poll '{activity.id}' has {len(translated.labels)} "
                   f"answers here but {len(activity.labels)} in the main language",
                   "keep the same answers, in the same order")
    for activity in other:
        if activity.id not in {a.id for a in main}:
            report(activity.line, f"'{activity.id}' is not in the main language",
                   "translations use the same poll and reflection ids")


def translation_report(
    languages: Iterable[str],
    ordered_ids: list[str],
    versions: dict[str, dict[str, LessonVersion]],
) -> TranslationReport:
    """How many of the course's lessons each translation language has, which it lacks and
    which are stale."""
    report: TranslationReport = {}
    for lang in languages:
        missing = [i for i in ordered_ids if lang not in versions.get(i, {})]
        report[lang] = {
            "lessons": (len(ordered_ids) - len(missing), len(ordered_ids)),
            "missing": missing,
            "stale": [i for i in ordered_ids
                      if lang in versions.get(i, {}) and versions[i][lang].stale],
        }
    return report


def _compare_quizzes(main: Quiz | None, other: Quiz | None, lang: str, report: Report) -> None:
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
        if not interchangeable(question.kind, original.kind):
            report(
                question.line,
                f"question '{question.id}' is {question.kind} here but "
                f"{original.kind} in the main language",
                None,
            )
        elif problem := KINDS[original.kind].translation_problem(original, question):
            report(question.line, *problem)


def mark_translations(course_dir: Path, only: set[Path] | None = None) -> list[str]:
    """Record in each translation of the course (or each of ``only``) the current version of
    the lesson it translates, in its front matter (``translates: "..."`` after ``id:``). Run it
    after bringing a translation up to date: it says "this translates that text". Returns the
    files changed, as the validator names them."""
    problems: list[ContentProblem] = []

    def display(file: Path) -> str:
        return file.relative_to(course_dir.parent).as_posix()

    course_file = read_course_file(course_dir, Report(display(course_dir / "course.yml"), problems))
    if course_file is None:
        return []
    files = read_lesson_files(course_dir, course_file.outline, course_file.language or "en",
                              display, problems)
    changed = []
    for (lesson_id, _lang), lesson in sorted(files.translated.items()):
        main = files.main.get(lesson_id)
        if main is None or (only is not None and lesson.path.resolve() not in only):
            continue
        version = source_version(main.source)
        if lesson.translates == version:
            continue
        lesson.path.write_text(_with_version(lesson.source, version), encoding="utf-8")
        changed.append(lesson.display)
    return changed


def _with_version(source: str, version: str) -> str:
    """The lesson file with ``translates:`` set to ``version`` in its front matter (the file
    was read without problems, so it starts with a front matter holding ``id:``)."""
    lines = source.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."})
    entry = f'translates: "{version}"'
    for i in range(1, end):
        if lines[i].startswith("translates:"):
            lines[i] = entry
            break
    else:
        at = next(i for i in range(1, end) if lines[i].startswith("id:"))
        lines.insert(at + 1, entry)
    return "\n".join(lines)

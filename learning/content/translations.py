"""A course's translations against its main language: quizzes graded the same way, and how
many lessons each language has.

An untranslated lesson is no problem (the learner reads it in the main language); a translated
quiz that would grade differently is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .lesson_files import LessonFile
from .question_kinds import KINDS, interchangeable
from .schema import ContentProblem, LessonVersion, Quiz
from .yamlfile import Report

TranslationReport = dict[
    str, dict[str, Any]
]  # lang -> {"lessons": (done, total), "missing": [ids]}


def check_translated_quizzes(
    translated: dict[tuple[str, str], LessonFile],
    versions: dict[str, dict[str, LessonVersion]],
    language: str,
    problems: list[ContentProblem],
) -> None:
    """Each translated lesson's quiz against the quiz of its lesson in the main ``language``."""
    for (lesson_id, lang), lesson in translated.items():
        if lesson_id in versions and language in versions[lesson_id]:
            _compare_quizzes(
                versions[lesson_id][language].quiz,
                versions[lesson_id][lang].quiz,
                lang,
                Report(lesson.display, problems),
            )


def translation_report(
    languages: Iterable[str],
    ordered_ids: list[str],
    versions: dict[str, dict[str, LessonVersion]],
) -> TranslationReport:
    """How many of the course's lessons each translation language has, and which it lacks."""
    report: TranslationReport = {}
    for lang in languages:
        missing = [i for i in ordered_ids if lang not in versions.get(i, {})]
        report[lang] = {
            "lessons": (len(ordered_ids) - len(missing), len(ordered_ids)),
            "missing": missing,
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

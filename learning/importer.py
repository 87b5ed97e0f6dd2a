"""Import validated courses into the database, keyed on the authors' stable ids.

The import is idempotent: an unchanged course is left alone, an edited lesson is updated in
place (so progress attached to it stays), and what disappeared from the files is marked removed,
never deleted, with a line in the report saying what happens to the learners' history. The caller
owns the transaction: a failure anywhere leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import models
from .content.schema import Course, Glossary, Programme
from .models import utcnow


@dataclass
class CourseReport:
    slug: str
    status: str = "unchanged"  # "new", "updated" or "unchanged"
    version: int = 1
    changes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{self.slug}: {self.status}"
        if self.status != "unchanged":
            head += f" (version {self.version})"
        return "\n".join([head, *(f"  - {c}" for c in self.changes)])


def import_course(session: Session, course: Course) -> CourseReport:
    row = session.scalar(
        select(models.Course)
        .where(models.Course.slug == course.slug)
        .options(
            selectinload(models.Course.modules),
            selectinload(models.Course.lessons).selectinload(models.Lesson.contents),
            selectinload(models.Course.lessons)
            .selectinload(models.Lesson.quiz)
            .selectinload(models.Quiz.questions),
        )
    )
    if row is not None and row.content_hash == course.content_hash:
        return CourseReport(course.slug, version=row.version)

    report = CourseReport(course.slug, status="new" if row is None else "updated")
    if row is None:
        row = models.Course(slug=course.slug, version=1)
        session.add(row)
    else:
        row.version += 1
    report.version = row.version

    _copy_course_fields(row, course)
    _sync_modules(row, course)
    _sync_lessons(session, row, course, report)
    session.flush()
    _sync_media(session, row, course, report)
    if report.status == "new":
        report.changes.insert(0, f"{len(course.lessons)} lessons")
    session.flush()
    session.add(
        models.CourseVersion(
            course_id=row.id,
            version=row.version,
            content_hash=course.content_hash,
            changes=report.changes,
        )
    )
    return report


def _copy_course_fields(row: models.Course, course: Course) -> None:
    row.title = course.title
    row.summary = course.summary
    row.objectives = list(course.objectives)
    row.audience = course.audience
    row.language = course.language
    row.languages = list(course.languages)
    row.level = course.level
    row.estimated_hours = course.estimated_hours
    row.authors = list(course.authors)
    row.licence = course.licence
    row.cover = course.cover
    row.cover_alt = course.cover_alt
    row.certificate = course.certificate
    row.completion_lessons = list(course.completion_lessons)
    row.completion_quizzes = course.completion_quizzes
    row.completion_reflections = course.completion_reflections
    row.discussion = course.discussion
    row.anonymous_sharing = course.anonymous_sharing
    row.translations = {
        lang: {"title": tr.title, "summary": tr.summary, "modules": dict(tr.modules),
               "objectives": list(tr.objectives), "audience": tr.audience,
               "cover_alt": tr.cover_alt}
        for lang, tr in course.translations.items()
    }
    row.content_hash = course.content_hash
    row.imported_at = utcnow()


def _sync_modules(row: models.Course, course: Course) -> None:
    existing = {m.key: m for m in row.modules}
    keep = []
    for position, module in enumerate(course.modules, start=1):
        m = existing.get(module.id) or models.CourseModule(key=module.id)
        m.position, m.title = position, module.title
        keep.append(m)
    row.modules = keep


def _sync_lessons(
    session: Session, row: models.Course, course: Course, report: CourseReport
) -> None:
    existing = {lesson.key: lesson for lesson in row.lessons}
    for lesson in course.lessons.values():
        db_lesson = existing.pop(lesson.id, None)
        if db_lesson is None:
            db_lesson = models.Lesson(key=lesson.id)
            row.lessons.append(db_lesson)
            if report.status == "updated":
                report.changes.append(f"lesson '{lesson.id}' added")
        elif db_lesson.removed_at is not None:
            db_lesson.removed_at = None
            report.changes.append(f"lesson '{lesson.id}' restored, with its learners' progress")
        elif db_lesson.position != lesson.position:
            report.changes.append(
                f"lesson '{lesson.id}' moved from position {db_lesson.position} to "
                f"{lesson.position}; progress kept"
            )
        db_lesson.module_key = lesson.module_id
        db_lesson.discussion = lesson.discussion
        db_lesson.position = lesson.position
        _sync_contents(db_lesson, lesson, report)
        _sync_quiz(db_lesson, lesson, report)

    for gone in existing.values():
        if gone.removed_at is None:
            gone.removed_at = utcnow()
            gone.position = 10_000 + gone.position  # out of the outline, still unique
            report.changes.append(
                f"lesson '{gone.key}' removed: it leaves the outline and certificate rules; "
                "learners' progress and quiz history on it are kept. If it was renamed, put back "
                f"'id: {gone.key}' in its front matter to carry the progress over."
            )


def _sync_contents(db_lesson: models.Lesson, lesson, report: CourseReport) -> None:
    existing = {c.language: c for c in db_lesson.contents}
    for language, version in lesson.versions.items():
        content = existing.pop(language, None)
        if content is not None and content.content_hash == version.content_hash:
            content.stale = version.stale  # the lesson it translates may have changed
            continue
        if content is None:
            content = models.LessonContent(language=language)
            db_lesson.contents.append(content)
            if report.status == "updated" and db_lesson.id is not None:
                report.changes.append(f"lesson '{lesson.id}': {language} translation added")
        elif report.status == "updated":
            report.changes.append(f"lesson '{lesson.id}' ({language}) edited")
        content.title = version.title
        content.minutes = version.minutes
        content.summary = version.summary
        content.objectives = list(version.objectives)
        content.set_rendered(version.html, version.quiz, version.activities)
        content.content_hash = version.content_hash
        content.stale = version.stale
        content.updated_at = utcnow()
    for language, content in existing.items():
        db_lesson.contents.remove(content)
        report.changes.append(f"lesson '{lesson.id}': {language} translation removed")


def _sync_quiz(db_lesson: models.Lesson, lesson, report: CourseReport) -> None:
    main = next(iter(lesson.versions.values()))
    quiz = main.quiz
    if quiz is None:
        if db_lesson.quiz is not None and db_lesson.quiz.removed_at is None:
            db_lesson.quiz.removed_at = utcnow()
            report.changes.append(
                f"quiz of lesson '{lesson.id}' removed: past attempts are kept"
            )
        return
    db_quiz = db_lesson.quiz or models.Quiz()
    db_lesson.quiz = db_quiz
    if db_quiz.removed_at is not None:
        report.changes.append(f"quiz of lesson '{lesson.id}' restored, with its attempts")
    db_quiz.pass_mark = quiz.pass_mark
    db_quiz.max_attempts = quiz.max_attempts
    db_quiz.graded = quiz.graded
    db_quiz.removed_at = None

    existing = {q.key: q for q in db_quiz.questions}
    for position, question in enumerate(quiz.questions, start=1):
        db_question = existing.pop(question.id, None)
        if db_question is None:
            db_question = models.QuizQuestion(key=question.id)
            db_quiz.questions.append(db_question)
            if report.status == "updated" and db_quiz.id is not None:
                report.changes.append(f"question '{question.id}' added")
        elif db_question.removed_at is not None:
            report.changes.append(f"question '{question.id}' restored, with its history")
        db_question.removed_at = None
        db_question.position = position
        db_question.kind = question.kind
    for gone in existing.values():
        if gone.removed_at is None:
            gone.removed_at = utcnow()
            gone.position = 10_000 + gone.position
            report.changes.append(
                f"question '{gone.key}' removed from lesson '{lesson.id}': it no longer "
                "counts in scores; past answers stay in the attempts' history"
            )


def _sync_media(
    session: Session, row: models.Course, course: Course, report: CourseReport
) -> None:
    existing = {
        m.path: m
        for m in session.scalars(select(models.CourseMedia).filter_by(course_id=row.id))
    }
    for path, file in course.media.items():
        media = existing.pop(path, None)
        if media is not None and media.sha256 == file.sha256:
            continue
        if media is None:
            media = models.CourseMedia(course_id=row.id, path=path)
            session.add(media)
        media.content_type = file.content_type
        media.sha256, media.data = file.sha256, file.data
        report.changes.append(f"image '{path}' stored")
    for gone in existing.values():
        session.delete(gone)
        report.changes.append(f"image '{gone.path}' removed")


def import_glossary(session: Session, glossary: Glossary) -> int:
    existing = {t.key: t for t in session.scalars(select(models.GlossaryTerm))}
    for term in glossary.terms.values():
        row = existing.pop(term.id, None) or models.GlossaryTerm(key=term.id)
        row.term = term.term
        row.definition_html = term.definition_html
        row.source = term.source
        row.translations = {
            lang: {"term": tr.term, "definition_html": tr.definition_html}
            for lang, tr in term.translations.items()
        }
        session.add(row)
    for gone in existing.values():
        session.delete(gone)
    return len(glossary.terms)


def import_programme(session: Session, programme: Programme) -> None:
    row = session.scalar(select(models.Programme).filter_by(slug=programme.slug))
    row = row or models.Programme(slug=programme.slug)
    row.title = programme.title
    row.summary = programme.summary
    row.translations = {lang: dict(texts) for lang, texts in programme.translations.items()}
    row.required = list(programme.required)
    row.electives = list(programme.electives)
    row.electives_required = programme.electives_required
    session.add(row)

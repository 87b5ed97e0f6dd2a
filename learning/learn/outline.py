"""The read side of a course: one query each for the catalogue, an outline, a lesson's content.

Each function is written to be a single SQL statement whatever the number of lessons, learners
or attempts, because these run on every page view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import aliased, defer

from ..content.schema import LEVELS
from ..extensions import db
from ..models import (
    Course,
    CourseModule,
    Enrolment,
    Lesson,
    LessonContent,
    LessonProgress,
    Programme,
    Quiz,
    QuizAttempt,
)
from ..progress import lesson_count, lessons_done


def content_language(course: Course) -> str:
    """The learner's language when the course has it, else the course's own."""
    wanted = str(get_locale())
    return wanted if wanted in course.languages else course.language


@dataclass(frozen=True)
class OutlineItem:
    id: int
    key: str
    module_key: str
    module_title: str
    title: str
    minutes: float
    objectives: list[str]
    has_quiz: bool
    graded_quiz: bool
    completed_at: datetime | None
    # The lesson's discussion: whether it has one (the lesson's setting), its visible threads,
    # and when it last changed (for the anonymous page's ETag).
    discussion: bool = True
    thread_count: int = 0
    discussion_changed_at: datetime | None = None


@dataclass(frozen=True)
class Outline:
    items: list[OutlineItem]

    def modules(self) -> list[tuple[str, list[OutlineItem]]]:
        grouped: list[tuple[str, list[OutlineItem]]] = []
        for item in self.items:
            if not grouped or grouped[-1][1][0].module_key != item.module_key:
                grouped.append((item.module_title, []))
            grouped[-1][1].append(item)
        return grouped

    def find(self, key: str) -> OutlineItem | None:
        return next((item for item in self.items if item.key == key), None)

    def neighbours(self, key: str) -> tuple[OutlineItem | None, OutlineItem | None]:
        index = next(i for i, item in enumerate(self.items) if item.key == key)
        previous = self.items[index - 1] if index > 0 else None
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        return previous, following

    @property
    def done(self) -> int:
        return sum(item.completed_at is not None for item in self.items)

    @property
    def percent(self) -> int:
        return (100 * self.done // len(self.items)) if self.items else 0

    def next_step(self, last_lesson_id: int | None = None) -> OutlineItem | None:
        """Where to continue: after the last lesson visited, else the first not done."""
        if last_lesson_id is not None:
            for item in self.items:
                if item.id == last_lesson_id and item.completed_at is None:
                    return item
        return next((item for item in self.items if item.completed_at is None), None)


def _outline_statement(with_progress: bool, with_objectives: bool):
    """Every lesson of a course in order, titles in the wanted language (else the course's);
    the lessons' objectives only for the course page, the one page that shows them.

    Built once with bound parameters: composing a statement costs more than running it.
    """
    main = aliased(LessonContent)
    translated = aliased(LessonContent)
    stmt = (
        select(
            Lesson.id,
            Lesson.key,
            Lesson.module_key,
            CourseModule.title.label("module_title"),
            func.coalesce(translated.title, main.title).label("title"),
            func.coalesce(translated.minutes, main.minutes).label("minutes"),
            Quiz.id.label("quiz_id"),
            Quiz.graded,
            Lesson.discussion,
            Lesson.thread_count,
            Lesson.discussion_changed_at,
        )
        .join(CourseModule, and_(CourseModule.course_id == Lesson.course_id,
                                 CourseModule.key == Lesson.module_key))
        .join(main, and_(main.lesson_id == Lesson.id,
                         main.language == bindparam("course_language")))
        .outerjoin(translated, and_(translated.lesson_id == Lesson.id,
                                    translated.language == bindparam("language")))
        .outerjoin(Quiz, and_(Quiz.lesson_id == Lesson.id, Quiz.removed_at.is_(None)))
        .where(Lesson.course_id == bindparam("course_id"), Lesson.removed_at.is_(None))
        .order_by(Lesson.position)
    )
    if with_objectives:  # as written in the lesson's language when it has them
        stmt = stmt.add_columns(case((translated.id.is_(None), main.objectives),
                                     else_=translated.objectives).label("objectives"))
    if with_progress:
        stmt = stmt.add_columns(LessonProgress.completed_at).outerjoin(
            LessonProgress,
            and_(LessonProgress.lesson_id == Lesson.id,
                 LessonProgress.user_id == bindparam("user_id")),
        )
    return stmt


_OUTLINE = {(progress, objectives): _outline_statement(progress, objectives)
            for progress in (False, True) for objectives in (False, True)}


def load_outline(course: Course, language: str, user_id: int | None,
                 objectives: bool = False) -> Outline:
    rows = db.session.execute(_OUTLINE[user_id is not None, objectives], {
        "course_id": course.id, "course_language": course.language, "language": language,
        "user_id": user_id,
    })
    module_titles = course.translations.get(language, {}).get("modules", {})
    return Outline([
        OutlineItem(
            id=row.id,
            key=row.key,
            module_key=row.module_key,
            module_title=module_titles.get(row.module_key) or row.module_title,
            title=row.title,
            minutes=row.minutes,
            objectives=(row.objectives or []) if objectives else [],
            has_quiz=row.quiz_id is not None,
            graded_quiz=bool(row.graded),
            completed_at=row.completed_at if user_id is not None else None,
            discussion=row.discussion,
            thread_count=row.thread_count,
            discussion_changed_at=row.discussion_changed_at,
        )
        for row in rows
    ])


@dataclass(frozen=True)
class LessonPage:
    content: LessonContent
    quiz: Quiz | None
    attempts_used: int
    best_score: int | None
    passed: bool
    # What the learner's enrolment remembers of their last visit (None: not enrolled).
    last_lesson_id: int | None = None
    last_visit_at: datetime | None = None


def _lesson_page_statement(with_attempts: bool):
    stmt = (
        select(LessonContent, Quiz)
        .options(defer(LessonContent.quiz_spec))  # the answer key: the page never reads it
        .outerjoin(Quiz, and_(Quiz.lesson_id == LessonContent.lesson_id,
                              Quiz.removed_at.is_(None)))
        .where(LessonContent.lesson_id == bindparam("lesson_id"),
               LessonContent.language.in_([bindparam("language"),
                                           bindparam("course_language")]))
    )
    if with_attempts:
        mine = and_(QuizAttempt.quiz_id == Quiz.id, QuizAttempt.user_id == bindparam("user_id"))
        enrolment = and_(Enrolment.user_id == bindparam("user_id"),
                         Enrolment.course_id == bindparam("course_id"))
        stmt = stmt.add_columns(
            select(func.count(QuizAttempt.id)).where(mine).scalar_subquery(),
            select(func.max(QuizAttempt.score_percent)).where(mine).scalar_subquery(),
            select(Enrolment.last_lesson_id).where(enrolment).scalar_subquery(),
            select(Enrolment.last_activity_at).where(enrolment).scalar_subquery(),
        )
    return stmt


_LESSON_PAGE = {False: _lesson_page_statement(False), True: _lesson_page_statement(True)}


def load_lesson_page(lesson_id: int, course: Course, language: str,
                     user_id: int | None) -> LessonPage | None:
    """The lesson's content in the best language, its quiz, the learner's attempts and last
    visit."""
    rows = db.session.execute(_LESSON_PAGE[user_id is not None], {
        "lesson_id": lesson_id, "language": language, "course_language": course.language,
        "user_id": user_id, "course_id": course.id,
    }).all()
    if not rows:
        return None
    row = next((r for r in rows if r[0].language == language), rows[0])
    content, quiz = row[0], row[1]
    if user_id is None:
        return LessonPage(content, quiz, 0, None, False)
    attempts, best, last_lesson_id, last_visit_at = row[2:]
    passed = best is not None and quiz is not None and best >= quiz.pass_mark
    return LessonPage(content, quiz, attempts or 0, best, passed, last_lesson_id, last_visit_at)


@dataclass(frozen=True)
class CatalogueEntry:
    course: Course
    lessons: int
    done: int
    enrolled: bool
    completed: bool = False


def learning_path(programmes: list[Programme]) -> dict[str, int]:
    """Each course's place on the learning path: the programmes' courses in their order (the
    required ones, then the electives), programme by programme."""
    path: dict[str, int] = {}
    for programme in programmes:
        for slug in [*programme.required, *programme.electives]:
            path.setdefault(slug, len(path))
    return path


_PROGRAMMES = select(Programme).order_by(Programme.id)


def all_programmes() -> list[Programme]:
    return db.session.scalars(_PROGRAMMES).all()


def load_catalogue(user_id: int | None, language: str | None = None,
                   level: str | None = None, search: str | None = None,
                   programmes: list[Programme] | None = None) -> list[CatalogueEntry]:
    """The courses in learning-path order, then by level (introductory first) and title
    (``programmes``: the path's, when the caller has them already)."""
    stmt = select(Course, lesson_count())
    if language:  # courses a reader of that language can read in it, translated or not
        stmt = stmt.where(select(LessonContent.id).join(Lesson).where(
            Lesson.course_id == Course.id, LessonContent.language == language).exists())
    if level:
        stmt = stmt.where(Course.level == level)
    if search:
        pattern = f"%{search.strip().lower()}%"
        stmt = stmt.where(func.lower(Course.title).like(pattern)
                          | func.lower(Course.summary).like(pattern))
    if user_id is not None:
        mine = and_(Enrolment.course_id == Course.id, Enrolment.user_id == user_id)
        enrolled = select(Enrolment.id).where(mine).exists()
        completed = select(Enrolment.id).where(mine, Enrolment.completed_at.is_not(None)).exists()
        stmt = stmt.add_columns(lessons_done(user_id), enrolled, completed)
    entries = []
    for row in db.session.execute(stmt):
        done_count, is_enrolled, is_completed = (
            row[2:5] if user_id is not None else (0, False, False))
        entries.append(CatalogueEntry(row[0], row[1], done_count, bool(is_enrolled),
                                      bool(is_completed)))
    path = learning_path(all_programmes() if programmes is None else programmes)
    levels = {name: rank for rank, name in enumerate(LEVELS)}
    entries.sort(key=lambda e: (path.get(e.course.slug, len(path)),
                                levels.get(e.course.level, len(levels)), e.course.title))
    return entries


@dataclass(frozen=True)
class ProgrammeProgress:
    """A programme's courses as catalogue entries, and how far a learner is from its rule:
    every required course, and ``electives_required`` of the electives, completed."""

    programme: Programme
    required: list[CatalogueEntry]
    electives: list[CatalogueEntry]

    @property
    def electives_done(self) -> int:
        return sum(entry.completed for entry in self.electives)

    @property
    def steps_total(self) -> int:
        return len(self.required) + self.programme.electives_required

    @property
    def steps_done(self) -> int:
        return (sum(entry.completed for entry in self.required)
                + min(self.electives_done, self.programme.electives_required))

    @property
    def complete(self) -> bool:
        return self.steps_done == self.steps_total

    @property
    def next_course(self) -> CatalogueEntry | None:
        """Where to go on: a required course not done, else an elective begun, else none."""
        pending = [e for e in self.required if not e.completed]
        if not pending and not self.complete:
            pending = [e for e in self.electives if e.enrolled and not e.completed]
        return pending[0] if pending else None


def load_programmes(user_id: int | None, slug: str | None = None
                    ) -> tuple[list[ProgrammeProgress], list[CatalogueEntry]]:
    """Every programme (or the one ``slug`` names) with the learner's progress, and the
    catalogue it was built from: two queries whatever the number of programmes and courses."""
    programmes = [p for p in all_programmes() if slug is None or p.slug == slug]
    if not programmes:
        return [], []
    entries = load_catalogue(user_id, programmes=programmes)
    by_slug = {entry.course.slug: entry for entry in entries}
    return [
        ProgrammeProgress(
            programme,
            [by_slug[s] for s in programme.required if s in by_slug],
            [by_slug[s] for s in programme.electives if s in by_slug],
        )
        for programme in programmes
    ], entries


def last_visit(user_id: int, language: str):
    """The course, lesson key and lesson title (in ``language`` where translated) the learner
    was last on in a course not yet completed, in one query; or None."""
    main, translated = aliased(LessonContent), aliased(LessonContent)
    return db.session.execute(
        select(Course, Lesson.key, func.coalesce(translated.title, main.title).label("title"))
        .join(Enrolment, Enrolment.course_id == Course.id)
        .join(Lesson, Lesson.id == Enrolment.last_lesson_id)
        .join(main, and_(main.lesson_id == Lesson.id, main.language == Course.language))
        .outerjoin(translated, and_(translated.lesson_id == Lesson.id,
                                    translated.language == language))
        .where(Enrolment.user_id == user_id, Enrolment.completed_at.is_(None))
        .order_by(Enrolment.last_activity_at.desc())
        .limit(1)
    ).first()

"""Record what learners do: enrol, complete lessons, submit quizzes; decide course completion.

Every write here is safe to repeat: a double click, a replayed form or two app servers doing
the same thing at once leave one enrolment, one completion and one attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, insert, or_, select, update

from . import grading
from .certificates.issuing import issue_for_course
from .content.question_kinds import KINDS
from .content.schema import Quiz as QuizSpec
from .extensions import db, dialect_insert, insert_if_absent
from .models import (
    AttemptResponse,
    Course,
    Enrolment,
    Lesson,
    LessonContent,
    LessonProgress,
    QuestionAnswerDay,
    Quiz,
    QuizAttempt,
    QuizQuestion,
    ReflectionAnswer,
    User,
    utcnow,
)


class AttemptsExhausted(Exception):
    """The learner has used every attempt the course allows."""


@cache  # built once per dialect: every quiz submission runs it
def _answer_count_upsert(insert):
    stmt = insert(QuestionAnswerDay)
    return stmt.on_conflict_do_update(
        index_elements=["question_id", "day", "response", "correct", "first_try"],
        set_={"count": QuestionAnswerDay.count + stmt.excluded.count},
    )


def add_answer_counts(rows: list[dict]) -> None:
    """Add to the daily answer counts the quiz analytics read, creating rows as needed."""
    db.session.execute(_answer_count_upsert(dialect_insert()), rows)


def _count_answers(responses: list[dict], day, first_try: bool) -> None:
    """Add this attempt's answers to the daily answer counts (one statement)."""
    if responses:
        add_answer_counts([
            {"question_id": r["question_id"], "day": day, "first_try": first_try,
             "correct": r["correct"], "count": 1,
             "response": QuestionAnswerDay.normalise(r["response"])}
            for r in responses
        ])


def enrol(user_id: int, course_id: int) -> None:
    insert_if_absent(
        Enrolment, user_id=user_id, course_id=course_id, enrolled_at=utcnow(),
        last_activity_at=utcnow(),
    )


# Rereading the same lesson within this time writes nothing: activity is kept to this precision.
ACTIVITY_PRECISION = timedelta(minutes=5)


_RECORD_VISIT = (  # built once: it runs on every lesson a learner opens
    update(Enrolment)
    .where(
        Enrolment.user_id == bindparam("learner"),
        Enrolment.course_id == bindparam("course"),
        or_(Enrolment.last_lesson_id.is_(None),
            Enrolment.last_lesson_id != bindparam("lesson"),
            Enrolment.last_activity_at < bindparam("stale_before")),
    )
    .values(last_lesson_id=bindparam("lesson"), last_activity_at=bindparam("now"))
    # No loaded Enrolment needs refreshing here; looking for one costs more than the UPDATE.
    .execution_options(synchronize_session=False)
)


def visit_is_news(lesson_id: int, last_lesson_id: int | None,
                  last_visit_at: datetime | None) -> bool:
    """Whether opening this lesson changes what the enrolment remembers of the last visit
    (a learner who is not enrolled has none: ``last_visit_at`` is None)."""
    if last_visit_at is None:
        return False
    return last_lesson_id != lesson_id or last_visit_at < utcnow() - ACTIVITY_PRECISION


def record_visit(user_id: int, course_id: int, lesson_id: int) -> None:
    """Remember the last lesson an enrolled learner opened (one UPDATE, no read)."""
    now = utcnow()
    db.session.execute(_RECORD_VISIT, {
        "learner": user_id, "course": course_id, "lesson": lesson_id, "now": now,
        "stale_before": now - ACTIVITY_PRECISION,
    })
    db.session.commit()


def complete_lesson(user_id: int, lesson: Lesson, by: str = "learner") -> bool:
    """Mark a lesson done (enrolling if needed); True if it was not done before."""
    enrol(user_id, lesson.course_id)
    new = insert_if_absent(
        LessonProgress, user_id=user_id, lesson_id=lesson.id, completed_by=by,
        completed_at=utcnow(),
    ) is not None
    if new:
        update_course_completion(user_id, lesson.course)
    return new


# What a submission reads, built once: composing a statement costs more than running it.
_ATTEMPTS_USED = select(func.count()).where(QuizAttempt.user_id == bindparam("learner"),
                                            QuizAttempt.quiz_id == bindparam("quiz"))
_LOCK_ENROLMENT = (
    select(Enrolment.id)
    .where(Enrolment.user_id == bindparam("learner"), Enrolment.course_id == bindparam("course"))
    .with_for_update()
)
_ATTEMPT_BY_TOKEN = select(QuizAttempt.id).where(
    QuizAttempt.user_id == bindparam("learner"), QuizAttempt.submission_token == bindparam("token"))
_QUESTION_IDS = select(QuizQuestion.key, QuizQuestion.id).where(
    QuizQuestion.quiz_id == bindparam("quiz"))


def attempts_used(user_id: int, quiz_id: int) -> int:
    return db.session.scalar(_ATTEMPTS_USED, {"learner": user_id, "quiz": quiz_id})


def submit_quiz(
    user_id: int, lesson: Lesson, language: str, quiz: QuizSpec, answers: Mapping, token: str
) -> int:
    """Grade on the server, store the attempt whole, and complete the lesson on a pass.

    ``quiz`` is the lesson's quiz in ``language``, the one the learner answered. Returns the
    attempt's id. The same ``token`` (one per rendered form) submitted twice returns the first
    attempt's.
    """
    quiz_row: Quiz = lesson.quiz
    enrol(user_id, lesson.course_id)
    # Serialise this learner's submissions for the course (a no-op lock on SQLite, which
    # serialises writers anyway), so attempt limits hold under concurrent posts.
    db.session.execute(_LOCK_ENROLMENT, {"learner": user_id, "course": lesson.course_id})
    replay = db.session.scalar(_ATTEMPT_BY_TOKEN, {"learner": user_id, "token": token})
    if replay is not None:
        return replay
    used = attempts_used(user_id, quiz_row.id)
    if quiz_row.max_attempts is not None and used >= quiz_row.max_attempts:
        raise AttemptsExhausted

    result = grading.grade(quiz, answers)
    question_ids = dict(db.session.execute(_QUESTION_IDS, {"quiz": quiz_row.id}).all())
    kinds = {q.id: KINDS[q.kind] for q in quiz.questions}
    given = {r.question_id: kinds[r.question_id].record(r.given) for r in result.questions}
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_id=quiz_row.id,
        language=language,
        submission_token=token,
        score_percent=result.score_percent,
        pass_mark=result.pass_mark,
        passed=result.passed,
        answers=given,
    )
    db.session.add(attempt)
    db.session.flush()
    responses = [
        {"attempt_id": attempt.id, "question_id": question_ids[r.question_id],
         "correct": r.correct, "response": kinds[r.question_id].encode(r.given)}
        for r in result.questions if r.question_id in question_ids
    ]
    if responses:
        db.session.execute(insert(AttemptResponse), responses)  # one statement for them all
    _count_answers(responses, attempt.submitted_at.date(), first_try=used == 0)
    if result.passed:
        complete_lesson(user_id, lesson, by="quiz")
    attempt_id = attempt.id  # read before the commit expires it (reading after costs a query)
    db.session.commit()
    return attempt_id


def regrade(attempt: QuizAttempt, quiz: QuizSpec) -> grading.QuizResult:
    """The per-question result of a stored attempt, for showing feedback after submission."""
    return grading.grade(quiz, attempt.answers)


# --- Counting lessons: one definition for the catalogue, the dashboard and the analytics -----


def live_lessons(course_id):
    """The conditions for a course's lessons in its outline now (not removed by an import)."""
    return Lesson.course_id == course_id, Lesson.removed_at.is_(None)


def lesson_count(course_id=Course.id):
    """How many lessons a course has: per course row of the outer query, or for one id."""
    return select(func.count(Lesson.id)).where(*live_lessons(course_id)).scalar_subquery()


def lessons_done(user_id, course_id=Course.id):
    """How many of them the learner completed (``user_id``: a value or a column)."""
    return (
        select(func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user_id, *live_lessons(course_id))
        .scalar_subquery()
    )


def completion_rule(course: Course) -> str:
    """The course's completion rule in plain words, in the current language."""
    if course.completion_quizzes == "graded":
        rule = _("Complete every lesson of the course and pass each graded quiz at its pass "
                 "mark.")
    else:
        rule = _("Complete every required lesson of the course.")
    if course.completion_reflections:
        rule += " " + _("Write an answer to each reflection of those lessons.")
    return rule


def course_requirements_met(user_id: int, course: Course) -> bool:
    """The course's completion rule: its required lessons done and its graded quizzes passed."""
    required = (*live_lessons(course.id), Lesson.key.in_(course.completion_lessons))
    total = db.session.scalar(select(func.count(Lesson.id)).where(*required))
    done = db.session.scalar(
        select(func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user_id, *required)
    )
    if done < total:
        return False
    if course.completion_reflections and _unanswered_reflections(user_id, course):
        return False
    if course.completion_quizzes != "graded":
        return True
    unpassed = db.session.scalar(
        select(func.count(Quiz.id))
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .where(
            Lesson.course_id == course.id,
            Lesson.removed_at.is_(None),
            Quiz.removed_at.is_(None),
            Quiz.graded.is_(True),
            ~select(QuizAttempt.id)
            .where(
                QuizAttempt.quiz_id == Quiz.id,
                QuizAttempt.user_id == user_id,
                QuizAttempt.passed.is_(True),
            )
            .exists(),
        )
    )
    return unpassed == 0


def _unanswered_reflections(user_id: int, course: Course) -> int:
    """The reflections of the course's required lessons the learner has not answered (their
    ids are the same in every language: the main language's lessons say which there are)."""
    activities = db.session.execute(
        select(LessonContent.lesson_id, LessonContent.activities)
        .join(Lesson, Lesson.id == LessonContent.lesson_id)
        .where(*live_lessons(course.id), Lesson.key.in_(course.completion_lessons),
               LessonContent.language == course.language))
    asked = {(lesson_id, key) for lesson_id, specs in activities
             for key, spec in (specs or {}).items() if spec.get("kind") == "reflection"}
    if not asked:
        return 0
    answered = set(db.session.execute(
        select(ReflectionAnswer.lesson_id, ReflectionAnswer.reflection_key)
        .where(ReflectionAnswer.user_id == user_id,
               ReflectionAnswer.lesson_id.in_({lesson_id for lesson_id, _key in asked}))).all())
    return len(asked - answered)


def update_course_completion(user_id: int, course: Course) -> bool:
    """Stamp the enrolment complete the moment the rule is met, and issue its certificates;
    True if it just happened."""
    if not course_requirements_met(user_id, course):
        return False
    now = utcnow()
    result = db.session.execute(
        update(Enrolment)
        .where(
            Enrolment.user_id == user_id,
            Enrolment.course_id == course.id,
            Enrolment.completed_at.is_(None),
        )
        .values(completed_at=now)
    )
    if result.rowcount != 1:
        return False
    issue_for_course(db.session.get(User, user_id), course, completed_at=now)
    return True

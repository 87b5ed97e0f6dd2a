"""``flask dev seed-load``: fill a course with many made-up learners, for measuring analytics.

Learners, enrolments, lesson completions, quiz attempts with their per-question responses (and
the daily answer counts the analytics read) and certificates are generated from a fixed random
seed (the same run gives the same rows) and written with bulk inserts (one executemany per table
and batch, explicit ids), never as ORM objects one by one. The seeded accounts cannot log in:
their password hash is not a hash.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import Flask
from sqlalchemy import func, insert, select, text

from ..cli import CommandGroup
from ..content.question_kinds import KINDS, Given
from ..content.schema import Quiz as QuizSpec
from ..extensions import db
from ..models import (
    AttemptResponse,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonContent,
    LessonProgress,
    QuestionAnswerDay,
    Quiz,
    QuizAttempt,
    QuizQuestion,
    User,
    utcnow,
)
from ..progress import add_answer_counts

dev_cli = CommandGroup("dev", help="Tools for developers: load test data.")

FIRST = ["Amina", "Bruno", "Chen", "Dolores", "Emeka", "Farah", "Giulia", "Hiroshi", "Ines",
         "Jonas", "Kwame", "Lucía", "Mateus", "Nadia", "Olga", "Priya", "Quentin", "Rania",
         "Sipho", "Thị Hương", "Uzma", "Víctor", "Wanjiru", "Xavier", "Yusuf", "Zofia"]
LAST = ["Abebe", "Bianchi", "Cruz", "Dubois", "Eze", "Fernández", "García", "Haddad", "Ivanova",
        "Johansson", "Kamau", "López", "Mbeki", "Nguyen", "Okafor", "Petrov", "Quispe", "Rossi",
        "Silva", "Tanaka", "Usman", "Varga", "Wang", "Xu", "Yilmaz", "Zulu"]
WRONG_TYPED = ["i don't know", "2022", "association", "7", "2015", "ilo"]
BATCH_LEARNERS = 2000
TABLES = (User, Enrolment, LessonProgress, QuizAttempt, AttemptResponse, Certificate)


@dataclass
class SeedQuestion:
    id: int
    key: str
    kind: str
    correct: list[str]  # choice ids, or accepted answers for typed questions
    wrong: list[str]  # wrong choice ids, the most tempting first
    ease: float  # chance of a right answer on a first attempt
    typed: bool
    arranged: bool = False  # ordering and matching: ``correct`` is the answer key


@dataclass
class SeedLesson:
    id: int
    position: int
    quiz_id: int | None = None
    pass_mark: int = 0
    max_attempts: int = 3
    graded: bool = True
    questions: list[SeedQuestion] | None = None


def _plan(course: Course, rng: random.Random) -> list[SeedLesson]:
    """The course's live lessons, and for each quiz what right and wrong answers look like."""
    lessons = [SeedLesson(lid, pos) for lid, pos in db.session.execute(
        select(Lesson.id, Lesson.position)
        .where(Lesson.course_id == course.id, Lesson.removed_at.is_(None))
        .order_by(Lesson.position))]
    by_id = {lesson.id: lesson for lesson in lessons}
    for quiz_id, lesson_id, pass_mark, max_attempts, graded, spec in db.session.execute(
        select(Quiz.id, Quiz.lesson_id, Quiz.pass_mark, Quiz.max_attempts, Quiz.graded,
               LessonContent.quiz_spec)
        .join(LessonContent, LessonContent.lesson_id == Quiz.lesson_id)
        .where(Quiz.lesson_id.in_(by_id), Quiz.removed_at.is_(None),
               LessonContent.language == course.language)
    ):
        lesson = by_id[lesson_id]
        lesson.quiz_id, lesson.pass_mark = quiz_id, pass_mark
        lesson.max_attempts = max_attempts or 3
        lesson.graded = graded
        specs = {q.id: q for q in QuizSpec.from_spec(spec).questions} if spec else {}
        lesson.questions = []
        for n, (qid, key, kind) in enumerate(db.session.execute(
            select(QuizQuestion.id, QuizQuestion.key, QuizQuestion.kind)
            .where(QuizQuestion.quiz_id == quiz_id, QuizQuestion.removed_at.is_(None))
            .order_by(QuizQuestion.position)
        )):
            q = specs.get(key)
            if q is not None and KINDS[kind].tally == "arrangement":
                lesson.questions.append(SeedQuestion(
                    qid, key, kind, list(KINDS[kind].key(q)), [], rng.uniform(0.4, 0.8),
                    typed=False, arranged=True))
                continue
            typed = q is None or not q.choices
            correct = (list(q.accepted[:1]) if q else ["answer"]) if typed else [
                c.id for c in q.choices if c.correct]
            wrong = [] if typed else [c.id for c in q.choices if not c.correct]
            rng.shuffle(wrong)
            # The second question misleads: most learners pick its first wrong option.
            ease = 0.3 if n == 1 else rng.uniform(0.55, 0.92)
            lesson.questions.append(SeedQuestion(qid, key, kind, correct, wrong, ease, typed))
    return lessons


def _answer(q: SeedQuestion, right: bool, rng: random.Random) -> tuple[str, object]:
    """What a learner gives: (the stored response text, the answers JSON value)."""
    kind = KINDS[q.kind]
    if q.arranged:  # a wrong one: the first two swapped, the commonest slip
        given: Given = tuple(q.correct) if right else (q.correct[1], q.correct[0], *q.correct[2:])
    elif q.typed:
        given = q.correct[0] if right else rng.choice(WRONG_TYPED)
    elif right:
        given = tuple(sorted(q.correct))
    else:
        # The first wrong option tempts three times as many learners as each other one.
        weights = [3] + [1] * (len(q.wrong) - 1)
        ids = [rng.choices(q.wrong, weights)[0]] if q.wrong else []
        if len(q.correct) > 1:  # half right: some of the right choices and a wrong one
            ids = q.correct[:-1] + ids
        given = tuple(sorted(ids))
    return kind.encode(given), kind.record(given)


class _Ids:
    """The next free id of each table, so rows can refer to each other before insertion."""

    def __init__(self):
        self.next = {model: (db.session.scalar(select(func.max(model.id))) or 0) + 1
                     for model in TABLES}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] += 1
        return value


def seed_load(course: Course, learners: int, seed: int = 2026,
              echo=lambda message: None) -> dict[str, int]:
    """Insert ``learners`` learners with progress and attempts; returns rows per table."""
    rng = random.Random(seed)
    lessons = _plan(course, rng)
    if not lessons:
        raise ValueError(f"course {course.slug} has no lessons")
    prefix = f"seed-{course.slug}-"
    if db.session.scalar(select(User.id).where(User.email.like(prefix + "%")).limit(1)):
        raise ValueError(f"{course.slug} is already seeded (accounts {prefix}*)")
    ids = _Ids()
    now = utcnow().replace(microsecond=0)
    totals = {model.__tablename__: 0 for model in TABLES}
    rows: dict = {model: [] for model in TABLES}
    answer_days: Counter = Counter()  # what progress.submit_quiz counts, counted here

    def flush():
        for model in TABLES:
            if rows[model]:
                db.session.execute(insert(model.__table__), rows[model])
                totals[model.__tablename__] += len(rows[model])
                rows[model].clear()

    def attempt(user_id: int, lesson: SeedLesson, number: int, clock: datetime) -> bool:
        """One attempt: more answers are right at each try."""
        attempt_id = ids.take(QuizAttempt)
        right_count, answers = 0, {}
        for q in lesson.questions:
            right = rng.random() < min(0.98, q.ease + 0.2 * number)
            response, answers[q.key] = _answer(q, right, rng)
            right_count += right
            rows[AttemptResponse].append({
                "id": ids.take(AttemptResponse), "attempt_id": attempt_id,
                "question_id": q.id, "correct": right, "response": response})
            answer_days[(q.id, clock.date(), QuestionAnswerDay.normalise(response), right,
                         number == 0)] += 1
        score = round(100 * right_count / max(1, len(lesson.questions)))
        rows[QuizAttempt].append({
            "id": attempt_id, "user_id": user_id, "quiz_id": lesson.quiz_id,
            "language": course.language, "submission_token": f"seed-{attempt_id}",
            "score_percent": score, "pass_mark": lesson.pass_mark,
            "passed": score >= lesson.pass_mark, "answers": answers,
            "submitted_at": clock})
        return score >= lesson.pass_mark

    for n in range(learners):
        user_id = ids.take(User)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        enrolled = now - timedelta(seconds=rng.randrange(365 * 86400))
        rows[User].append({
            "id": user_id, "email": f"{prefix}{n:06d}@example.invalid",
            "password_hash": "!seeded: cannot log in", "full_name": name, "language": "en",
            "role": "learner", "active": True, "email_confirmed_at": enrolled,
            "created_at": enrolled,
            "last_login_at": None,
        })
        clock, last_lesson, done = enrolled, None, 0
        stay = rng.uniform(0.75, 0.97)  # how likely this learner goes on after each lesson

        for lesson in lessons:
            clock = min(now, clock + timedelta(minutes=rng.randrange(2, 3 * 24 * 60)))
            last_lesson = lesson.id
            practice = lesson.quiz_id is not None and not lesson.graded
            if lesson.quiz_id is None or practice:
                if practice and rng.random() < 0.7:  # most try the practice quiz once
                    attempt(user_id, lesson, 0, clock)
                if rng.random() > stay:
                    break
                rows[LessonProgress].append({
                    "id": ids.take(LessonProgress), "user_id": user_id,
                    "lesson_id": lesson.id, "completed_at": clock, "completed_by": "learner"})
                done += 1
                continue
            passed = False
            for number in range(lesson.max_attempts):
                passed = attempt(user_id, lesson, number, clock)
                if passed or rng.random() > stay:
                    break
                clock = min(now, clock + timedelta(minutes=rng.randrange(5, 600)))
            if not passed:
                break
            rows[LessonProgress].append({
                "id": ids.take(LessonProgress), "user_id": user_id, "lesson_id": lesson.id,
                "completed_at": clock, "completed_by": "quiz"})
            done += 1
        completed = clock if done == len(lessons) else None
        rows[Enrolment].append({
            "id": ids.take(Enrolment), "user_id": user_id, "course_id": course.id,
            "enrolled_at": enrolled, "last_lesson_id": last_lesson, "last_activity_at": clock,
            "completed_at": completed})
        if completed and course.certificate:
            rows[Certificate].append({
                "id": ids.take(Certificate), "public_id": f"{rng.getrandbits(128):032x}",
                "user_id": user_id, "course_id": course.id, "programme_id": None,
                "holder_name": name, "title": course.title, "language": course.language,
                "issued_at": completed, "revoked_at": None, "revocation_reason": None})
        if (n + 1) % BATCH_LEARNERS == 0:
            flush()
            echo(f"{n + 1} learners")
    flush()
    day_rows = [dict(zip(("question_id", "day", "response", "correct", "first_try"), key,
                         strict=True), count=n) for key, n in answer_days.items()]
    for start in range(0, len(day_rows), 5_000):  # added to counts real attempts already made
        add_answer_counts(day_rows[start:start + 5_000])
    totals[QuestionAnswerDay.__tablename__] = len(day_rows)
    if db.session.get_bind().dialect.name == "postgresql":
        for model in TABLES:
            table = model.__tablename__
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    db.session.commit()
    return totals


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load (both databases plan with them)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


@dev_cli.command("seed-load")
@click.option("--course", "slug", required=True, help="Slug of an imported course.")
@click.option("--learners", default=1000, show_default=True, type=click.IntRange(1))
@click.option("--seed", default=2026, show_default=True, help="Random seed.")
def seed_load_command(slug: str, learners: int, seed: int) -> None:
    """Fill a course with made-up learners, progress, attempts and certificates."""
    course = db.session.scalar(select(Course).filter_by(slug=slug))
    if course is None:
        raise click.ClickException(f"No course {slug}: import it first (flask courses import).")
    started = datetime.now()
    try:
        totals = seed_load(course, learners, seed, echo=click.echo)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    analyse()
    seconds = (datetime.now() - started).total_seconds()
    for table, count in totals.items():
        click.echo(f"{table}: {count} rows")
    click.echo(f"Seeded {learners} learners into {slug} in {seconds:.1f} s.")


def init_app(app: Flask) -> None:
    app.cli.add_command(dev_cli)

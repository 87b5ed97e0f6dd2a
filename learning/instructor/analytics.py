"""What instructors see of a course, computed in SQL: a few aggregate queries per page.

Every function here runs a fixed number of statements whatever the number of learners, and
returns small results (one row per day, lesson, question or page of learners). Python only
shapes those rows for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal, or_, select, union_all

from ..content.question_kinds import kind_of
from ..content.schema import Question as QuizSpecQuestion
from ..content.schema import Quiz as QuizSpec
from ..extensions import db
from ..learn.polls import PollResult, polls_of_specs
from ..models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonContent,
    LessonProgress,
    PollVote,
    QuestionAnswerDay,
    Quiz,
    QuizAttempt,
    QuizQuestion,
    User,
    utcnow,
)
from ..progress import lesson_count, lessons_done, live_lessons

PAGE_SIZE = 50
LATEST_REASONS = 20  # per "explain why" question
TOP_TYPED_ANSWERS = 5


@dataclass(frozen=True)
class DateRange:
    """Whole days, both ends included."""

    start: date
    end: date

    @classmethod
    def last_days(cls, days: int = 30, today: date | None = None) -> DateRange:
        today = today or utcnow().date()
        return cls(today - timedelta(days=days - 1), today)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def until(self) -> datetime:
        """The first moment after the range (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    @property
    def by_month(self) -> bool:
        return (self.end - self.start).days > 62

    def buckets(self) -> list[str]:
        """Every day (or month, for long ranges) of the range, as the SQL below labels them."""
        if self.by_month:
            labels, year, month = [], self.start.year, self.start.month
            while (year, month) <= (self.end.year, self.end.month):
                labels.append(f"{year:04d}-{month:02d}")
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return labels
        days = (self.end - self.start).days + 1
        return [(self.start + timedelta(days=n)).isoformat() for n in range(days)]

    def contains(self, column):
        return and_(column >= self.since, column < self.until)


def _label(column, by_month: bool):
    """A timestamp's day ('2026-11-23') or month ('2026-11') as text, on either database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM" if by_month else "YYYY-MM-DD")
    return func.strftime("%Y-%m" if by_month else "%Y-%m-%d", column)


def _count_if(condition):
    return func.count(case((condition, 1)))


def percent(part: int | float, whole: int | float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# --- The course dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    enrolled: int
    completed: int
    enrolled_in_range: int
    active_in_range: int
    certificates: int

    @property
    def completion_rate(self) -> float:
        return percent(self.completed, self.enrolled)


def overview(course: Course, rng: DateRange) -> Overview:
    """Headline figures in one statement."""
    certificates = (
        select(func.count(Certificate.id))
        .where(Certificate.course_id == course.id, Certificate.revoked_at.is_(None))
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            func.count(Enrolment.id),
            func.count(Enrolment.completed_at),
            _count_if(rng.contains(Enrolment.enrolled_at)),
            _count_if(rng.contains(Enrolment.last_activity_at)),
            certificates,
        ).where(Enrolment.course_id == course.id)
    ).one()
    return Overview(*(value or 0 for value in row))


def enrolments_over_time(course: Course, rng: DateRange) -> list[tuple[str, int]]:
    """New enrolments per day (per month over long ranges), every bucket present."""
    bucket = _label(Enrolment.enrolled_at, rng.by_month).label("bucket")
    counts = dict(
        db.session.execute(
            select(bucket, func.count())
            .where(Enrolment.course_id == course.id, rng.contains(Enrolment.enrolled_at))
            .group_by(bucket)
        ).all()
    )
    return [(label, counts.get(label, 0)) for label in rng.buckets()]


@dataclass(frozen=True)
class FunnelStep:
    key: str
    title: str
    position: int
    reached: int
    completed: int

    @property
    def dropped(self) -> int:
        """Reached the lesson but never completed it."""
        return max(self.reached - self.completed, 0)


def funnel(course: Course) -> list[FunnelStep]:
    """Per lesson: how many learners got this far, and how many completed it (one statement).

    A learner has *reached* a lesson when the furthest point they got to in the outline (the
    last lesson they opened, or the furthest lesson they completed) is this lesson or a later
    one. The count of learners per furthest position is small (one row per lesson) and is
    summed over the positions at or after each lesson.
    """
    live = live_lessons(course.id)
    done_at = (
        select(LessonProgress.user_id.label("user_id"), Lesson.position.label("position"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(*live)
    )
    opened_at = (
        select(Enrolment.user_id.label("user_id"), Lesson.position.label("position"))
        .join(Lesson, Lesson.id == Enrolment.last_lesson_id)
        .where(Enrolment.course_id == course.id, *live)
    )
    points = union_all(done_at, opened_at).subquery("points")
    furthest = (
        select(points.c.user_id, func.max(points.c.position).label("position"))
        .group_by(points.c.user_id)
        .subquery("furthest")
    )
    per_position = (
        select(furthest.c.position, func.count().label("learners"))
        .group_by(furthest.c.position)
        .subquery("per_position")
    )
    completed = (
        select(LessonProgress.lesson_id, func.count().label("learners"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(*live)
        .group_by(LessonProgress.lesson_id)
        .subquery("completed")
    )
    rows = db.session.execute(
        select(
            Lesson.key,
            LessonContent.title,
            Lesson.position,
            func.coalesce(func.sum(per_position.c.learners), 0),
            func.coalesce(func.max(completed.c.learners), 0),
        )
        .join(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                  LessonContent.language == course.language))
        .outerjoin(per_position, per_position.c.position >= Lesson.position)
        .outerjoin(completed, completed.c.lesson_id == Lesson.id)
        .where(*live)
        .group_by(Lesson.id, Lesson.key, LessonContent.title, Lesson.position)
        .order_by(Lesson.position)
    ).all()
    return [FunnelStep(*row) for row in rows]


# --- Quiz analytics ---------------------------------------------------------------------------


@dataclass
class ChoiceStat:
    id: str
    text_html: str
    correct: bool
    chosen: int = 0
    flagged: bool = False  # the most-chosen wrong option of its question


@dataclass
class QuestionStat:
    key: str
    kind: str
    prompt_html: str
    responses: int = 0
    correct: int = 0
    first_tries: int = 0
    first_try_correct: int = 0
    choices: list[ChoiceStat] = field(default_factory=list)
    typed: list[tuple[str, int, bool]] = field(default_factory=list)  # answer, count, correct
    # Ordering and matching: how often each step or pair was placed right, and the commonest
    # wrong arrangement (HTML).
    placements: list[ChoiceStat] = field(default_factory=list)
    common_wrong_html: str | None = None
    reasons: list[str] = field(default_factory=list)  # "explain why": the latest, unsigned

    @property
    def tally(self) -> str | None:
        """How its kind's answers are counted: per choice picked, or per typed answer."""
        kind = kind_of(self.kind)
        return kind.tally if kind else None

    @property
    def first_try_percent(self) -> float:
        return percent(self.first_try_correct, self.first_tries)

    @property
    def correct_percent(self) -> float:
        return percent(self.correct, self.responses)

    @property
    def top_wrong(self) -> ChoiceStat | None:
        return next((c for c in self.choices if c.flagged), None)

    @property
    def misleading(self) -> bool:
        """Its most-chosen wrong option drew more learners than any right one."""
        wrong = self.top_wrong
        right = max((c.chosen for c in self.choices if c.correct), default=0)
        return wrong is not None and wrong.chosen > right


@dataclass
class QuizStat:
    id: int
    lesson_key: str
    title: str
    graded: bool
    pass_mark: int
    attempts: int = 0
    learners: int = 0
    passed: int = 0
    average: float = 0.0
    scores: list[int] = field(default_factory=lambda: [0] * 10)  # 0-9, 10-19 ... 90-100
    questions: list[QuestionStat] = field(default_factory=list)

    @property
    def pass_percent(self) -> float:
        return percent(self.passed, self.attempts)


def quiz_analytics(course: Course, rng: DateRange) -> list[QuizStat]:
    """Every live quiz of the course with per-question statistics: five statements."""
    # 1. The quizzes, with their answer keys in the course's language (read here, shown only
    #    to instructors of the course).
    quiz_rows = db.session.execute(
        select(Quiz.id, Lesson.key, LessonContent.title, Quiz.graded, Quiz.pass_mark,
               LessonContent.quiz_spec)
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .join(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                  LessonContent.language == course.language))
        .where(*live_lessons(course.id), Quiz.removed_at.is_(None))
        .order_by(Lesson.position)
    ).all()
    quizzes = {row.id: QuizStat(row.id, row.key, row.title, row.graded, row.pass_mark)
               for row in quiz_rows}
    if not quizzes:
        return []
    specs = {row.id: {q.id: q for q in QuizSpec.from_spec(row.quiz_spec).questions}
             if row.quiz_spec else {} for row in quiz_rows}
    questions_by_id: dict[int, QuestionStat] = {}
    arranged: dict[int, QuizSpecQuestion] = {}  # ordering and matching questions, by row id
    letters: set[str] = set()
    # 2. Their live questions.
    for qid, quiz_id, key, kind in db.session.execute(
        select(QuizQuestion.id, QuizQuestion.quiz_id, QuizQuestion.key, QuizQuestion.kind)
        .where(QuizQuestion.quiz_id.in_(quizzes), QuizQuestion.removed_at.is_(None))
        .order_by(QuizQuestion.quiz_id, QuizQuestion.position)
    ):
        question = specs[quiz_id].get(key)
        stat = QuestionStat(key, kind, question.prompt_html if question else key)
        if stat.tally == "choices":
            stat.choices = [ChoiceStat(c.id, c.text_html, c.correct)
                            for c in (question.choices if question else ())]
            letters.update(c.id for c in stat.choices)
        elif stat.tally == "arrangement" and question is not None:
            stat.placements = [ChoiceStat(token, label, True)
                               for token, label in kind_of(kind).parts(question)]
            letters.update(p.id for p in stat.placements)
            arranged[qid] = question
        questions_by_id[qid] = stat
        quizzes[quiz_id].questions.append(stat)

    in_range = (QuizAttempt.quiz_id.in_(quizzes), rng.contains(QuizAttempt.submitted_at))

    # 3. Attempts, learners, passes and mean score per quiz.
    for quiz_id, attempts, learners, passed, average in db.session.execute(
        select(QuizAttempt.quiz_id, func.count(), func.count(QuizAttempt.user_id.distinct()),
               _count_if(QuizAttempt.passed.is_(True)), func.avg(QuizAttempt.score_percent))
        .where(*in_range)
        .group_by(QuizAttempt.quiz_id)
    ):
        quiz = quizzes[quiz_id]
        quiz.attempts, quiz.learners, quiz.passed = attempts, learners, passed
        quiz.average = round(float(average or 0), 1)

    # 4. The distribution of scores in tenths (100 % counts in the top one).
    tenth = case((QuizAttempt.score_percent >= 100, 9),
                 else_=QuizAttempt.score_percent // 10).label("tenth")
    for quiz_id, bucket, count in db.session.execute(
        select(QuizAttempt.quiz_id, tenth, func.count())
        .where(*in_range)
        .group_by(QuizAttempt.quiz_id, tenth)
    ):
        quizzes[quiz_id].scores[max(0, min(int(bucket), 9))] += count

    # 5. Per question: responses, right ones, first tries, how often each choice was picked
    #    (a response holds the picked ids joined by commas) and the most frequent typed
    #    answers. They are read from the daily answer counts (question_answer_days, a few rows
    #    per question and day, kept up to date as attempts arrive), grouped by what was
    #    answered, then summed per question and ranked per typed answer, in one statement.
    counted = QuestionAnswerDay
    answered = (
        select(counted.question_id.label("question_id"), counted.response.label("response"),
               case((counted.correct.is_(True), 1), else_=0).label("right"),
               case((counted.first_try.is_(True), 1), else_=0).label("first"),
               func.sum(counted.count).label("n"))
        .where(counted.question_id.in_(questions_by_id),
               counted.day >= rng.start, counted.day <= rng.end)
        .group_by(counted.question_id, counted.response, counted.correct, counted.first_try)
        .cte("answered")
    )
    padded = literal(",") + answered.c.response + literal(",")
    sorted_letters = sorted(letters)

    def total_if(condition):
        return func.coalesce(func.sum(case((condition, answered.c.n), else_=0)), 0)

    per_question = select(
        literal("question").label("part"),
        answered.c.question_id,
        literal(None).label("answer"),
        func.sum(answered.c.n),
        total_if(answered.c.right == 1),
        total_if(answered.c.first == 1),
        total_if(and_(answered.c.first == 1, answered.c.right == 1)),
        *(total_if(padded.like(f"%,{letter},%")) for letter in sorted_letters),
    ).group_by(answered.c.question_id)
    typed_ids = [qid for qid, s in questions_by_id.items() if s.tally in ("typed", "arrangement")]
    by_answer = (
        select(answered.c.question_id, answered.c.response, func.sum(answered.c.n).label("n"),
               func.max(answered.c.right).label("ok"))
        .where(answered.c.question_id.in_(typed_ids or [-1]))
        .group_by(answered.c.question_id, answered.c.response)
        .subquery("by_answer")
    )
    rank = func.row_number().over(
        partition_by=by_answer.c.question_id,
        order_by=(by_answer.c.n.desc(), by_answer.c.response),
    ).label("rank")
    ranked = select(by_answer, rank).subquery("ranked")
    top_typed = select(
        literal("typed"), ranked.c.question_id, ranked.c.response, ranked.c.n, ranked.c.ok,
        ranked.c.rank, *(literal(0) for _ in range(1 + len(sorted_letters))),
    ).where(ranked.c.rank <= TOP_TYPED_ANSWERS)
    for row in db.session.execute(union_all(per_question, top_typed)):
        stat = questions_by_id[row[1]]
        if row[0] == "typed":
            stat.typed.append((int(row[5]), row[2], int(row[3]), bool(row[4])))
            continue
        stat.responses, stat.correct, stat.first_tries, stat.first_try_correct = (
            int(v) for v in row[3:7])
        picked = dict(zip(sorted_letters, row[7:], strict=True))
        for choice in [*stat.choices, *stat.placements]:
            choice.chosen = int(picked.get(choice.id, 0))

    for qid, stat in questions_by_id.items():
        stat.typed = [answer[1:] for answer in sorted(stat.typed)]
        if qid in arranged:
            wrong = next((response for response, _n, ok in stat.typed if not ok), None)
            stat.common_wrong_html = wrong and kind_of(stat.kind).describe(arranged[qid], wrong)
            stat.typed = []
        wrong = [c for c in stat.choices if not c.correct and c.chosen > 0]
        if wrong:
            max(wrong, key=lambda c: c.chosen).flagged = True
    _latest_reasons(quizzes, rng)
    return list(quizzes.values())


def poll_analytics(course: Course, rng: DateRange) -> list[tuple[str, PollResult]]:
    """Every poll of the course's lessons, with its answers in the range, pooled and per
    language, each with the title of its lesson: two statements."""
    found: dict[tuple[int, str], tuple[str, PollResult]] = {}
    for lesson_id, title, specs in db.session.execute(
        select(Lesson.id, LessonContent.title, LessonContent.activities)
        .join(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                  LessonContent.language == course.language))
        .where(*live_lessons(course.id))
        .order_by(Lesson.position)
    ):
        for key, poll in polls_of_specs(specs).items():
            found[(lesson_id, key)] = (title, PollResult(poll, [0] * len(poll.labels)))
    if not found:
        return []
    for lesson_id, key, language, choice, count in db.session.execute(
        select(PollVote.lesson_id, PollVote.poll_key, PollVote.language, PollVote.choice,
               func.count())
        .where(PollVote.lesson_id.in_({lesson_id for lesson_id, _key in found}),
               rng.contains(PollVote.created_at))
        .group_by(PollVote.lesson_id, PollVote.poll_key, PollVote.language, PollVote.choice)
    ):
        entry = found.get((lesson_id, key))
        if entry is None or not 0 <= choice < len(entry[1].counts):
            continue
        result = entry[1]
        result.counts[choice] += count
        result.by_language.setdefault(language, [0] * len(result.counts))[choice] += count
    return list(found.values())


def _latest_reasons(quizzes: dict[int, QuizStat], rng: DateRange) -> None:
    """The reasons learners gave to "explain why" questions, newest first: one statement over
    the latest attempts, only for quizzes that ask for reasons."""
    explained = {(quiz_id, stat.key): stat for quiz_id, quiz in quizzes.items()
                 for stat in quiz.questions if stat.kind == "explained"}
    if not explained:
        return
    for quiz_id, answers in db.session.execute(
        select(QuizAttempt.quiz_id, QuizAttempt.answers)
        .where(QuizAttempt.quiz_id.in_({quiz_id for quiz_id, _key in explained}),
               rng.contains(QuizAttempt.submitted_at))
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
        .limit(LATEST_REASONS * 10)
    ):
        for key, answer in (answers or {}).items():
            stat = explained.get((quiz_id, key))
            because = answer.get("because") if isinstance(answer, dict) else None
            if stat is not None and because and len(stat.reasons) < LATEST_REASONS:
                stat.reasons.append(because)


# --- Translations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationState:
    language: str
    translated: int  # lessons in this language
    stale: int  # of those, translations of a lesson that changed since
    lessons: int  # lessons in the course

    @property
    def up_to_date(self) -> int:
        return self.translated - self.stale


def translations(course: Course) -> list[TranslationState]:
    """Each translation language of the course as last imported: how many lessons it covers
    and how many of those are stale (two queries: these counts, and the course's lessons)."""
    rows = db.session.execute(
        select(LessonContent.language, func.count(), func.sum(case((LessonContent.stale, 1),
                                                                   else_=0)))
        .join(Lesson, Lesson.id == LessonContent.lesson_id)
        .where(*live_lessons(course.id), LessonContent.language != course.language)
        .group_by(LessonContent.language).order_by(LessonContent.language)
    ).all()
    total = lesson_total(course)
    return [TranslationState(language, translated, int(stale or 0), total)
            for language, translated, stale in rows]


# --- Learners ---------------------------------------------------------------------------------


def lesson_total(course: Course) -> int:
    return db.session.scalar(select(lesson_count(course.id)))


@dataclass(frozen=True)
class LearnerPage:
    rows: list
    total: int
    page: int
    pages: int
    lessons: int


def learners(course: Course, search: str = "", page: int = 1) -> LearnerPage:
    """A page of the course's learners, most recently active first: three statements."""
    conditions = [Enrolment.course_id == course.id]
    if search.strip():
        pattern = "%" + search.strip().lower().replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        conditions.append(or_(func.lower(User.full_name).like(pattern, escape="\\"),
                              func.lower(User.email).like(pattern, escape="\\")))
    total = db.session.scalar(
        select(func.count()).select_from(Enrolment).join(User, User.id == Enrolment.user_id)
        .where(*conditions)
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(User.id, User.full_name, User.email, Enrolment.enrolled_at,
               Enrolment.last_activity_at, Enrolment.completed_at,
               lessons_done(User.id, course.id).label("done"))
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(*conditions)
        .order_by(Enrolment.last_activity_at.desc(), User.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return LearnerPage(rows, total, page, pages, lesson_total(course))


@dataclass(frozen=True)
class LearnerDetail:
    user: User
    enrolment: Enrolment
    lessons: list  # key, title, position, completed_at, completed_by
    attempts: list  # lesson key, quiz title, submitted_at, score_percent, pass_mark, passed
    certificate: Certificate | None

    @property
    def done(self) -> int:
        return sum(1 for row in self.lessons if row.completed_at is not None)


def learner_detail(course: Course, user_id: int) -> LearnerDetail | None:
    """One enrolled learner's progress, attempts and certificate; None if not enrolled."""
    found = db.session.execute(
        select(User, Enrolment)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course.id, User.id == user_id)
    ).first()
    if found is None:
        return None
    lessons = db.session.execute(
        select(Lesson.key, LessonContent.title, Lesson.position, LessonProgress.completed_at,
               LessonProgress.completed_by)
        .join(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                  LessonContent.language == course.language))
        .outerjoin(LessonProgress, and_(LessonProgress.lesson_id == Lesson.id,
                                        LessonProgress.user_id == user_id))
        .where(*live_lessons(course.id))
        .order_by(Lesson.position)
    ).all()
    attempts = db.session.execute(
        select(Lesson.key, LessonContent.title, QuizAttempt.submitted_at,
               QuizAttempt.score_percent, QuizAttempt.pass_mark, QuizAttempt.passed)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .join(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                  LessonContent.language == course.language))
        .where(Lesson.course_id == course.id, QuizAttempt.user_id == user_id)
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    ).all()
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.course_id == course.id,
                                  Certificate.user_id == user_id)
    )
    return LearnerDetail(found[0], found[1], lessons, attempts, certificate)


# --- Rows for the CSV exports (streamed, never loaded whole) ----------------------------------


def progress_rows(course: Course, rng: DateRange | None = None):
    """One row per enrolled learner, in id order, for streaming with ``yield_per``."""
    done = (
        select(LessonProgress.user_id, func.count().label("done"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(*live_lessons(course.id))
        .group_by(LessonProgress.user_id)
        .subquery("done")
    )
    stmt = (
        select(User.id, User.full_name, User.email, Enrolment.enrolled_at,
               Enrolment.last_activity_at, func.coalesce(done.c.done, 0),
               Enrolment.completed_at, Certificate.issued_at)
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(done, done.c.user_id == User.id)
        .outerjoin(Certificate, and_(Certificate.user_id == User.id,
                                     Certificate.course_id == course.id,
                                     Certificate.revoked_at.is_(None)))
        .where(Enrolment.course_id == course.id)
        .order_by(User.id)
    )
    if rng is not None:
        stmt = stmt.where(rng.contains(Enrolment.enrolled_at))
    return stmt


def attempt_rows(course: Course, rng: DateRange | None = None):
    """One row per quiz attempt, numbered per learner and quiz, for streaming."""
    number = func.row_number().over(
        partition_by=(QuizAttempt.user_id, QuizAttempt.quiz_id), order_by=QuizAttempt.id
    ).label("number")
    numbered = (
        select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.quiz_id, number)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .where(Lesson.course_id == course.id)
        .subquery("numbered")
    )
    stmt = (
        select(QuizAttempt.id, User.id, User.full_name, User.email, Lesson.key,
               QuizAttempt.submitted_at, numbered.c.number, QuizAttempt.score_percent,
               QuizAttempt.pass_mark, QuizAttempt.passed, QuizAttempt.language)
        .join(numbered, numbered.c.id == QuizAttempt.id)
        .join(User, User.id == QuizAttempt.user_id)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .order_by(QuizAttempt.id)
    )
    if rng is not None:
        stmt = stmt.where(rng.contains(QuizAttempt.submitted_at))
    return stmt

"""The platform's data: accounts, courses, learners' progress, certificates and the audit log."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import UTC, date, datetime
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from .content.question_kinds import public_quiz
from .content.schema import QUIZ_SLOT
from .content.schema import Quiz as QuizSpec
from .extensions import db

password_hasher = PasswordHasher()
# Verifying against this keeps log-in time the same whether or not the account exists.
_DUMMY_HASH = password_hasher.hash("not a real password")


def utcnow() -> datetime:
    """Naive UTC: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class Role(enum.StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [r.value for r in e]),
        default=Role.LEARNER,
    )
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # A daily email of the replies to the threads they started (opt-in), and up to when it
    # has been sent.
    discussion_digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    digest_sent_through: Mapped[datetime | None]

    # The token of the signed-in session this object was loaded for (auth/sessions.py): what
    # Flask-Login keeps in the session cookie. Not a column: the database keeps only its hash.
    session_token = None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(db.select(cls).filter_by(email=cls.normalise_email(email)))

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_instructor(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)

    def deactivate(self) -> None:
        """Stop the account from logging in, and sign it out everywhere."""
        self.active = False
        self.end_sessions()

    def set_password(self, password: str, keep_session: str | None = None) -> None:
        """Hash the new password and sign out every session that used the old one (but the
        one whose token is ``keep_session``: the person who just changed it)."""
        self.password_hash = password_hasher.hash(password)
        self.end_sessions(keep=keep_session)

    def end_sessions(self, keep: str | None = None) -> None:
        """Sign this account out on every device (but the session whose token is ``keep``)."""
        if self.id is None:
            return
        statement = db.delete(LoginSession).where(LoginSession.user_id == self.id)
        if keep is not None:
            statement = statement.where(LoginSession.token_hash != LoginSession.hash(keep))
        db.session.execute(statement)

    def confirm_email(self) -> bool:
        """Mark the address confirmed; True only for the one request that did it, even when
        the same link is opened twice at once (the database decides)."""
        now = utcnow()
        confirmed = db.session.execute(
            db.update(User).where(User.id == self.id, User.email_confirmed_at.is_(None))
            .values(email_confirmed_at=now, last_login_at=now)
            .execution_options(synchronize_session=False)).rowcount == 1
        if confirmed:  # what the database now holds, without writing it a second time
            set_committed_value(self, "email_confirmed_at", now)
            set_committed_value(self, "last_login_at", now)
        return confirmed

    def check_password(self, password: str) -> bool:
        try:
            password_hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if password_hasher.check_needs_rehash(self.password_hash):
            self.password_hash = password_hasher.hash(password)
        return True

    @staticmethod
    def spend_equal_time(password: str) -> None:
        """Do the work of a password check for an account that does not exist."""
        try:
            password_hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass


class LoginSession(db.Model):
    """One signed-in browser or device. Its cookies carry a random token, and the database keeps
    the token's hash: logging out deletes the row, so a cookie copied before opens nothing."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


# --- Courses, as imported from their folders -------------------------------------------------
# Lessons and questions are keyed on the author's stable ids (``key``), never on positions, so
# re-importing an edited course keeps every learner's progress. What an import removes is marked
# ``removed_at`` rather than deleted, so history stays intact.


class CourseTexts(NamedTuple):
    title: str
    summary: str
    objectives: list[str]
    audience: str | None
    cover_alt: str | None


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    objectives: Mapped[list | None] = mapped_column(JSON)  # what a learner will be able to do
    audience: Mapped[str | None] = mapped_column(Text)  # who the course is for
    language: Mapped[str] = mapped_column(String(8))
    languages: Mapped[list[str]] = mapped_column(JSON)
    level: Mapped[str] = mapped_column(String(20), index=True)
    estimated_hours: Mapped[float]
    authors: Mapped[list[str]] = mapped_column(JSON)
    licence: Mapped[str] = mapped_column(String(100))
    cover: Mapped[str | None] = mapped_column(String(300))
    cover_alt: Mapped[str | None] = mapped_column(String(500))
    certificate: Mapped[bool] = mapped_column(default=True)
    completion_lessons: Mapped[list[str]] = mapped_column(JSON)
    completion_quizzes: Mapped[str] = mapped_column(String(10), default="graded")
    # Whether a lesson's reflections must be answered for the course to be complete.
    completion_reflections: Mapped[bool] = mapped_column(default=False, server_default=false())
    discussion: Mapped[bool] = mapped_column(default=True, server_default=true())
    anonymous_sharing: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Per language: {"title", "summary", "modules": {module key: title}, "objectives",
    # "audience", "cover_alt"}, each as the author translated it (missing: the main language's).
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    modules: Mapped[list[CourseModule]] = relationship(
        back_populates="course", order_by="CourseModule.position", cascade="all, delete-orphan"
    )
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )

    @classmethod
    def by_slug(cls, slug: str) -> Course | None:
        return db.session.scalar(_COURSE_BY_SLUG, {"slug": slug})

    @classmethod
    def by_slug_or_404(cls, slug: str) -> Course:
        """The course a URL names, as ``db.first_or_404`` would find it, without copying the
        prepared statement on every page."""
        course = cls.by_slug(slug)
        if course is None:
            abort(404)
        return course

    def texts(self, language: str) -> CourseTexts:
        """What the course says of itself, in ``language`` where the author translated it."""
        tr = self.translations.get(language, {})
        return CourseTexts(
            title=tr.get("title") or self.title,
            summary=tr.get("summary") or self.summary,
            objectives=tr.get("objectives") or self.objectives or [],
            audience=tr.get("audience") or self.audience,
            cover_alt=tr.get("cover_alt") or self.cover_alt,
        )


# Built once: most pages look their course up by slug.
_COURSE_BY_SLUG = db.select(Course).where(Course.slug == db.bindparam("slug"))


class CourseModule(db.Model):
    __tablename__ = "course_modules"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))

    course: Mapped[Course] = relationship(back_populates="modules")


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (
        UniqueConstraint("course_id", "key"),
        Index("ix_lessons_course_position", "course_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    module_key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    removed_at: Mapped[datetime | None]
    discussion: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Kept as threads come and go, never counted per request; the stamp changes with every
    # post or moderation, so that a kept anonymous page of the lesson is dropped (page_cache.py).
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    discussion_changed_at: Mapped[datetime | None] = mapped_column(index=True)

    course: Mapped[Course] = relationship(back_populates="lessons")
    contents: Mapped[list[LessonContent]] = relationship(
        back_populates="lesson", cascade="all, delete-orphan"
    )
    quiz: Mapped[Quiz | None] = relationship(back_populates="lesson", cascade="all, delete-orphan")


class LessonContent(db.Model):
    """A lesson in one language, rendered and sanitised once, at import."""

    __tablename__ = "lesson_contents"
    __table_args__ = (UniqueConstraint("lesson_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[float]
    summary: Mapped[str | None] = mapped_column(Text)
    objectives: Mapped[list | None] = mapped_column(JSON)
    # The lesson in the two parts the quiz form goes between (all of it before, without a quiz).
    html_before_quiz: Mapped[str] = mapped_column(Text)
    html_after_quiz: Mapped[str] = mapped_column(Text, default="")
    # What the form shows of the quiz: its settings and questions, no answers.
    quiz_public: Mapped[dict | None] = mapped_column(JSON)
    # The lesson's polls and reflections in this language, by id (neither has an answer key to
    # hide).
    activities: Mapped[dict] = mapped_column(JSON, default=dict)
    # The quiz in this language, answer key included: read only by the grader, never sent out.
    quiz_spec: Mapped[dict | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    # A translation whose lesson changed since it was translated (the validator's warning).
    stale: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="contents")

    def set_rendered(self, html: str, quiz: QuizSpec | None, activities=()) -> None:
        """Store a rendered lesson, its quiz and its activities the way pages and the grader
        read them."""
        self.html_before_quiz, _slot, self.html_after_quiz = html.partition(QUIZ_SLOT)
        self.quiz_public = public_quiz(quiz) if quiz else None
        self.quiz_spec = quiz.to_spec() if quiz else None
        self.activities = {activity.id: activity.to_spec() for activity in activities}

    @property
    def html(self) -> str:
        """The whole lesson, with the quiz's place marked as it was rendered."""
        if self.quiz_public is None:
            return self.html_before_quiz
        return self.html_before_quiz + QUIZ_SLOT + self.html_after_quiz

    def quiz(self) -> QuizSpec | None:
        """The quiz with its answer key, decoded (once per request: pass it on)."""
        return QuizSpec.from_spec(self.quiz_spec) if self.quiz_spec else None


class Quiz(db.Model):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), unique=True
    )
    pass_mark: Mapped[int]
    max_attempts: Mapped[int | None]
    graded: Mapped[bool]
    removed_at: Mapped[datetime | None]

    lesson: Mapped[Lesson] = relationship(back_populates="quiz")
    questions: Mapped[list[QuizQuestion]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position", cascade="all, delete-orphan"
    )


class QuizQuestion(db.Model):
    """A question's identity, shared by all its translations so analytics pool across them."""

    __tablename__ = "quiz_questions"
    __table_args__ = (UniqueConstraint("quiz_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    removed_at: Mapped[datetime | None]

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


class CourseVersion(db.Model):
    """One row per import that changed a course: what changed, and when."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    changes: Mapped[list[str]] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class GlossaryTerm(db.Model):
    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    term: Mapped[str] = mapped_column(String(200))
    definition_html: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    # Per language: {"term": ..., "definition_html": ...}.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)


class Programme(db.Model):
    """Several courses under one certificate of their own."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    required: Mapped[list[str]] = mapped_column(JSON)
    electives: Mapped[list[str]] = mapped_column(JSON)
    electives_required: Mapped[int]
    # Per language: {"title": ..., "summary": ...} (missing: the English ones).
    translations: Mapped[dict] = mapped_column(JSON, default=dict)

    def texts(self, language: str) -> tuple[str, str]:
        """Title and summary in ``language`` where translated."""
        tr = self.translations.get(language, {})
        return tr.get("title") or self.title, tr.get("summary") or self.summary


class CourseMedia(db.Model):
    """An image of a course, kept in the database so every app server can serve it."""

    __tablename__ = "course_media"
    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


# --- Learning: enrolments, progress and quiz attempts -----------------------------------------
# Progress hangs on lesson and question rows, which imports never replace (see importer.py).


class Enrolment(db.Model):
    # The table keeps the spelling it was created with: renaming it would rename its keys and
    # indexes on every deployed database, for no learner's benefit.
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="SET NULL")
    )
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), index=True
    )
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_by: Mapped[str] = mapped_column(String(10))  # "learner" or "quiz"


class QuizAttempt(db.Model):
    """One submission, stored whole: the pass mark in force is kept so later edits never
    rewrite a learner's history."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "submission_token"),
        Index("ix_quiz_attempts_user_quiz", "user_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    submission_token: Mapped[str] = mapped_column(String(64))
    score_percent: Mapped[int]
    pass_mark: Mapped[int]
    passed: Mapped[bool]
    answers: Mapped[dict] = mapped_column(JSON)  # question key -> what the learner gave
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    responses: Mapped[list[AttemptResponse]] = relationship(cascade="all, delete-orphan")


class AttemptResponse(db.Model):
    """One question of an attempt, for per-question analytics in SQL."""

    __tablename__ = "attempt_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"), index=True
    )
    correct: Mapped[bool]
    response: Mapped[str] = mapped_column(Text)  # choice ids joined by "," or the text typed


class QuestionAnswerDay(db.Model):
    """How many times a question got one answer on one day: the quiz analytics read these few
    rows instead of every response. ``progress.submit_quiz`` adds to them as attempts arrive.

    The counts are anonymous: they stay when a learner deletes their account.
    """

    __tablename__ = "question_answer_days"
    __table_args__ = (
        UniqueConstraint("question_id", "day", "response", "correct", "first_try",
                         name="uq_question_answer_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"))
    day: Mapped[date]
    response: Mapped[str] = mapped_column(String(500))  # normalised: trimmed, lower case
    correct: Mapped[bool]
    first_try: Mapped[bool]  # the learner's first attempt at this quiz
    count: Mapped[int]

    @staticmethod
    def normalise(response: str) -> str:
        return response.strip().lower()[:500]


class PollVote(db.Model):
    """A learner's answer to a poll of a lesson (``poll_key`` is the poll's id in the lesson
    file), once per learner: the database refuses a second one. ``choice`` is the index of the
    option (or of the scale's point) in the order the author wrote them, the same in every
    language. When the learner deletes their account, their vote stays, without them."""

    __tablename__ = "poll_votes"
    __table_args__ = (
        UniqueConstraint("lesson_id", "poll_key", "user_id", name="uq_poll_votes_learner"),
        Index("ix_poll_votes_results", "lesson_id", "poll_key", "language", "choice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    poll_key: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    choice: Mapped[int]
    language: Mapped[str] = mapped_column(String(8))  # the lesson's, as the learner read it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReflectionAnswer(db.Model):
    """A learner's written answer to a reflection of a lesson, kept in their notebook (one per
    learner and reflection, rewritten when they edit it). ``sharing`` is their choice, where the
    author allows sharing: "private", "anonymous" or "named". It goes with their account."""

    __tablename__ = "reflection_answers"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id", "reflection_key",
                         name="uq_reflection_answers_learner"),
        Index("ix_reflection_answers_shared", "lesson_id", "reflection_key", "sharing",
              "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    reflection_key: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))  # the lesson's, as the learner read it
    sharing: Mapped[str] = mapped_column(String(10), default="private")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Certificates ------------------------------------------------------------------------------


def new_public_id() -> str:
    """128 random bits: the certificate's public, unguessable name."""
    return secrets.token_urlsafe(16)


class Certificate(db.Model):
    """Proof that a learner completed a course or a programme, issued once and never rewritten.

    The holder's name and the title are copied at issue, so the certificate says what it said
    on the day it was issued even after a profile or a course is edited. The row id is also the
    certificate's index in the published revocation status list.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        # One certificate per learner and course or programme, whoever asks at the same time.
        UniqueConstraint("user_id", "course_id", name="uq_certificates_user_course"),
        UniqueConstraint("user_id", "programme_id", name="uq_certificates_user_programme"),
        CheckConstraint(
            "(course_id IS NULL) <> (programme_id IS NULL)", name="course_or_programme"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    # NULL once the holder deleted their account: the certificate then shows as withdrawn.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(8))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    # Who holds it, as its Open Badge says: the email address hashed with this salt (OB 3.0's
    # IdentityHash, set at issue), and the name only when the holder chooses to show it.
    identity_salt: Mapped[str | None] = mapped_column(String(32))
    identity_hash: Mapped[str | None] = mapped_column(String(80))
    shows_name: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User | None] = relationship()
    course: Mapped[Course | None] = relationship()
    programme: Mapped[Programme | None] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def status(self) -> str:
        """What verifiers are told: "revoked" by an admin, "withdrawn" by its holder (who
        deleted their account), else "valid"."""
        if self.revoked:
            return "revoked"
        if self.user_id is None:
            return "withdrawn"
        return "valid"


class AuditEvent(db.Model):
    """Who did what to whom, for every administrative action; kept when the actor leaves."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(50), index=True)
    target: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# --- Discussion under lessons (learning/discussion/) ----------------------------------------------


class PostStatus(enum.StrEnum):
    VISIBLE = "visible"
    HELD = "held"  # a new account's first posts, until an instructor lets them through
    HIDDEN = "hidden"  # reported by enough learners, or hidden by a moderator
    REMOVED = "removed"  # by a moderator, for good
    DELETED = "deleted"  # by its author


class DiscussionThread(db.Model):
    """A question or topic under a lesson: its title, and the counts its lists show."""

    __tablename__ = "discussion_threads"
    __table_args__ = (
        Index("ix_discussion_threads_lesson", "lesson_id", "status", "last_posted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))  # the lesson's, as its author read it
    # The opening post's: a thread whose opening post is held, hidden or gone is not listed.
    status: Mapped[str] = mapped_column(String(10), default=PostStatus.VISIBLE.value)
    reply_count: Mapped[int] = mapped_column(default=0)  # visible replies
    answer_id: Mapped[int | None]  # the reply an instructor marked as the answer
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_posted_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesson: Mapped[Lesson] = relationship()
    author: Mapped[User | None] = relationship()


class DiscussionPost(db.Model):
    """The opening post of a thread or a reply: Markdown as written, and its HTML rendered once
    and sanitised (discussion/posts.py)."""

    __tablename__ = "discussion_posts"
    __table_args__ = (
        # A page of a thread's replies in either order, read off the index in that order
        # (each entry says whether the reader may see the post: no sort, no row skipped).
        Index("ix_discussion_posts_thread", "thread_id", "created_at", "id", "opening",
              "status"),
        Index("ix_discussion_posts_helpful", "thread_id", "helpful_count", "created_at", "id",
              "opening", "status"),
        Index("ix_discussion_posts_review", "course_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_threads.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    opening: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PostStatus.VISIBLE.value)
    by_instructor: Mapped[bool] = mapped_column(default=False)  # one who teaches the course
    helpful_count: Mapped[int] = mapped_column(default=0)
    report_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

    thread: Mapped[DiscussionThread] = relationship()
    author: Mapped[User | None] = relationship()


class PostMark(db.Model):
    """A learner marked a post helpful, or reported it: once each, whatever they click."""

    __tablename__ = "discussion_marks"
    __table_args__ = (UniqueConstraint("post_id", "user_id", "kind", name="uq_discussion_marks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "helpful" or "report"
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostingSuspension(db.Model):
    """A learner who may read a course's discussions but no longer post in them."""

    __tablename__ = "posting_suspensions"
    __table_args__ = (UniqueConstraint("course_id", "user_id", name="uq_posting_suspensions"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Teaching: who may see a course's analytics -------------------------------------------------


class CourseInstructor(db.Model):
    """An instructor assigned to a course: they see its learners and analytics (admins see all)."""

    __tablename__ = "course_instructors"
    __table_args__ = (UniqueConstraint("user_id", "course_id", name="uq_course_instructors"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


# Indexes the instructor analytics read through (see learning/instructor/analytics.py): the
# enrolment and activity charts range over a course's enrolments by date; the quiz figures
# range over a quiz's attempts by date and read the rest of each attempt from the same index.
Index("ix_enrollments_course_enrolled", Enrolment.course_id, Enrolment.enrolled_at)
Index("ix_enrollments_course_activity", Enrolment.course_id, Enrolment.last_activity_at)
Index("ix_quiz_attempts_quiz_submitted", QuizAttempt.quiz_id, QuizAttempt.submitted_at,
      QuizAttempt.user_id, QuizAttempt.score_percent, QuizAttempt.passed)

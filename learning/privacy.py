"""A learner's control of their data: everything we hold about them, and erasing it.

Deleting an account erases the person, not the fact that certificates were issued: each of their
certificates stays at its public address, shown as "withdrawn by the holder" without the name
(nor the hash of their address), and is marked in the published revocation list, so anyone who
checks an old PDF or Open Badge learns it no longer stands, and no link ever breaks.
"""

from __future__ import annotations

from sqlalchemy import select, update

from . import audit
from .extensions import db
from .learn import reflections
from .models import (
    Certificate,
    Course,
    DiscussionPost,
    DiscussionThread,
    Enrolment,
    Lesson,
    LessonProgress,
    LoginSession,
    PollVote,
    Quiz,
    QuizAttempt,
    User,
)


def _iso(moment) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def export_user_data(user: User, verify_url) -> dict:
    """All the data the platform holds about ``user``, as one JSON-ready document."""
    enrolments = db.session.execute(
        select(Course.slug, Enrolment)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user.id)
        .order_by(Enrolment.enrolled_at)
    ).all()
    lessons = db.session.execute(
        select(Course.slug, Lesson.key, LessonProgress.completed_at, LessonProgress.completed_by)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(LessonProgress.user_id == user.id)
        .order_by(LessonProgress.completed_at)
    ).all()
    attempts = db.session.execute(
        select(Course.slug, Lesson.key, QuizAttempt)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.submitted_at)
    ).all()
    sessions = db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id)
        .order_by(LoginSession.created_at)
    ).all()
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at)
    ).all()
    votes = db.session.execute(
        select(Course.slug, Lesson.key, PollVote)
        .join(Lesson, Lesson.id == PollVote.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(PollVote.user_id == user.id)
        .order_by(PollVote.created_at)
    ).all()
    notebook = reflections.notebook(user.id)
    posts = db.session.execute(
        select(Course.slug, Lesson.key, DiscussionThread.title, DiscussionPost)
        .join(DiscussionThread, DiscussionThread.id == DiscussionPost.thread_id)
        .join(Lesson, Lesson.id == DiscussionThread.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(DiscussionPost.author_id == user.id)
        .order_by(DiscussionPost.created_at)
    ).all()
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "role": user.role.value,
            "active": user.active,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "enrolments": [{
            "course": slug,
            "enrolled_at": _iso(e.enrolled_at),
            "last_activity_at": _iso(e.last_activity_at),
            "completed_at": _iso(e.completed_at),
        } for slug, e in enrolments],
        "completed_lessons": [{
            "course": slug, "lesson": key, "completed_at": _iso(at), "completed_by": by,
        } for slug, key, at, by in lessons],
        "quiz_attempts": [{
            "course": slug,
            "lesson": key,
            "submitted_at": _iso(a.submitted_at),
            "language": a.language,
            "score_percent": a.score_percent,
            "pass_mark": a.pass_mark,
            "passed": a.passed,
            "answers": a.answers,
        } for slug, key, a in attempts],
        "signed_in_sessions": [{
            "started_at": _iso(s.created_at), "expires_at": _iso(s.expires_at),
        } for s in sessions],
        "certificates": [{
            "id": c.public_id,
            "title": c.title,
            "holder_name": c.holder_name,
            "open_badge_shows_name": c.shows_name,
            "open_badge_email_hash": c.identity_hash,
            "issued_at": _iso(c.issued_at),
            "revoked_at": _iso(c.revoked_at),
            "verification_url": verify_url(c.public_id),
        } for c in certificates],
        "reflections": [{
            "course": e.course_slug, "lesson": e.lesson_key, "reflection": e.reflection_key,
            "answer": e.text, "sharing": e.sharing, "updated_at": _iso(e.updated_at),
        } for e in notebook],
        "poll_answers": [{
            "course": slug, "lesson": key, "poll": v.poll_key, "answer": v.choice + 1,
            "language": v.language, "answered_at": _iso(v.created_at),
        } for slug, key, v in votes],
        "discussion_posts": [{
            "course": slug, "lesson": key, "thread": title, "text": post.body,
            "status": post.status, "posted_at": _iso(post.created_at),
            "edited_at": _iso(post.edited_at),
        } for slug, key, title, post in posts],
        "discussion_digest": user.discussion_digest,
    }


def delete_account(user: User) -> None:
    """Erase the account and its learning history in one transaction; withdraw certificates.

    The database erases the history: enrolments, progress, attempts and teaching assignments
    go with the account by their ON DELETE CASCADE rules, on SQLite as on PostgreSQL. Poll
    answers stay in the poll's counts, without the person (ON DELETE SET NULL). The audit log
    keeps what was done, under a pseudonym.
    """
    audit.forget(user)
    db.session.execute(
        update(Certificate).where(Certificate.user_id == user.id)
        .values(user_id=None, holder_name="", identity_hash=None, identity_salt=None,
                shows_name=False)
    )
    audit.record(None, "account.delete", f"user:{user.id}", actor_label="the account holder")
    db.session.flush()
    db.session.delete(user)
    db.session.commit()

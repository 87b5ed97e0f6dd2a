"""The discussion under a lesson: threads, replies, and what learners and moderators do to them.

What lists show is kept on the rows and changed with the posts, never counted per request: a
lesson's visible threads (``Lesson.thread_count``), a thread's visible replies, a post's helpful
marks and reports. Every change a reader could see stamps ``Lesson.discussion_changed_at``: the
anonymous page cache drops that lesson's kept pages (page_cache.py). Posts are rendered once,
when they are written (``render.render_post``: Markdown without raw HTML, then the posts'
allowlist). A page of threads or of replies is one statement, whatever their number.

Who sees what: everyone sees visible posts; their author also sees their own held or hidden
ones (saying so); the course's instructors and admins (moderators) see held and hidden posts.
Removed and deleted posts keep their place in the thread, without their text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update

from .. import audit
from ..access import can_teach
from ..content.render import render_post
from ..extensions import db, insert_if_absent
from ..models import (
    Course,
    DiscussionPost,
    DiscussionThread,
    Lesson,
    LessonContent,
    PostingSuspension,
    PostMark,
    PostStatus,
    User,
    utcnow,
)

PAGE_SIZE = 20
LONGEST = 10_000  # characters of a post
TITLE_LONGEST = 200
SHOWN_ON_LESSON = 3  # the latest threads, under the lesson
SORTS = ("oldest", "newest", "helpful")
MODERATIONS = ("approve", "hide", "restore", "remove")

_VISIBLE = PostStatus.VISIBLE.value
WITHOUT_TEXT = (PostStatus.REMOVED.value, PostStatus.DELETED.value)


class Refused(Exception):
    """What a learner is told when the platform will not take their post or mark."""


@dataclass(frozen=True)
class Entry:
    """A post as a page shows it."""

    post: DiscussionPost
    author_name: str | None  # None: the account was deleted
    marked_helpful: bool = False  # by the reader
    reported: bool = False  # by the reader
    editable: bool = False  # by the reader, its author, still


@dataclass(frozen=True)
class ThreadRow:
    thread: DiscussionThread
    author_name: str | None


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    pages: int


def discussion_open(course: Course, lesson: Lesson) -> bool:
    """Whether the lesson has a discussion: the course's and the lesson's setting."""
    return course.discussion and lesson.discussion


def is_moderator(user, course: Course) -> bool:
    return user.is_authenticated and can_teach(user, course.id)


def why_not_post(user, course: Course) -> str | None:
    """Why this reader may not post in the course's discussions (None: they may)."""
    if not user.is_authenticated:
        return _("Log in to take part in the discussion.")
    if user.email_confirmed_at is None:
        return _("Confirm your email address to take part in the discussion.")
    suspended = db.session.scalar(select(PostingSuspension.id).filter_by(
        course_id=course.id, user_id=user.id))
    if suspended is not None:
        return _("You can read this course's discussions but no longer post in them.")
    return None


# --- Writing ------------------------------------------------------------------------------------


def _first_status(user, moderator: bool) -> str:
    """A new account's first posts wait for review, when the platform says so."""
    held = current_app.config["DISCUSSION_HOLD_FIRST_POSTS"]
    if moderator or held <= 0:
        return _VISIBLE
    let_through = db.session.scalar(select(func.count(DiscussionPost.id)).where(
        DiscussionPost.author_id == user.id, DiscussionPost.status == _VISIBLE))
    return _VISIBLE if let_through >= held else PostStatus.HELD.value


def _stamp(lesson_id: int, threads: int = 0) -> None:
    db.session.execute(update(Lesson).where(Lesson.id == lesson_id).values(
        thread_count=Lesson.thread_count + threads, discussion_changed_at=utcnow()))


def start_thread(course: Course, lesson: Lesson, user, title: str, body: str,
                 language: str) -> DiscussionThread:
    moderator = is_moderator(user, course)
    status = _first_status(user, moderator)
    thread = DiscussionThread(lesson_id=lesson.id, author_id=user.id, title=title.strip(),
                              language=language, status=status)
    db.session.add(thread)
    db.session.flush()
    db.session.add(DiscussionPost(thread_id=thread.id, course_id=course.id, author_id=user.id,
                                  opening=True, body=body, body_html=render_post(body),
                                  status=status, by_instructor=moderator))
    _stamp(lesson.id, threads=int(status == _VISIBLE))
    return thread


def reply(course: Course, thread: DiscussionThread, user, body: str) -> DiscussionPost:
    moderator = is_moderator(user, course)
    status = _first_status(user, moderator)
    post = DiscussionPost(thread_id=thread.id, course_id=course.id, author_id=user.id,
                          body=body, body_html=render_post(body), status=status,
                          by_instructor=moderator)
    db.session.add(post)
    if status == _VISIBLE:
        db.session.execute(update(DiscussionThread).where(DiscussionThread.id == thread.id)
                           .values(reply_count=DiscussionThread.reply_count + 1,
                                   last_posted_at=utcnow()))
    _stamp(thread.lesson_id)
    db.session.flush()
    return post


def editable_until(post: DiscussionPost) -> datetime:
    return post.created_at + timedelta(minutes=current_app.config["DISCUSSION_EDIT_MINUTES"])


def _editable(post: DiscussionPost, user_id: int, now: datetime) -> bool:
    return (post.author_id == user_id and post.status in (_VISIBLE, PostStatus.HELD.value)
            and now <= editable_until(post))


def may_edit(post: DiscussionPost, user) -> bool:
    """Its author, for a while after writing it."""
    return user.is_authenticated and _editable(post, user.id, utcnow())


def edit(post: DiscussionPost, body: str, title: str | None = None) -> None:
    post.body, post.body_html, post.edited_at = body, render_post(body), utcnow()
    if title is not None and post.opening:
        post.thread.title = title.strip()
    _stamp(post.thread.lesson_id)


def _set_status(post: DiscussionPost, status: str) -> None:
    """Move a post to ``status``, keeping the counts the lists show."""
    was_visible, visible = post.status == _VISIBLE, status == _VISIBLE
    post.status = status
    if status in WITHOUT_TEXT:
        post.body = post.body_html = ""
    thread = post.thread
    change = int(visible) - int(was_visible)
    if post.opening:
        thread.status = status
        _stamp(thread.lesson_id, threads=change)
        return
    if change:
        thread.reply_count = DiscussionThread.reply_count + change
    if change > 0:  # a reply let through or restored brings the thread back to the top
        thread.last_posted_at = utcnow()
    if status in WITHOUT_TEXT and thread.answer_id == post.id:
        thread.answer_id = None
    _stamp(thread.lesson_id)


def delete_own(post: DiscussionPost) -> None:
    """The author takes their post back; deleting the opening post closes the thread."""
    _set_status(post, PostStatus.DELETED.value)


def mark_helpful(post: DiscussionPost, user) -> bool:
    """Once per learner and post, never their own; True if this click counted."""
    if post.author_id == user.id:
        raise Refused(_("You cannot mark your own post as helpful."))
    if post.status != _VISIBLE:
        raise Refused(_("This post can no longer be marked."))
    if insert_if_absent(PostMark, post_id=post.id, user_id=user.id, kind="helpful",
                        reason=None, created_at=utcnow()) is None:
        return False
    db.session.execute(update(DiscussionPost).where(DiscussionPost.id == post.id)
                       .values(helpful_count=DiscussionPost.helpful_count + 1))
    _stamp(post.thread.lesson_id)
    return True


def report(post: DiscussionPost, user, reason: str) -> bool:
    """Once per learner and post; enough reports hide the post until a moderator looks at it.
    True if this report counted."""
    if post.author_id == user.id:
        raise Refused(_("You cannot report your own post: delete it instead."))
    if post.status != _VISIBLE:
        raise Refused(_("This post is already waiting for review."))
    if insert_if_absent(PostMark, post_id=post.id, user_id=user.id, kind="report",
                        reason=reason.strip()[:500] or None, created_at=utcnow()) is None:
        return False
    reports = db.session.execute(
        update(DiscussionPost).where(DiscussionPost.id == post.id)
        .values(report_count=DiscussionPost.report_count + 1)
        .returning(DiscussionPost.report_count)).scalar_one()
    if reports >= current_app.config["DISCUSSION_REPORTS_TO_HIDE"]:
        _set_status(post, PostStatus.HIDDEN.value)
    return True


# --- Moderating ---------------------------------------------------------------------------------


_MOVES = {  # action -> (the statuses it applies to, the status it gives)
    "approve": ((PostStatus.HELD.value,), _VISIBLE),
    "hide": ((_VISIBLE, PostStatus.HELD.value), PostStatus.HIDDEN.value),
    "restore": ((PostStatus.HIDDEN.value,), _VISIBLE),
    "remove": ((_VISIBLE, PostStatus.HELD.value, PostStatus.HIDDEN.value),
               PostStatus.REMOVED.value),
}


def moderate(post: DiscussionPost, action: str, actor: User, course: Course) -> bool:
    """An instructor's or admin's decision on a post, in the audit log; False if the post is
    not in a state the action applies to (someone else decided first)."""
    applies_to, status = _MOVES[action]
    if post.status not in applies_to:
        return False
    _set_status(post, status)
    if action == "restore":
        post.report_count = 0  # it takes as many new reports to hide it again
    audit.record(actor, f"discussion.{action}", f"post:{post.id}", course=course.slug,
                 author=f"user:{post.author_id}" if post.author_id else None)
    return True


def mark_answer(thread: DiscussionThread, post: DiscussionPost | None, actor: User,
                course: Course) -> None:
    """An instructor says which reply answers the thread (None: none does)."""
    thread.answer_id = post.id if post is not None else None
    _stamp(thread.lesson_id)
    audit.record(actor, "discussion.answer" if post else "discussion.unanswer",
                 f"thread:{thread.id}", course=course.slug,
                 post=f"post:{post.id}" if post else None)


def suspend(course: Course, user_id: int, actor: User) -> bool:
    if insert_if_absent(PostingSuspension, course_id=course.id, user_id=user_id,
                        created_at=utcnow()) is None:
        return False
    audit.record(actor, "discussion.suspend", f"user:{user_id}", course=course.slug)
    return True


def lift_suspension(course: Course, user_id: int, actor: User) -> bool:
    removed = db.session.execute(db.delete(PostingSuspension).filter_by(
        course_id=course.id, user_id=user_id)).rowcount
    if removed:
        audit.record(actor, "discussion.unsuspend", f"user:{user_id}", course=course.slug)
    return bool(removed)


# --- Reading ------------------------------------------------------------------------------------


def _shown_to(model, viewer_id: int | None, moderator: bool, *, gone: bool = False):
    """The rows of ``model`` (threads or posts) a reader sees; ``gone``: with the removed and
    deleted ones (a thread's replies keep their place)."""
    shown = [_VISIBLE, *(WITHOUT_TEXT if gone else ())]
    if moderator:
        return model.status.in_([*shown, PostStatus.HELD.value, PostStatus.HIDDEN.value])
    if viewer_id is None:
        return model.status.in_(shown)
    return or_(model.status.in_(shown),
               and_(model.author_id == viewer_id,
                    model.status.in_([PostStatus.HELD.value, PostStatus.HIDDEN.value])))


def _page_number(raw, pages: int) -> int:
    number = raw if isinstance(raw, int) else 1
    return min(max(number, 1), max(pages, 1))


def shown(thread: DiscussionThread, viewer_id: int | None, moderator: bool) -> bool:
    """Whether a reader may open the thread (its opening post's status decides)."""
    if thread.status == _VISIBLE:
        return True
    if thread.status in WITHOUT_TEXT:
        return False
    return moderator or (viewer_id is not None and thread.author_id == viewer_id)


def latest_threads(lesson_id: int) -> list[DiscussionThread]:
    """What a lesson page shows of its discussion: the same for every reader (it is kept by
    the anonymous page cache)."""
    return db.session.scalars(
        select(DiscussionThread)
        .where(DiscussionThread.lesson_id == lesson_id, DiscussionThread.status == _VISIBLE)
        .order_by(DiscussionThread.last_posted_at.desc(), DiscussionThread.id.desc())
        .limit(SHOWN_ON_LESSON)).all()


def discussed_lessons(course: Course) -> list:
    """Per lesson with threads, in course order: its title (in the course's language), its
    visible threads and how many of them no instructor has marked answered."""
    unanswered = (select(func.count(DiscussionThread.id))
                  .where(DiscussionThread.lesson_id == Lesson.id,
                         DiscussionThread.status == _VISIBLE,
                         DiscussionThread.answer_id.is_(None))
                  .scalar_subquery())
    return db.session.execute(
        select(Lesson.key, LessonContent.title, Lesson.thread_count,
               unanswered.label("unanswered"))
        .join(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                  LessonContent.language == course.language))
        .where(Lesson.course_id == course.id, Lesson.removed_at.is_(None),
               Lesson.thread_count > 0)
        .order_by(Lesson.position)).all()


def threads_page(lesson: Lesson, viewer_id: int | None, moderator: bool, number) -> Page:
    pages = max(math.ceil(lesson.thread_count / PAGE_SIZE), 1)
    number = _page_number(number, pages + 1)  # a reader's own held thread may spill over
    rows = db.session.execute(
        select(DiscussionThread, User.full_name)
        .outerjoin(User, User.id == DiscussionThread.author_id)
        .where(DiscussionThread.lesson_id == lesson.id,
               _shown_to(DiscussionThread, viewer_id, moderator))
        .order_by(DiscussionThread.last_posted_at.desc(), DiscussionThread.id.desc())
        .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return Page([ThreadRow(thread, name) for thread, name in rows], number, pages)


# A post with its author's name (None once the account is deleted).
_WITH_AUTHOR = (select(DiscussionPost, User.full_name)
                .outerjoin(User, User.id == DiscussionPost.author_id))

_ORDER = {
    "oldest": (DiscussionPost.created_at, DiscussionPost.id),
    "newest": (DiscussionPost.created_at.desc(), DiscussionPost.id.desc()),
    # The most helpful first; among as helpful, the newest (the index read backwards).
    "helpful": (DiscussionPost.helpful_count.desc(), DiscussionPost.created_at.desc(),
                DiscussionPost.id.desc()),
}


def posts_page(thread: DiscussionThread, viewer_id: int | None, moderator: bool, sort: str,
               number) -> tuple[Entry, Page]:
    """The opening post and a page of replies in ``sort`` order (removed and deleted ones keep
    their place, without their text), with the reader's own marks: three statements."""
    pages = max(math.ceil(thread.reply_count / PAGE_SIZE), 1)
    number = _page_number(number, pages + 1)
    posts = (
        _WITH_AUTHOR.where(DiscussionPost.thread_id == thread.id, ~DiscussionPost.opening,
                           _shown_to(DiscussionPost, viewer_id, moderator, gone=True))
        .order_by(*_ORDER[sort])
        .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    )
    opening = (  # the thread's first post: the first entry of its index
        _WITH_AUTHOR.where(DiscussionPost.thread_id == thread.id, DiscussionPost.opening)
        .order_by(*_ORDER["oldest"]).limit(1))
    rows = [*db.session.execute(opening).all(), *db.session.execute(posts).all()]
    marks: set[tuple[int, str]] = set()
    if viewer_id is not None and rows:
        marks = set(db.session.execute(select(PostMark.post_id, PostMark.kind).where(
            PostMark.user_id == viewer_id,
            PostMark.post_id.in_([post.id for post, _name in rows]))).all())
    now = utcnow()
    entries = [Entry(post, name, (post.id, "helpful") in marks, (post.id, "report") in marks,
                     editable=viewer_id is not None and _editable(post, viewer_id, now))
               for post, name in rows]
    return entries[0], Page(entries[1:], number, pages)

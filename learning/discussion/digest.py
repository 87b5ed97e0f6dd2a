"""The daily digest: a plain-text email to each learner who asked for it, of the replies others
wrote to the threads they started since the last one, with a one-click unsubscribe.

``flask discussion digest`` sends it (run it once a day, e.g. from cron). Each learner's digest
is sent, then marked sent, one learner at a time: a failure part-way leaves the others to the
next run and sends nobody the same replies twice.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select

from ..content.sanitize import plain_text
from ..extensions import db
from ..mail import send_email
from ..models import Course, DiscussionPost, DiscussionThread, Lesson, PostStatus, User, utcnow
from ..urls import public_url

EXCERPT = 300  # characters of each reply
MOST_REPLIES = 50  # in one digest; the rest are in the threads


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="learning.digest")


def unsubscribe_token(user: User) -> str:
    """Never expires: the link in an old digest still stops the next ones."""
    return _serializer().dumps({"uid": user.id})


def user_for_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, data.get("uid")) if isinstance(data, dict) else None


def subscribe(user: User, wanted: bool) -> None:
    """Turn the digest on (from now: no digest of the past) or off."""
    if wanted and not user.discussion_digest:
        user.digest_sent_through = utcnow()
    user.discussion_digest = wanted


def _replies_for(user: User, until: datetime):
    return db.session.execute(
        select(DiscussionPost, DiscussionThread, Lesson.key, Course.slug, User.full_name)
        .join(DiscussionThread, DiscussionThread.id == DiscussionPost.thread_id)
        .join(Lesson, Lesson.id == DiscussionThread.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .outerjoin(User, User.id == DiscussionPost.author_id)
        .where(DiscussionThread.author_id == user.id,
               DiscussionThread.status == PostStatus.VISIBLE.value,
               DiscussionPost.status == PostStatus.VISIBLE.value, ~DiscussionPost.opening,
               or_(DiscussionPost.author_id.is_(None), DiscussionPost.author_id != user.id),
               DiscussionPost.created_at > (user.digest_sent_through or user.created_at),
               DiscussionPost.created_at <= until,
               Course.discussion, Lesson.discussion, Lesson.removed_at.is_(None))
        .order_by(DiscussionPost.created_at, DiscussionPost.id)
        .limit(MOST_REPLIES)).all()


def _body(rows, unsubscribe: str) -> str:
    by_thread: dict[int, list] = {}
    for row in rows:
        by_thread.setdefault(row[1].id, []).append(row)
    lines = [_("New replies to the threads you started:")]
    for replies in by_thread.values():
        _post, thread, key, slug, _name = replies[0]
        lines += ["", f"“{thread.title}”",
                  public_url("discussion.thread", slug=slug, key=key, thread_id=thread.id), ""]
        for post, *_rest, name in replies:
            text = plain_text(post.body_html)
            if len(text) > EXCERPT:
                text = text[:EXCERPT].rstrip() + "…"
            lines.append(f"- {name or _('A former learner')}: {text}")
    lines += ["", _("You receive this because you asked for a daily digest of replies. To "
                    "stop it, open this link:"), unsubscribe]
    return "\n".join(lines)


def send_digests() -> int:
    """Send every digest due now; how many were sent."""
    until = utcnow()
    sent = 0
    subscribers = db.session.scalars(select(User).where(
        User.discussion_digest, User.active, User.email_confirmed_at.is_not(None))).all()
    for user in subscribers:
        rows = _replies_for(user, until)
        if rows:
            unsubscribe = public_url("discussion.unsubscribe", token=unsubscribe_token(user))
            with force_locale(user.language):
                send_email(user.email, _("New replies in your discussions"),
                           _body(rows, unsubscribe), headers={
                               "List-Unsubscribe": f"<{unsubscribe}>",
                               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
            sent += 1
        user.digest_sent_through = rows[-1][0].created_at if len(rows) == MOST_REPLIES else until
        db.session.commit()
    return sent

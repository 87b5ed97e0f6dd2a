"""The discussion under each lesson: its threads, a thread and its replies, and what learners
and moderators do to posts.

Reading is open like the lessons; posting, marking and reporting need a confirmed account that
is not suspended in the course, and are rate-limited per learner and per address. Moderating
is for the course's instructors and admins, checked on every post it touches.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, joinedload

from ..access import course_instructor_required
from ..extensions import client_ip, csrf, db, limiter
from ..learn.outline import content_language
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
)
from . import digest, posts
from .forms import EditForm, ReplyForm, ReportForm, ThreadForm

bp = Blueprint("discussion", __name__)


def _poster() -> str:
    """Rate-limit key: the signed-in learner, wherever they post from."""
    return f"user:{current_user.id}" if current_user.is_authenticated else client_ip()


def _limits(view):
    """One budget for everything a learner writes here (threads, replies, edits, marks,
    reports), per learner and per address; read from the configuration when the request
    comes."""
    view = limiter.shared_limit(lambda: current_app.config["DISCUSSION_IP_RATE_LIMIT"],
                                scope="discussion-address", methods=["POST"])(view)
    return limiter.shared_limit(lambda: current_app.config["DISCUSSION_RATE_LIMIT"],
                                scope="discussion-learner", key_func=_poster,
                                methods=["POST"])(view)


def _lesson(course: Course, key: str) -> tuple[Lesson, str, str]:
    """The lesson a URL names, with its title in the reader's language (one statement); 404
    when it has no discussion."""
    language = content_language(course)
    main, translated = aliased(LessonContent), aliased(LessonContent)
    row = db.session.execute(
        select(Lesson, func.coalesce(translated.title, main.title),
               func.coalesce(translated.language, main.language))
        .join(main, and_(main.lesson_id == Lesson.id, main.language == course.language))
        .outerjoin(translated, and_(translated.lesson_id == Lesson.id,
                                    translated.language == language))
        .where(Lesson.course_id == course.id, Lesson.key == key, Lesson.removed_at.is_(None))
    ).first()
    if row is None or not posts.discussion_open(course, row[0]):
        abort(404)
    return row


def _viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _page_arg() -> int:
    return request.args.get("page", 1, type=int)


@bp.route("/courses/<slug>/lessons/<key>/discussion", methods=["GET", "POST"])
@_limits
def threads(slug: str, key: str):
    course = Course.by_slug_or_404(slug)
    lesson, title, language = _lesson(course, key)
    form = ThreadForm()
    refusal = posts.why_not_post(current_user, course)
    if request.method == "POST":
        if refusal:
            abort(403)
        if form.validate():
            thread = posts.start_thread(course, lesson, current_user, form.title.data,
                                        form.body.data, language)
            db.session.commit()
            _say_if_held(thread.status)
            return redirect(url_for(".thread", slug=slug, key=key, thread_id=thread.id))
    moderator = posts.is_moderator(current_user, course)
    page = posts.threads_page(lesson, _viewer_id(), moderator, _page_arg())
    return render_template("discussion/threads.html", course=course, lesson=lesson,
                           lesson_title=title, page=page, form=form, refusal=refusal,
                           moderator=moderator), 422 if form.errors else 200


def _say_if_held(status: str) -> None:
    if status == PostStatus.HELD.value:
        flash(_("Thank you. Your first posts are read by an instructor before others see "
                "them."), "info")


@bp.route("/courses/<slug>/lessons/<key>/discussion/<int:thread_id>", methods=["GET", "POST"])
@_limits
def thread(slug: str, key: str, thread_id: int):
    course = Course.by_slug_or_404(slug)
    lesson, title, _language = _lesson(course, key)
    discussion_thread = db.session.get(DiscussionThread, thread_id)
    viewer_id = _viewer_id()
    moderator = posts.is_moderator(current_user, course)
    if discussion_thread is None or discussion_thread.lesson_id != lesson.id or (
        not posts.shown(discussion_thread, viewer_id, moderator)
    ):
        abort(404)
    form = ReplyForm()
    refusal = posts.why_not_post(current_user, course)
    if request.method == "POST":
        if refusal:
            abort(403)
        if form.validate():
            post = posts.reply(course, discussion_thread, current_user, form.body.data)
            db.session.commit()
            _say_if_held(post.status)
            return redirect(url_for(".thread", slug=slug, key=key, thread_id=thread_id,
                                    sort="newest", _anchor=f"post-{post.id}"))
    sort = request.args.get("sort") if request.args.get("sort") in posts.SORTS else "oldest"
    opening, page = posts.posts_page(discussion_thread, viewer_id, moderator, sort,
                                     _page_arg())
    return render_template(
        "discussion/thread.html", course=course, lesson=lesson, lesson_title=title,
        thread=discussion_thread, opening=opening, page=page,
        sort=sort, form=form, refusal=refusal, moderator=moderator,
    ), 422 if form.errors else 200


# --- What is done to one post -------------------------------------------------------------------


def _post_or_404(post_id: int) -> DiscussionPost:
    """The post with its thread, lesson and course (one statement), in a discussion that is
    open; 404 for a post the reader may not see."""
    post = db.session.scalar(
        select(DiscussionPost).where(DiscussionPost.id == post_id)
        .options(joinedload(DiscussionPost.thread).joinedload(DiscussionThread.lesson)
                 .joinedload(Lesson.course)))
    if post is None:
        abort(404)
    lesson = post.thread.lesson
    viewer_id = _viewer_id()
    moderator = posts.is_moderator(current_user, lesson.course)
    if lesson.removed_at is not None or not posts.discussion_open(lesson.course, lesson) or (
        not posts.shown(post.thread, viewer_id, moderator)
    ):
        abort(404)
    return post


def _back_to(post: DiscussionPost):
    thread = post.thread
    return redirect(url_for(".thread", slug=thread.lesson.course.slug, key=thread.lesson.key,
                            thread_id=thread.id, _anchor=f"post-{post.id}"))


def _participant_or_403(post: DiscussionPost) -> None:
    if posts.why_not_post(current_user, post.thread.lesson.course):
        abort(403)


@bp.route("/discussion/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@_limits
def edit(post_id: int):
    post = _post_or_404(post_id)
    _participant_or_403(post)
    if not posts.may_edit(post, current_user):
        if post.author_id != current_user.id:
            abort(403)
        flash(_("A post can be edited for %(minutes)s minutes after it is sent.",
                minutes=current_app.config["DISCUSSION_EDIT_MINUTES"]), "error")
        return _back_to(post)
    form = EditForm(data={"title": post.thread.title, "body": post.body})
    if request.method == "POST":
        form = EditForm()
        if form.validate():
            posts.edit(post, form.body.data, form.title.data if post.opening else None)
            db.session.commit()
            flash(_("Your post is saved."), "success")
            return _back_to(post)
    return render_template("discussion/edit.html", post=post, form=form,
                           until=posts.editable_until(post)), 422 if form.errors else 200


@bp.post("/discussion/posts/<int:post_id>/delete")
@login_required
def delete(post_id: int):
    post = _post_or_404(post_id)
    if post.author_id != current_user.id:
        abort(403)
    if post.status not in posts.WITHOUT_TEXT:
        posts.delete_own(post)
        db.session.commit()
    flash(_("Your post is deleted."), "success")
    if post.opening:
        lesson = post.thread.lesson
        return redirect(url_for(".threads", slug=lesson.course.slug, key=lesson.key))
    return _back_to(post)


@bp.post("/discussion/posts/<int:post_id>/helpful")
@login_required
@_limits
def helpful(post_id: int):
    post = _post_or_404(post_id)
    _participant_or_403(post)
    try:
        posts.mark_helpful(post, current_user)
        db.session.commit()
    except posts.Refused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    return _back_to(post)


@bp.post("/discussion/posts/<int:post_id>/report")
@login_required
@_limits
def report(post_id: int):
    post = _post_or_404(post_id)
    _participant_or_403(post)
    form = ReportForm()
    if not form.validate():
        flash(_("Keep the reason under 500 characters."), "error")
        return _back_to(post)
    try:
        counted = posts.report(post, current_user, form.reason.data or "")
        db.session.commit()
        flash(_("Thank you: the course's instructors will look at this post.") if counted
              else _("You had already reported this post."), "info")
    except posts.Refused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    return _back_to(post)


def _moderator_or_403(post: DiscussionPost) -> Course:
    course = post.thread.lesson.course
    if not posts.is_moderator(current_user, course):
        abort(403)
    return course


@bp.post("/discussion/posts/<int:post_id>/moderate")
@login_required
def moderate(post_id: int):
    post = _post_or_404(post_id)
    course = _moderator_or_403(post)
    action = request.form.get("action")
    if action not in posts.MODERATIONS:
        abort(400)
    if posts.moderate(post, action, current_user, course):
        db.session.commit()
        flash(_("Done: the post is now %(status)s.", status=status_label(post.status)),
              "success")
    else:
        flash(_("Nothing changed: the post is %(status)s.", status=status_label(post.status)),
              "info")
    if request.form.get("next") == "review":
        return redirect(url_for(".review", slug=course.slug))
    if post.opening and post.status == PostStatus.REMOVED.value:
        return redirect(url_for(".threads", slug=course.slug, key=post.thread.lesson.key))
    return _back_to(post)


@bp.post("/discussion/posts/<int:post_id>/answer")
@login_required
def answer(post_id: int):
    post = _post_or_404(post_id)
    course = _moderator_or_403(post)
    if post.opening or post.status != PostStatus.VISIBLE.value:
        abort(400)
    answered = post.thread.answer_id == post.id
    posts.mark_answer(post.thread, None if answered else post, current_user, course)
    db.session.commit()
    return _back_to(post)


def status_label(status: str) -> str:
    return {
        PostStatus.VISIBLE.value: _("visible"),
        PostStatus.HELD.value: _("waiting for review"),
        PostStatus.HIDDEN.value: _("hidden pending review"),
        PostStatus.REMOVED.value: _("removed by a moderator"),
        PostStatus.DELETED.value: _("deleted by its author"),
    }[status]


bp.add_app_template_global(status_label, "post_status_label")


# --- Moderators' page ---------------------------------------------------------------------------


@bp.route("/courses/<slug>/discussion/review")
@course_instructor_required
def review(course: Course):
    """What waits for a moderator in the course: held and hidden posts, reported ones, and
    the lessons whose threads no one has answered yet."""
    waiting = db.session.execute(
        select(DiscussionPost, User.full_name, User.email, Lesson.key, DiscussionThread.title)
        .join(DiscussionThread, DiscussionThread.id == DiscussionPost.thread_id)
        .join(Lesson, Lesson.id == DiscussionThread.lesson_id)
        .outerjoin(User, User.id == DiscussionPost.author_id)
        .where(DiscussionPost.course_id == course.id,
               DiscussionPost.status.in_([PostStatus.HELD.value, PostStatus.HIDDEN.value])
               | ((DiscussionPost.status == PostStatus.VISIBLE.value)
                  & (DiscussionPost.report_count > 0)))
        .order_by(DiscussionPost.created_at.desc())
        .limit(100)).all()
    reasons: dict[int, list[str]] = {}
    for post_id, reason in db.session.execute(
        select(PostMark.post_id, PostMark.reason)
        .where(PostMark.post_id.in_([row[0].id for row in waiting]), PostMark.kind == "report",
               PostMark.reason.is_not(None))):
        reasons.setdefault(post_id, []).append(reason)
    suspended = db.session.execute(
        select(User.id, User.full_name, User.email, PostingSuspension.created_at)
        .join(PostingSuspension, PostingSuspension.user_id == User.id)
        .where(PostingSuspension.course_id == course.id)
        .order_by(PostingSuspension.created_at.desc())).all()
    return render_template("discussion/review.html", course=course, waiting=waiting,
                           reasons=reasons, suspended=suspended,
                           discussed=posts.discussed_lessons(course))


@bp.post("/courses/<slug>/discussion/suspensions")
@course_instructor_required
def suspension(course: Course):
    user_id = request.form.get("user_id", type=int)
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        abort(404)
    if user.id == current_user.id or posts.is_moderator(user, course):
        flash(_("Instructors and admins cannot be suspended from posting."), "error")
    elif request.form.get("action") == "lift":
        posts.lift_suspension(course, user.id, current_user)
        db.session.commit()
        flash(_("%(name)s may post again in this course's discussions.", name=user.full_name),
              "success")
    else:
        posts.suspend(course, user.id, current_user)
        db.session.commit()
        flash(_("%(name)s can no longer post in this course's discussions.",
                name=user.full_name), "success")
    return redirect(url_for(".review", slug=course.slug))


# --- The digest's one-click unsubscribe ---------------------------------------------------------


@bp.route("/discussion/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token in the address is what proves the request
def unsubscribe(token: str):
    """The digest's link: a page with one button (a mail client or a link checker opening
    the link changes nothing), and the POST a mail client sends for RFC 8058's one click."""
    user = digest.user_for_token(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        user.discussion_digest = False
        db.session.commit()
        return render_template("discussion/unsubscribe.html", done=True, token=token)
    return render_template("discussion/unsubscribe.html", done=not user.discussion_digest,
                           token=token)

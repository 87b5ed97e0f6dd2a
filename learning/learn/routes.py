"""Reading and learning: the catalogue, a course, a lesson, its quiz and the result.

Reading is open to everyone; an account adds progress and quizzes. Every page here runs a small,
fixed number of queries (see outline.py) and no Markdown: lessons were rendered at import. What
anonymous readers see of a lesson is served from memory (see page_cache.py).
"""

from __future__ import annotations

import hashlib
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from .. import progress
from ..certificates.routes import announce_issued
from ..content.question_kinds import KINDS
from ..content.schema import LANGUAGES, LEVELS
from ..discussion.posts import discussion_open, latest_threads
from ..extensions import db, limiter
from ..models import (
    Certificate,
    Course,
    CourseMedia,
    Enrolment,
    GlossaryTerm,
    Lesson,
    QuizAttempt,
)
from ..page_cache import mark_cacheable
from . import activities, polls, reflections
from .outline import (
    all_programmes,
    content_language,
    load_catalogue,
    load_lesson_page,
    load_outline,
    load_programmes,
)

bp = Blueprint("learn", __name__)
bp.add_app_template_global(content_language)  # cards say which language a course reads in

# A course file served on its own (an SVG opened in a tab) must not run anything.
MEDIA_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


@bp.route("/courses")
def catalogue():
    language = request.args.get("language") if request.args.get("language") in LANGUAGES else None
    level = request.args.get("level") if request.args.get("level") in LEVELS else None
    search = (request.args.get("q") or "").strip()[:100] or None
    entries = load_catalogue(_user_id(), language, level, search)
    return render_template(
        "learn/catalogue.html",
        entries=entries,
        filters={"language": language, "level": level, "q": search or ""},
        levels=LEVELS,
    )


@bp.route("/programmes/<slug>")
def programme(slug: str):
    """The package: its rule in plain words, its courses, and the learner's way to it."""
    found, _entries = load_programmes(_user_id(), slug)
    if not found:
        abort(404)
    progress_made = found[0]
    certificate = None
    if progress_made.complete:
        certificate = db.session.scalar(select(Certificate).filter_by(
            user_id=current_user.id, programme_id=progress_made.programme.id))
    return render_template("learn/programme.html", progress=progress_made,
                           certificate=certificate)


@bp.route("/courses/<slug>")
def course(slug: str):
    course = Course.by_slug_or_404(slug)
    language = content_language(course)
    user_id = _user_id()
    outline = load_outline(course, language, user_id, objectives=True)
    enrolment = None
    if user_id is not None:
        enrolment = db.session.scalar(
            select(Enrolment).filter_by(user_id=user_id, course_id=course.id)
        )
    next_step = outline.next_step(enrolment.last_lesson_id if enrolment else None)
    return render_template(
        "learn/course.html",
        course=course,
        texts=course.texts(language),
        reading_language=language,
        outline=outline,
        enrolment=enrolment,
        next_step=next_step,
        rule=progress.completion_rule(course),
        programmes=all_programmes(),
        certificate=_certificate(user_id, course) if enrolment and enrolment.completed_at
        else None,
    )


def _certificate(user_id: int, course: Course) -> Certificate | None:
    return db.session.scalar(select(Certificate).filter_by(user_id=user_id, course_id=course.id))


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug: str):
    course = Course.by_slug_or_404(slug)
    progress.enrol(current_user.id, course.id)
    db.session.commit()
    flash(_("You are enrolled. Your progress will be saved."), "success")
    return redirect(url_for("learn.course", slug=slug))


def _render_lesson(course: Course, key: str, *, answers=None, errors=None, status=200):
    html, _item = _lesson_html(course, key, answers=answers, errors=errors)
    return html, status


def _lesson_html(course: Course, key: str, *, answers=None, errors=None):
    """The lesson page, and its item in the outline (what the page's version depends on)."""
    language = content_language(course)
    user_id = _user_id()
    outline = load_outline(course, language, user_id)
    item = outline.find(key)
    if item is None:
        abort(404)
    page = load_lesson_page(item.id, course, language, user_id)
    if page is None:
        abort(404)
    quiz = page.content.quiz_public if page.quiz is not None else None
    draw = _activities(page.content, item, course, user_id)
    previous, following = outline.neighbours(key)
    discussion = discussion_open(course, item)
    attempts_left = None
    if page.quiz is not None and page.quiz.max_attempts is not None:
        attempts_left = max(page.quiz.max_attempts - page.attempts_used, 0)
    html = render_template(
            "learn/lesson.html",
            course=course,
            course_title=course.texts(language).title,
            outline=outline,
            item=item,
            page=page,
            # Sanitised once at import (content/sanitize.py), so safe to insert as is; each
            # poll and reflection drawn in its place.
            before=activities.fill(page.content.html_before_quiz, draw),
            after=activities.fill(page.content.html_after_quiz, draw),
            quiz=quiz,
            attempts_left=attempts_left,
            submission_token=secrets.token_urlsafe(16),
            answers=answers or {},
            errors=errors or {},
            previous=previous,
            following=following,
            position=outline.items.index(item) + 1,
            discussion=discussion,
            latest_threads=latest_threads(item.id) if discussion and item.thread_count else [],
    )
    if user_id is not None and progress.visit_is_news(item.id, page.last_lesson_id,
                                                      page.last_visit_at):
        # After rendering: committing earlier would expire what the template reads.
        progress.record_visit(user_id, course.id, item.id)
    return html, item


def _activities(content, item, course: Course, user_id: int | None):
    """How to draw each poll and reflection of the lesson for this reader (None: it has
    none): one statement for the polls' results, one for the reflections' answers."""
    if not content.activities:
        return None
    results = polls.load_results(item.id, polls.polls_of_specs(content.activities), user_id)
    notes = reflections.load(item.id, reflections.reflections_of_specs(content.activities),
                             user_id)

    def draw(kind: str, activity_id: str) -> str:
        if kind == "poll" and activity_id in results:
            return render_template("learn/_poll.html", result=results[activity_id],
                                   course=course, item=item)
        if kind == "reflection" and activity_id in notes:
            return render_template("learn/_reflection.html", state=notes[activity_id],
                                   course=course, item=item)
        return ""
    return draw


@bp.route("/courses/<slug>/lessons/<key>")
def lesson(slug: str, key: str):
    course = Course.by_slug_or_404(slug)
    same_for_everyone = not current_user.is_authenticated and not session.get("_flashes")
    page, item = _lesson_html(course, key)
    if not same_for_everyone:
        return page
    # What an anonymous reader sees is the same for all of them: the page cache may keep it,
    # and a reader coming back to a lesson that has not changed downloads nothing (304).
    mark_cacheable()
    response = make_response(page)
    # A new post changes the page too: its stamp is in the version (and page_cache.py drops
    # the kept page).
    stamp = item.discussion_changed_at
    version = f"{course.content_hash}:{key}:{stamp}:{get_locale()}:{request.full_path}"
    response.set_etag(hashlib.sha256(version.encode()).hexdigest()[:32])
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response.make_conditional(request)


_LESSON_BY_KEY = (  # built once; what completing a lesson or grading its quiz reads comes along
    select(Lesson)
    .where(Lesson.course_id == bindparam("course_id"), Lesson.key == bindparam("key"),
           Lesson.removed_at.is_(None))
    .options(joinedload(Lesson.quiz), selectinload(Lesson.contents))
)


def _lesson_or_404(course: Course, key: str) -> Lesson:
    lesson = db.session.scalar(_LESSON_BY_KEY, {"course_id": course.id, "key": key})
    if lesson is None:
        abort(404)
    return lesson


def _content_in_reading_language(course: Course, lesson: Lesson):
    """The lesson in the language the reader reads the course in (else its main language)."""
    language = content_language(course)
    return next((c for c in lesson.contents if c.language == language), None) or next(
        c for c in lesson.contents if c.language == course.language)


def _next_lesson_key(lesson: Lesson) -> str | None:
    return db.session.scalar(
        select(Lesson.key)
        .where(Lesson.course_id == lesson.course_id, Lesson.removed_at.is_(None),
               Lesson.position > lesson.position)
        .order_by(Lesson.position)
        .limit(1)
    )


@bp.post("/courses/<slug>/lessons/<key>/complete")
@login_required
def complete(slug: str, key: str):
    course = Course.by_slug_or_404(slug)
    lesson = _lesson_or_404(course, key)
    if lesson.quiz is not None and lesson.quiz.graded and lesson.quiz.removed_at is None:
        flash(_("Pass the quiz to complete this lesson."), "error")
        return redirect(url_for("learn.lesson", slug=slug, key=key))
    progress.complete_lesson(current_user.id, lesson)
    db.session.commit()
    announce_issued()
    flash(_("Lesson marked as complete."), "success")
    following = _next_lesson_key(lesson)
    if following:
        return redirect(url_for("learn.lesson", slug=slug, key=following))
    return redirect(url_for("learn.course", slug=slug))


@bp.post("/courses/<slug>/lessons/<key>/quiz")
@login_required
def submit_quiz(slug: str, key: str):
    course = Course.by_slug_or_404(slug)
    lesson = _lesson_or_404(course, key)
    content = _content_in_reading_language(course, lesson)
    quiz = content.quiz()
    if lesson.quiz is None or lesson.quiz.removed_at is not None or quiz is None:
        abort(404)
    answers = {q.id: KINDS[q.kind].read(request.form, q) for q in quiz.questions}
    errors = {q.id: _("Please answer this question.") for q in quiz.questions
              if not KINDS[q.kind].answered(answers[q.id])}
    if errors:
        shown = {q.id: KINDS[q.kind].form_values(q, answers[q.id]) for q in quiz.questions}
        return _render_lesson(course, key, answers=shown, errors=errors, status=422)
    token = (request.form.get("submission_token") or "")[:64] or secrets.token_urlsafe(16)
    try:
        attempt_id = progress.submit_quiz(current_user.id, lesson, content.language, quiz,
                                          answers, token)
    except progress.AttemptsExhausted:
        db.session.rollback()
        flash(_("You have used all your attempts for this quiz."), "error")
        return redirect(url_for("learn.lesson", slug=slug, key=key))
    announce_issued()
    return redirect(url_for("learn.attempt", slug=slug, key=key, attempt_id=attempt_id))


@bp.post("/courses/<slug>/lessons/<key>/polls/<poll_id>")
@login_required
@limiter.limit(lambda: current_app.config["POLL_RATE_LIMIT"])
def vote(slug: str, key: str, poll_id: str):
    """A learner answers a poll, once; then the lesson shows them how everyone answered."""
    course = Course.by_slug_or_404(slug)
    lesson = _lesson_or_404(course, key)
    content = _content_in_reading_language(course, lesson)
    poll = polls.polls_of_specs(content.activities).get(poll_id)
    if poll is None:
        abort(404)
    choice = request.form.get("choice", "")
    if not choice.isdigit() or int(choice) >= len(poll.labels):
        flash(_("Choose an answer to the poll."), "error")
    elif polls.vote(lesson.id, poll, current_user.id, int(choice), content.language):
        db.session.commit()
    else:
        db.session.rollback()
        flash(_("You had already answered this poll: your first answer stands."), "info")
    return redirect(url_for("learn.lesson", slug=slug, key=key, _anchor=f"poll-{poll_id}"))


@bp.post("/courses/<slug>/lessons/<key>/reflections/<reflection_id>")
@login_required
@limiter.limit(lambda: current_app.config["REFLECTION_RATE_LIMIT"])
def reflect(slug: str, key: str, reflection_id: str):
    """A learner writes (or rewrites) their answer to a reflection, kept in their notebook."""
    course = Course.by_slug_or_404(slug)
    lesson = _lesson_or_404(course, key)
    content = _content_in_reading_language(course, lesson)
    reflection = reflections.reflections_of_specs(content.activities).get(reflection_id)
    if reflection is None:
        abort(404)
    text = request.form.get("text", "").strip()
    if not text:
        flash(_("Write your answer before saving it."), "error")
    elif len(text) > reflections.LONGEST:
        flash(_("Your answer is longer than %(most)s characters: shorten it, then save it.",
                most=reflections.LONGEST), "error")
    else:
        sharing = request.form.get("sharing", "private")
        if sharing == "anonymous" and not course.anonymous_sharing:
            sharing = "private"  # the author asks for names on what is shared
        reflections.save(lesson.id, reflection, current_user.id, text, sharing,
                         content.language)
        if course.completion_reflections:
            progress.update_course_completion(current_user.id, course)
        db.session.commit()
        announce_issued()
        flash(_("Your answer is saved in your notebook."), "success")
    return redirect(url_for("learn.lesson", slug=slug, key=key,
                            _anchor=f"reflection-{reflection_id}"))


@bp.route("/courses/<slug>/lessons/<key>/quiz/attempts/<int:attempt_id>")
@login_required
def attempt(slug: str, key: str, attempt_id: int):
    course = Course.by_slug_or_404(slug)
    lesson = _lesson_or_404(course, key)
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id or lesson.quiz is None or (
        attempt.quiz_id != lesson.quiz.id
    ):
        abort(404)
    content = next((c for c in lesson.contents if c.language == attempt.language), None)
    quiz = content.quiz() if content is not None else None
    if quiz is None:
        abort(404)
    result = progress.regrade(attempt, quiz)
    used = progress.attempts_used(current_user.id, lesson.quiz.id)
    exhausted = lesson.quiz.max_attempts is not None and used >= lesson.quiz.max_attempts
    following = _next_lesson_key(lesson)
    return render_template(
        "learn/attempt.html",
        course=course,
        lesson=lesson,
        title=content.title,
        attempt=attempt,
        quiz=quiz,
        result=result,
        show_answers=attempt.passed or exhausted,
        can_retry=not attempt.passed and not exhausted,
        attempts_left=None if lesson.quiz.max_attempts is None
        else lesson.quiz.max_attempts - used,
        following=following,
        certificate=_certificate(current_user.id, course) if attempt.passed else None,
    )


@bp.route("/media/<slug>/<path:path>")
def media(slug: str, path: str):
    item = db.session.execute(
        select(CourseMedia).join(Course).where(Course.slug == slug, CourseMedia.path == path)
    ).scalar_one_or_none()
    if item is None:
        abort(404)
    response = make_response(item.data)
    response.headers["Content-Type"] = item.content_type
    response.set_etag(item.sha256)
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["Content-Security-Policy"] = MEDIA_POLICY
    return response.make_conditional(request)


@bp.route("/glossary")
def glossary():
    language = str(get_locale())
    terms = db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.term)).all()
    return render_template("learn/glossary.html", terms=terms, language=language)

"""The learner's own pages: courses with progress and next step, quiz results, certificates;
and their notebook of reflections."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, func, select

from ..extensions import db
from ..learn import reflections
from ..learn.outline import load_programmes
from ..models import Certificate, Course, Enrolment, Lesson, LessonContent, Quiz, QuizAttempt
from ..progress import lesson_count, lessons_done
from .notebook import as_markdown, as_pdf, by_course

bp = Blueprint("dashboard", __name__)


def my_courses(user_id: int):
    """Each enrolment with lesson counts and the last lesson visited, in one query."""
    last = Lesson.__table__.alias("last_lesson")
    return db.session.execute(
        select(Course, Enrolment, lesson_count().label("total"),
               lessons_done(user_id).label("done"),
               last.c.key.label("last_key"))
        .join(Enrolment, Enrolment.course_id == Course.id)
        .outerjoin(last, last.c.id == Enrolment.last_lesson_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Enrolment.last_activity_at.desc())
    ).all()


def my_quiz_results(user_id: int):
    """Best score, attempts and pass per quiz the learner has tried, in one query."""
    return db.session.execute(
        select(
            Course.slug,
            Course.title.label("course_title"),
            Lesson.key,
            LessonContent.title,
            Quiz.pass_mark,
            func.count(QuizAttempt.id).label("attempts"),
            func.max(QuizAttempt.score_percent).label("best"),
            func.max(QuizAttempt.submitted_at).label("last"),
        )
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Lesson, Lesson.id == Quiz.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .join(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                  LessonContent.language == Course.language))
        .where(QuizAttempt.user_id == user_id)
        .group_by(Course.slug, Course.title, Lesson.key, LessonContent.title, Quiz.pass_mark)
        .order_by(func.max(QuizAttempt.submitted_at).desc())
    ).all()


@bp.route("/dashboard")
@login_required
def index():
    return render_template(
        "dashboard/index.html",
        courses=my_courses(current_user.id),
        quiz_results=my_quiz_results(current_user.id),
        programmes=load_programmes(current_user.id)[0],
        certificates=db.session.scalars(
            select(Certificate).filter_by(user_id=current_user.id)
            .order_by(Certificate.issued_at.desc())
        ).all(),
    )


# --- The notebook -------------------------------------------------------------------------------


@bp.route("/notebook")
@login_required
def notebook():
    entries = reflections.notebook(current_user.id)
    return render_template("dashboard/notebook.html", courses=by_course(entries))


@bp.route("/notebook.<any(md, pdf):extension>")
@login_required
def notebook_export(extension: str):
    """The notebook as a file the learner keeps: Markdown or PDF."""
    entries = reflections.notebook(current_user.id)
    title = _("My notebook") + " · " + current_user.full_name
    if extension == "md":
        body, mimetype = as_markdown(title, entries, _("Lesson")), "text/markdown"
    else:
        body, mimetype = as_pdf(title, entries, _("Lesson")), "application/pdf"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="notebook.{extension}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""Instructor tools. The preview renders a course folder straight from disk, before import:
learners' view, answers revealed, and every validation problem listed. The analytics show the
instructors of a course (and admins) how its learners progress and where they struggle."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from ..access import can_teach, course_instructor_required, instructor_required
from ..content import LoadResult, load_course_with_glossary, load_courses, read_slug
from ..content.render import Addresses
from ..extensions import db
from ..forms import page_number
from ..learn.activities import ACTIVITY_RE
from ..learn.routes import MEDIA_POLICY
from ..models import Course, CourseInstructor, Enrolment
from ..packages import PACKAGES
from . import analytics, charts, export
from .forms import RangeForm

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


def _course_folders() -> dict[str, Path]:
    root = Path(current_app.config["COURSES_PATH"])
    if not root.is_dir():  # said on the preview page, by load_courses
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if (p / "course.yml").is_file()}


def _may_preview(slug: str | None) -> bool:
    """A course already imported is previewed by those who teach it, as its analytics are:
    its answer keys are the ones its learners face. A course not imported yet, by any
    instructor."""
    course = Course.by_slug(slug) if slug else None
    return course is None or can_teach(current_user, course.id)


def _preview_addresses(folder: str) -> Addresses:
    """Links and images of a previewed lesson stay in the preview of its folder."""
    return Addresses(
        lesson=lambda slug, lesson_id, language: url_for(
            "instructor.preview", folder=folder, lesson=lesson_id, language=language),
        media=lambda slug, path: url_for("instructor.preview_media", folder=folder, path=path),
    )


def _load_for_preview(folder: str) -> LoadResult:
    """The folder as it would be imported now, with preview links; 404 for a folder that is
    not a course (no path tricks: only folders listed on disk) or not the instructor's."""
    path = _course_folders().get(folder)
    if path is None or not _may_preview(read_slug(path)):
        abort(404)
    result, _glossary = load_course_with_glossary(path, _preview_addresses(folder))
    return result


@bp.route("/preview")
@instructor_required
def preview_index():
    result = load_courses(current_app.config["COURSES_PATH"])
    folders = _course_folders()
    shown = [folder for folder, path in folders.items() if _may_preview(read_slug(path))]
    # The problems of the folders shown, and of the files all courses share (the glossary).
    hidden = tuple(f"{folder}/" for folder in folders if folder not in shown)
    return render_template(
        "instructor/preview_index.html", folders=shown,
        problems=[p for p in result.problems if not p.file.startswith(hidden)],
        warnings=[w for w in result.warnings if not w.file.startswith(hidden)])


@bp.route("/preview/<folder>")
@instructor_required
def preview(folder: str):
    result = _load_for_preview(folder)
    draft = result.draft
    lesson = version = None
    language = request.args.get("language")
    if draft is not None and draft.lessons:
        language = language if language in draft.languages else draft.language
        lesson = draft.lessons.get(request.args.get("lesson", "")) or next(
            iter(draft.lessons.values()))
        version = lesson.versions.get(language) or lesson.versions[draft.language]
    before, after = version.parts if version else ("", "")
    return render_template(
        "instructor/preview.html",
        folder=folder,
        problems=result.problems,
        warnings=result.warnings,
        translation_report=result.translation_report,
        draft=draft,
        lesson=lesson,
        version=version,
        language=language,
        # Rendered and sanitised by the same pipeline as an import.
        before=preview_activities(before, version),
        after=preview_activities(after, version),
    )


@bp.route("/preview/<folder>/media/<path:path>")
@instructor_required
def preview_media(folder: str, path: str):
    """A file a previewed lesson uses, from the folder on disk (as /media serves it once
    imported): only files the course's lessons point to."""
    draft = _load_for_preview(folder).draft
    file = draft.media.get(path) if draft is not None else None
    if file is None:
        abort(404)
    response = Response(file.data, mimetype=file.content_type)
    response.headers["Cache-Control"] = "no-store"  # the file may change at any save
    response.headers["Content-Security-Policy"] = MEDIA_POLICY
    return response


# --- Analytics ----------------------------------------------------------------------------------


def _range_form() -> tuple[RangeForm, analytics.DateRange, int]:
    """The filter from the query string, the range it gives, and the status to answer with
    (400 when a date is invalid: the page shows the error and the last 30 days)."""
    form = RangeForm(request.args)
    valid = form.validate()
    rng = form.date_range()
    if valid:  # the fields show the period shown, also when it is the default one
        form.start.data, form.end.data = rng.start, rng.end
    return form, rng, 200 if valid else 400


def _export_range() -> analytics.DateRange | None:
    """The period an export covers (None: all of it, when no date is given); a bad date is
    refused with 400."""
    form, rng, status = _range_form()
    if status != 200:
        abort(400)
    return rng if form.given else None


def preview_activities(html: str, version) -> Markup:
    """The lesson HTML with each poll and reflection shown as its question (and a poll's
    answers): nobody answers a preview."""
    found = {activity.id: activity for activity in version.activities} if version else {}
    return Markup(ACTIVITY_RE.sub(lambda slot: render_template(
        "instructor/_activity_preview.html", activity=found[slot[2]]) if slot[2] in found
        else "", html))


def _export_args(form: RangeForm) -> dict:
    if form.given and not form.errors:
        rng = form.date_range()
        return {"start": rng.start.isoformat(), "end": rng.end.isoformat()}
    return {}


@bp.route("/courses")
@instructor_required
def courses():
    enrolled = (
        select(func.count(Enrolment.id)).where(Enrolment.course_id == Course.id)
        .scalar_subquery()
    )
    stmt = select(Course, enrolled).order_by(Course.title)
    if not current_user.is_admin:
        stmt = stmt.join(CourseInstructor, CourseInstructor.course_id == Course.id).where(
            CourseInstructor.user_id == current_user.id
        )
    return render_template("instructor/courses.html", rows=db.session.execute(stmt).all())


@bp.route("/courses/<slug>")
@course_instructor_required
def course_dashboard(course: Course):
    form, rng, status = _range_form()
    summary = analytics.overview(course, rng)
    over_time = analytics.enrolments_over_time(course, rng)
    steps = analytics.funnel(course)
    translations = analytics.translations(course)
    period = _("%(start)s to %(end)s", start=rng.start.isoformat(), end=rng.end.isoformat())
    enrol_chart = charts.column_chart(
        "enrolments-chart",
        _("New enrolments per month") if rng.by_month else _("New enrolments per day"),
        _("%(count)s learners enrolled from %(period)s; the table below gives every figure.",
          count=summary.enrolled_in_range, period=period),
        over_time,
    )
    funnel_chart = charts.funnel_chart(
        "funnel-chart",
        _("Learners who reached and completed each lesson"),
        _("For each lesson in course order, the learners who got that far and those who "
          "completed it; the table below gives every figure."),
        [(s.title, s.reached, s.completed) for s in steps],
        legend=(_("Reached"), _("Completed")),
    )
    return render_template(
        "instructor/course_dashboard.html", course=course, form=form, rng=rng,
        summary=summary, over_time=over_time, steps=steps, enrol_chart=enrol_chart,
        funnel_chart=funnel_chart, export_args=_export_args(form), period=period,
        translations=translations,
    ), status


@bp.route("/courses/<slug>/quizzes")
@course_instructor_required
def quiz_analytics(course: Course):
    form, rng, status = _range_form()
    quizzes = analytics.quiz_analytics(course, rng)
    score_charts, choice_charts = {}, {}
    for quiz in quizzes:
        score_charts[quiz.id] = charts.bar_chart(
            f"scores-{quiz.id}",
            _("Scores of %(quiz)s", quiz=quiz.title),
            _("How many attempts scored in each band of ten percent; the table beside it "
              "gives every figure."),
            [charts.Bar(f"{10 * i}–{10 * i + 9 if i < 9 else 100}%", n)
             for i, n in enumerate(quiz.scores)],
        )
        for n, question in enumerate(quiz.questions, 1):
            if question.choices:
                choice_charts[(quiz.id, question.key)] = charts.bar_chart(
                    f"choices-{quiz.id}-{question.key}",
                    _("Question %(n)s: how often each option was chosen", n=n),
                    _("Right options and the most chosen wrong option are marked; the table "
                      "beside it gives every figure."),
                    [charts.Bar(
                        Markup(c.text_html).striptags(), c.chosen,
                        "is-correct" if c.correct else ("is-flagged" if c.flagged else ""),
                        _("(right)") if c.correct else
                        (_("(most chosen wrong option)") if c.flagged else ""),
                    ) for c in question.choices],
                )
    return render_template(
        "instructor/quizzes.html", course=course, form=form, rng=rng, quizzes=quizzes,
        polls=analytics.poll_analytics(course, rng),
        score_charts=score_charts, choice_charts=choice_charts,
        export_args=_export_args(form), Markup=Markup,
    ), status


@bp.route("/courses/<slug>/learners")
@course_instructor_required
def learners(course: Course):
    search = request.args.get("q", "")[:200]
    result = analytics.learners(course, search, page_number())
    return render_template("instructor/learners.html", course=course, search=search,
                           result=result)


@bp.route("/courses/<slug>/learners/<int:user_id>")
@course_instructor_required
def learner(course: Course, user_id: int):
    detail = analytics.learner_detail(course, user_id)
    if detail is None:
        abort(404)
    return render_template("instructor/learner.html", course=course, detail=detail)


@bp.route("/courses/<slug>/export/progress.csv")
@course_instructor_required
def export_progress(course: Course):
    rng = _export_range()
    return export.stream(
        analytics.progress_rows(course, rng), export.PROGRESS_HEADER,
        export.progress_shape(analytics.lesson_total(course)),
        f"{course.slug}-progress.csv",
    )


@bp.route("/courses/<slug>/export/attempts.csv")
@course_instructor_required
def export_attempts(course: Course):
    rng = _export_range()
    return export.stream(
        analytics.attempt_rows(course, rng), export.ATTEMPTS_HEADER, export.attempt_shape,
        f"{course.slug}-quiz-attempts.csv",
    )


@bp.route("/courses/<slug>/export/<any(scorm12, qti3):package_format>.zip")
@course_instructor_required
def export_package(course: Course, package_format: str):
    """The course as a package for another platform: SCORM 1.2, or its questions as QTI 3.0."""
    build, _what = PACKAGES[package_format]
    response = Response(build(course), mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{course.slug}-{package_format}.zip"')
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""Instructor tools. The preview renders a course folder straight from disk, before import:
learners' view, answers revealed, and every validation problem listed."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request
from markupsafe import Markup

from ..access import instructor_required
from ..cli import load_path
from ..content import QUIZ_SLOT, load_courses

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


def _course_folders() -> dict[str, Path]:
    root = Path(current_app.config["COURSES_PATH"])
    return {p.name: p for p in sorted(root.iterdir()) if (p / "course.yml").is_file()}


@bp.route("/preview")
@instructor_required
def preview_index():
    result = load_courses(current_app.config["COURSES_PATH"])
    return render_template("instructor/preview_index.html", folders=list(_course_folders()),
                           result=result)


@bp.route("/preview/<folder>")
@instructor_required
def preview(folder: str):
    path = _course_folders().get(folder)  # only folders that exist: no path tricks
    if path is None:
        abort(404)
    result = load_path(path)
    course = next(iter(result.courses.values()), None)
    lesson = version = before = after = None
    language = request.args.get("lang")
    if course is not None:
        language = language if language in course.languages else course.language
        lesson = course.lessons.get(request.args.get("lesson", "")) or next(
            iter(course.lessons.values())
        )
        version = lesson.versions.get(language) or lesson.versions[course.language]
        before, _slot, after = version.html.partition(QUIZ_SLOT)
    return render_template(
        "instructor/preview.html",
        folder=folder,
        result=result,
        course=course,
        lesson=lesson,
        version=version,
        language=language,
        # Rendered and sanitised by the same pipeline as an import.
        before=Markup(before or ""),
        after=Markup(after or ""),
    )

"""Access rules as small view decorators, stacked on the views they guard."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def instructor_required(view):
    """Instructors and admins only; anyone else gets 403 (anonymous users log in first)."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def admin_required(view):
    """Admins only; anyone else gets 403 (anonymous users log in first)."""

    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def can_teach(user, course_id: int) -> bool:
    """Admins teach every course; instructors the courses they are assigned to."""
    from .extensions import db
    from .models import CourseInstructor

    if user.is_admin:
        return True
    if not user.is_instructor:
        return False
    return db.session.scalar(
        db.select(CourseInstructor.id).filter_by(user_id=user.id, course_id=course_id)
    ) is not None


def course_instructor_required(view):
    """The course named by ``slug``, for its instructors and admins; passed to the view as
    ``course``. Learners get 403; other instructors 404, as if the course did not exist."""
    from .models import Course

    @wraps(view)
    @instructor_required
    def guarded(slug: str, *args, **kwargs):
        course = Course.by_slug(slug)
        if course is None or not can_teach(current_user, course.id):
            abort(404)
        return view(course, *args, **kwargs)

    return guarded

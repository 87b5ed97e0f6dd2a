"""Which instructors teach which courses: assigned by admins (in the browser or the command line),
each change written to the audit log."""

from __future__ import annotations

from sqlalchemy import delete, select

from . import audit
from .extensions import db
from .models import Course, CourseInstructor, User


class NotAnInstructor(Exception):
    pass


def assign(user: User, course: Course, by: User | None) -> bool:
    """Let an instructor see a course's learners and analytics; False if they already did."""
    if not user.is_instructor:
        raise NotAnInstructor
    exists = db.session.scalar(
        select(CourseInstructor.id).filter_by(user_id=user.id, course_id=course.id))
    if exists:
        return False
    db.session.add(CourseInstructor(user_id=user.id, course_id=course.id))
    audit.record(by, "course.assign", f"user:{user.id}", email=user.email, course=course.slug)
    db.session.commit()
    return True


def unassign(user: User, course: Course, by: User | None) -> bool:
    """Take a course away from an instructor; False if they did not teach it."""
    deleted = db.session.execute(
        delete(CourseInstructor).filter_by(user_id=user.id, course_id=course.id)).rowcount
    if deleted:
        audit.record(by, "course.unassign", f"user:{user.id}", email=user.email,
                     course=course.slug)
    db.session.commit()
    return bool(deleted)


def courses_taught(user: User) -> list[Course]:
    return list(db.session.scalars(
        select(Course).join(CourseInstructor, CourseInstructor.course_id == Course.id)
        .where(CourseInstructor.user_id == user.id).order_by(Course.title)))

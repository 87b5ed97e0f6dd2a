"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL, and
the database enforces its foreign keys on both."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from learning.extensions import db
from learning.models import Course, CourseInstructor, Enrolment, User


def test_the_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_the_database_refuses_a_row_that_points_at_nothing(app):
    with app.app_context():
        db.session.add(Enrolment(user_id=987654, course_id=987654))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_database_applies_the_on_delete_rules(app, user, course):
    """SQLite as PostgreSQL: removing an account row removes what hangs on it."""
    with app.app_context():
        course_id = db.session.scalar(select(Course.id))
        db.session.add(Enrolment(user_id=user.id, course_id=course_id))
        db.session.add(CourseInstructor(user_id=user.id, course_id=course_id))
        db.session.commit()
        db.session.execute(delete(User).where(User.id == user.id))
        db.session.commit()
        assert db.session.scalar(select(func.count(Enrolment.id))) == 0
        assert db.session.scalar(select(func.count(CourseInstructor.id))) == 0

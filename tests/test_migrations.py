"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL, and
the database enforces its foreign keys on both."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError

from learning.content import QUIZ_SLOT
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


def test_the_lesson_parts_migration_keeps_every_lesson_and_quiz_form_both_ways(tmp_path):
    """0008 splits each stored lesson around its quiz and stores the quiz's public form; going
    down and up again gives back exactly what an import writes (SQLite: its own file)."""
    from flask_migrate import downgrade, upgrade

    from learning import importer
    from learning.models import LessonContent

    from .conftest import make_app
    from .support import nutshell

    app = make_app(f"sqlite:///{tmp_path / 'migrations.db'}")
    with app.app_context():
        upgrade()
        importer.import_course(db.session, nutshell())
        db.session.commit()
        columns = (LessonContent.id, LessonContent.html_before_quiz,
                   LessonContent.html_after_quiz, LessonContent.quiz_public)
        imported = db.session.execute(select(*columns).order_by(LessonContent.id)).all()
        assert any(row.quiz_public for row in imported)
        assert any(row.html_after_quiz for row in imported)

        downgrade(revision="0007")
        whole = db.session.execute(text("SELECT html FROM lesson_contents ORDER BY id")).all()
        assert [html for (html,) in whole] == [
            before + QUIZ_SLOT + after if public else before
            for _, before, after, public in imported]
        upgrade()
        assert db.session.execute(select(*columns).order_by(LessonContent.id)).all() == imported
        db.engine.dispose()

"""Bad input and bad luck get a clear answer, never a 500 page from nowhere: a failed write
leaves the database as it was, and no value in an address or a form breaks a query."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text

from learning.extensions import db
from learning.models import User

from .conftest import make_app
from .support import PASSWORD, FormClient


@contextmanager
def database_locked_for_writing(url: str):
    """Another connection holds the write lock: readers go on, writers time out."""
    engine = create_engine(url)
    with engine.connect() as other:
        if other.dialect.name == "sqlite":
            other.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            other.execute(text("LOCK TABLE users IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            other.rollback()
    engine.dispose()


def impatient(url: str) -> dict:
    """Engine options under which a write that must wait for a lock fails in a fifth of a second."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 0.2}}
    return {"connect_args": {"options": "-c lock_timeout=200"}, "pool_pre_ping": True}


def test_a_write_that_fails_shows_the_platform_error_page_and_changes_nothing(app, user):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    live = make_app(url, TESTING=False, SQLALCHEMY_ENGINE_OPTIONS=impatient(url))
    client = FormClient(live.test_client())
    client.submit("/login", {"email": user.email, "password": PASSWORD})
    token = client.csrf_token("/account")
    with database_locked_for_writing(url):
        response = client.post("/account", data={
            "csrf_token": token, "full_name": "A New Name", "language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "My learning" in page  # our page, signed in
    with live.app_context():
        assert db.session.scalar(select(User.full_name)) == user.full_name
        db.engine.dispose()

"""Fixtures: a migrated throw-away database per run (SQLite or PostgreSQL), an app, clients,
and the app served over real HTTP for the browser and the outside verifiers.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the suite there: the run creates its own
database beside the one named and drops it at the end, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

os.environ["APP_ENV"] = "testing"
os.environ["PUBLIC_URL"] = "http://localhost"  # the host of the test client's requests
os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="learning-instance-"))

from .support import compile_translations  # noqa: E402

compile_translations()  # as `make setup` does, for a suite run straight from pytest

from learning import create_app, importer  # noqa: E402
from learning.extensions import db, limiter  # noqa: E402
from learning.mail import outbox  # noqa: E402

from .support import Auth, FormClient, add_user, nutshell  # noqa: E402


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    url = make_url(base)
    name = f"learning_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(database_url: str, **overrides):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-" + secrets.token_hex(8),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_BACKEND": "memory",
            "SERVER_NAME": None,
            # Check the courses' content at every anonymous lesson request, so a test sees an
            # import at once (servers check once a second).
            "ANONYMOUS_PAGE_RECHECK_SECONDS": 0,
            **overrides,
        }
    )


@pytest.fixture(scope="session")
def migrated_database(database_url):
    """Build the schema with the real migrations, once per run."""
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture
def app(migrated_database):
    """An app on the migrated database. No context stays pushed: each request gets its own,
    as in production, and tests open one explicitly when they touch the database."""
    app = make_app(migrated_database)
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


@pytest.fixture
def course(app):
    """SSE in a nutshell, imported into the test database."""
    with app.app_context():
        importer.import_course(db.session, nutshell())
        db.session.commit()
    return nutshell()


@pytest.fixture
def mail(app):
    with app.app_context():
        return outbox()


@pytest.fixture
def user(app):
    return add_user(app)


@pytest.fixture
def auth(client):
    return Auth(client)


def _whole_bodies(app):
    """Each response body read whole (and closed) before the server writes it.

    When Chromium drops a connection mid-response (it cancels the favicon as it navigates away),
    werkzeug's development server skips closing the body, and a static file left open would
    surface later, in another test, as an unraisable ResourceWarning.
    """
    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return serve


@pytest.fixture
def live_server(app):
    """Serve the test app over real HTTP in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, _whole_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base_url  # the links in emails and certificates lead here
    yield base_url
    server.shutdown()
    thread.join(timeout=5)

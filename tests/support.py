"""Helpers the tests share: a form-filling client, accounts, links from emails."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from learning.content import load_course, load_glossary
from learning.extensions import db
from learning.models import Role, User, utcnow

PASSWORD = "a long enough password"

# The bundled course most tests take: its slug, the lesson of its graded quiz, and the course as
# loaded from its folder (loaded once per run).
SLUG = "sse-in-a-nutshell"
QUIZ_LESSON = "check-your-understanding"


@cache
def nutshell():
    glossary, _ = load_glossary(Path("courses/glossary.yml"))
    return load_course(f"courses/{SLUG}", glossary).course


class FormClient:
    """A test client that fills forms the way a browser does, CSRF token included."""

    CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf_token(self, url: str) -> str:
        page = self.client.get(url).get_data(as_text=True)
        match = self.CSRF.search(page) or re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def submit(self, url: str, data: dict, *, form_url: str | None = None, **kwargs):
        token = self.csrf_token(form_url or url)
        return self.client.post(url, data={"csrf_token": token, **data}, **kwargs)


def _detached(user: User | None) -> User | None:
    """Keep the loaded attributes readable after the context that loaded them ends."""
    if user is not None:
        db.session.refresh(user)
        db.session.expunge(user)
    return user


def add_user(app, email="learner@example.org", password=PASSWORD, *, role=Role.LEARNER,
             confirmed=True, full_name="Ñúñez Çelik-Øberg", active=True) -> User:
    with app.app_context():
        user = User(email=email, full_name=full_name, role=role, active=active,
                    email_confirmed_at=utcnow() if confirmed else None)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return _detached(user)


def find_user(app, email: str) -> User | None:
    with app.app_context():
        return _detached(User.by_email(email))


class Auth:
    def __init__(self, client: FormClient):
        self.client = client

    def login(self, email="learner@example.org", password=PASSWORD, **extra):
        return self.client.submit("/login", {"email": email, "password": password, **extra})

    def logout(self):
        return self.client.submit("/logout", {}, form_url="/")


def link_in(message) -> str:
    """The first link in an email, as a path the test client can open."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


TRANSLATIONS = Path(__file__).resolve().parent.parent / "learning" / "translations"


def compile_translations() -> None:
    """Compile each catalogue whose .mo is missing or older than its .po."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def import_one_lesson_course(app, folder: Path, body: str, **settings: str):
    """A course "demo" in ``folder`` whose one lesson, "check", is ``body`` (``settings``: more
    keys of its course.yml): loaded (with no problem) and imported into the app's database."""
    from .content.content_helpers import course_yml, lesson

    (folder / "lessons").mkdir(parents=True)
    (folder / "course.yml").write_text(course_yml(["check"], **settings), encoding="utf-8")
    (folder / "lessons" / "check.md").write_text(lesson("check", body), encoding="utf-8")
    loaded = load_course(folder)
    assert loaded.problems == []
    with app.app_context():
        from learning import importer

        importer.import_course(db.session, loaded.course)
        db.session.commit()
    return loaded.course

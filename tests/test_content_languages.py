"""A learner reads a course in their language where it has one: the lesson, its outline and the
course's texts follow the interface language, a switch on the page reads the same lesson in
another language with progress kept, and a reader whose language the course lacks is told."""

from __future__ import annotations

import pytest

from learning import importer
from learning.content import load_course
from learning.content.translations import mark_translations
from learning.extensions import db

from .content.content_helpers import course_yml, lesson
from .support import PASSWORD, FormClient, add_user
from .test_importer import write

FRENCH_TEXTS = "{fr: {title: Cours de démo, summary: Un cours pour les tests.}}"


@pytest.fixture
def courses(app, tmp_path):
    """'demo', translated into French (its first lesson and its texts), and 'plain', English
    only; both imported."""
    demo = write(tmp_path / "demo", {
        "course.yml": course_yml(["a", "b"], translations=FRENCH_TEXTS).replace(
            "estimated_hours: 1\n", "estimated_hours: 1.25\n"),
        "lessons/a.md": lesson("a", "The English text.\n", title="First lesson"),
        "lessons/a.fr.md": lesson("a", "Le texte français.\n", title="Première leçon"),
        "lessons/b.md": lesson("b", "More English.\n", title="Second lesson"),
    })
    mark_translations(demo)
    plain = write(tmp_path / "plain", {
        "course.yml": course_yml(["c"]).replace("slug: demo", "slug: plain"),
        "lessons/c.md": lesson("c", "Only English.\n", title="Only lesson"),
    })
    with app.app_context():
        for folder in (demo, plain):
            importer.import_course(db.session, load_course(folder).course)
        db.session.commit()


def signed_in(app) -> FormClient:
    add_user(app)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": "learner@example.org", "password": PASSWORD})
    return client


def test_a_lesson_switches_language_and_the_learner_keeps_their_progress(app, courses):
    client = signed_in(app)
    client.submit("/courses/demo/enrol", {})
    client.submit("/courses/demo/lessons/a/complete", {})

    french = client.get("/courses/demo/lessons/a?lang=fr").get_data(as_text=True)
    assert '<article class="lesson" lang="fr" dir="ltr">' in french
    assert "Le texte français." in french
    assert '<strong lang="fr" aria-current="true">Français</strong>' in french
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in french
    outline = client.get("/courses/demo").get_data(as_text=True)
    assert "<h1>Cours de démo</h1>" in outline  # the switch is saved to the learner's profile
    assert '<progress max="2" value="1"' in outline  # the lesson done in English counts

    english = client.get("/courses/demo/lessons/a?lang=en").get_data(as_text=True)
    assert "The English text." in english and "Le texte français." not in english


def test_a_lesson_not_yet_translated_is_read_in_the_course_language(app, courses):
    page = app.test_client().get("/courses/demo/lessons/b?lang=fr").get_data(as_text=True)
    assert '<article class="lesson" lang="en" dir="ltr">' in page and "More English." in page


def test_a_reader_whose_language_a_course_lacks_is_told_which_one_they_read(app, courses):
    page = app.test_client().get("/courses/plain/lessons/c?lang=es").get_data(as_text=True)
    assert "Este curso no está disponible en Español: lo está leyendo en English." in page
    assert 'class="content-languages"' not in page  # one language: nothing to switch to


def test_the_catalogue_filter_lists_the_courses_available_in_a_language(app, courses):
    page = app.test_client().get("/courses?language=fr&lang=fr").get_data(as_text=True)
    assert "Cours de démo" in page and "/courses/plain" not in page


def test_numbers_are_written_the_way_the_language_writes_them(app, courses):
    assert "environ 1,25 h" in app.test_client().get("/courses/demo?lang=fr").get_data(
        as_text=True)
    assert "about 1.25 h" in app.test_client().get("/courses/demo?lang=en").get_data(as_text=True)

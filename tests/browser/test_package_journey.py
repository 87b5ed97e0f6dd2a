"""In Chromium: a French-speaking learner goes from the home page through the programme page to
the package certificate, and the PDF says who issued it, for how many hours, for which courses,
in French."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from learning import importer, progress
from learning.content import load_course
from learning.extensions import db
from learning.models import Course, Lesson, Programme, User

from ..support import SLUG, add_user
from ..test_certificates import needs_poppler
from .steps import log_in

pytestmark = pytest.mark.browser

ELECTIVES = ["sse-and-public-policies", "sse-and-decent-work"]
PROGRAMME = "/programmes/sse-awareness-package"


@pytest.fixture
def package(app):
    """The package with its entry course and two electives, read lesson by lesson."""
    with app.app_context():
        for slug in [SLUG, *ELECTIVES]:
            importer.import_course(db.session, load_course(f"courses/{slug}").course)
        db.session.add(Programme(
            slug="sse-awareness-package", title="The awareness-raising package on the SSE",
            summary="The entry course and two in-depth modules.", required=[SLUG],
            electives=ELECTIVES, electives_required=2,
            translations={"fr": {"title": "Le kit de sensibilisation à l'ESS",
                                 "summary": "Le cours d'entrée et deux modules."}}))
        db.session.execute(Course.__table__.update().values(completion_quizzes="none"))
        db.session.commit()


def read_all_but_the_last_lesson(app, email: str) -> str:
    """Every lesson of the three courses read, but the last of the last elective; its URL."""
    with app.app_context():
        user = User.by_email(email)
        for slug in [SLUG, *ELECTIVES]:
            course = Course.by_slug(slug)
            lessons = db.session.scalars(select(Lesson).filter_by(course_id=course.id)
                                         .order_by(Lesson.position)).all()
            for lesson in lessons if slug != ELECTIVES[-1] else lessons[:-1]:
                progress.complete_lesson(user.id, lesson)
        db.session.commit()
        return f"/courses/{ELECTIVES[-1]}/lessons/{lessons[-1].key}"


@needs_poppler
def test_a_french_learner_earns_the_package_certificate_from_the_home_page(
        page: Page, live_server, app, package, tmp_path):
    add_user(app, email="awa@example.org", full_name="Awa Diop")
    with app.app_context():
        db.session.execute(User.__table__.update().values(language="fr"))
        db.session.commit()
    last_lesson = read_all_but_the_last_lesson(app, "awa@example.org")
    log_in(page, live_server, "awa@example.org")

    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator(f'main a[href="{PROGRAMME}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le kit de sensibilisation à l'ESS")
    expect(page.locator("progress").first).to_have_attribute("value", "2")

    page.goto(live_server + last_lesson)
    page.get_by_role("button", name="Marquer comme terminée").click()
    ready = page.get_by_role("region", name="Votre certificat du kit est prêt")
    expect(ready).to_be_visible()
    expect(ready.get_by_role("heading", name="Open Badge")).to_be_visible()
    with page.expect_download() as download:
        ready.get_by_role("link", name="Télécharger le PDF").click()
    pdf = tmp_path / "package.pdf"
    download.value.save_as(pdf)

    printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", printed)
    assert "Awa Diop" in flat and "Le kit de sensibilisation à l'ESS" in flat
    assert "SSE Learning" in flat  # the issuer
    with app.app_context():
        hours = sum(Course.by_slug(slug).estimated_hours for slug in [SLUG, *ELECTIVES])
    assert re.search(rf"{str(hours).replace('.', ',').removesuffix(',0')} heures", flat), flat
    for title in ("L'ESS en bref", "L'ESS et les politiques publiques",
                  "L'ESS et le travail décent"):
        assert title.replace("'", "’") in flat or title in flat, (title, flat)
    assert "CERTIFICAT DE RÉUSSITE" in flat and "a terminé le programme" in flat

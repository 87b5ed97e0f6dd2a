"""In Chromium: a French-speaking learner goes from the home page through the programme page to
the package certificate, and the PDF says who issued it, for how many hours, for which courses,
in French."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from learning.extensions import db
from learning.models import Course, User

from ..support import SLUG, add_user
from ..test_certificates import needs_poppler
from ..test_presentation import ELECTIVES, PROGRAMME_URL, complete, package  # noqa: F401
from .steps import log_in

pytestmark = pytest.mark.browser


@needs_poppler
def test_a_french_learner_earns_the_package_certificate_from_the_home_page(
        page: Page, live_server, app, package, tmp_path):  # noqa: F811
    user = add_user(app, email="awa@example.org", full_name="Awa Diop")
    with app.app_context():
        db.session.execute(User.__table__.update().values(language="fr"))
        db.session.commit()
    complete(app, user, SLUG)
    complete(app, user, ELECTIVES[0])
    last_lesson, = complete(app, user, ELECTIVES[1], leave=1)
    log_in(page, live_server, "awa@example.org")

    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator(f'main a[href="{PROGRAMME_URL}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le kit de sensibilisation à l'ESS")
    expect(page.locator("progress").first).to_have_attribute("value", "2")

    page.locator(".programme-progress a.button").click()  # on to the module begun
    expect(page).to_have_url(f"{live_server}/courses/{ELECTIVES[1]}")
    page.locator(".course-intro a.button").click()  # the one next action: its last lesson
    expect(page).to_have_url(f"{live_server}/courses/{ELECTIVES[1]}/lessons/{last_lesson}")
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

"""Take README's screenshots from the running platform, so they show what it is today.

    make screenshots

Builds a throw-away instance (SQLite, the bundled courses), serves it over real HTTP, has a
learner finish the package, and photographs the home page, a lesson on a phone and the package
certificate with Debian's Chromium (Playwright) and poppler's pdftoppm. Writes PNG files next
to this script.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "a long enough password"


def build_instance(folder: str) -> object:
    os.environ.update(APP_ENV="development", INSTANCE_PATH=folder,
                      PUBLIC_URL="http://127.0.0.1:5099", MAIL_BACKEND="memory")
    from flask_migrate import upgrade

    from learning import create_app, progress
    from learning.extensions import db
    from learning.models import Course, Lesson, User, utcnow

    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["courses", "import", str(ROOT / "courses")])
    if result.exit_code:
        raise SystemExit(result.output)
    with app.app_context():
        learner = User(email="awa@example.org", full_name="Awa Diop", language="en",
                       email_confirmed_at=utcnow())
        learner.set_password(PASSWORD)
        db.session.add(learner)
        db.session.commit()
        for slug in ("sse-in-a-nutshell", "sse-and-public-policies", "sse-and-decent-work"):
            course = Course.by_slug(slug)
            course.completion_quizzes = "none"  # a picture, not a test: lessons are enough
            for lesson in db.session.scalars(db.select(Lesson).filter_by(course_id=course.id)):
                progress.complete_lesson(learner.id, lesson)
            db.session.commit()
    return app


def serve(app) -> tuple[object, str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 5099, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:5099"


def photograph(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        desktop = browser.new_page(viewport={"width": 1280, "height": 900})
        desktop.goto(base + "/")
        desktop.screenshot(path=HERE / "home.png")

        phone = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                 is_mobile=True)
        phone.goto(base + "/courses/sse-in-a-nutshell/lessons/values-and-principles")
        phone.screenshot(path=HERE / "lesson-phone.png")

        desktop.goto(base + "/login")
        desktop.get_by_label("Email address").fill("awa@example.org")
        desktop.get_by_label("Password", exact=True).fill(PASSWORD)
        desktop.get_by_role("button", name="Log in").click()
        desktop.goto(base + "/programmes/sse-awareness-package")
        with desktop.expect_download() as download:
            desktop.get_by_role("link", name="Download the PDF").first.click()
        pdf = HERE / "certificate.pdf"
        download.value.save_as(pdf)
        browser.close()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                    str(HERE / "certificate")], check=True)
    pdf.unlink()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        app = build_instance(folder)
        server, base = serve(app)
        try:
            photograph(base)
        finally:
            server.shutdown()
    for name in ("home.png", "lesson-phone.png", "certificate.png"):
        print(f"{HERE / name}: {(HERE / name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

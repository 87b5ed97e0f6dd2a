"""An install that works outside the repository: the wheel, built the way `python -m build`
builds it (checkout -> sdist -> wheel), installed in a virtualenv of its own and run from a
folder that is not the checkout, migrates its database, imports courses and serves lessons in
French and Spanish, in the site's layout, with the stylesheet.

The virtualenv gets the wheel's dependencies from the package index, pinned by
constraints.txt, as a server would: that also proves the wheel declares all it needs. The
build needs the index anyway (setuptools and Babel, in build isolation), and pip's cache makes
the install take seconds. Pointing a .pth file at this run's site-packages instead would save
those seconds, and no longer show that the wheel's dependencies are complete.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from learning.static_files import minify_css

pytestmark = pytest.mark.install

CHECKOUT = Path(__file__).resolve().parents[1]
LESSON = "/courses/sse-in-a-nutshell/lessons/what-is-the-sse"


def run(*command, **options) -> str:
    """Run a command; fail with its output if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **options)
    assert done.returncode == 0, f"{' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh virtualenv, outside the checkout, with the wheel built from the checkout."""
    root = tmp_path_factory.mktemp("install")
    assert not root.is_relative_to(CHECKOUT)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run(sys.executable, "-m", "build", "--outdir", root / "dist", CHECKOUT, env=env)
    (wheel,) = (root / "dist").glob("learning-*.whl")
    run(sys.executable, "-m", "venv", root / "venv")
    run(root / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet",
        "--disable-pip-version-check", "-c", CHECKOUT / "constraints.txt", wheel, env=env)
    return root / "venv"


@pytest.fixture(scope="module")
def site(venv, tmp_path_factory) -> Path:
    """A server's working folder, after `flask db upgrade` and `flask courses import`."""
    folder = tmp_path_factory.mktemp("site")
    flask = venv / "bin" / "flask"
    run(flask, "--app", "learning", "db", "upgrade", cwd=folder, env=production(venv, folder))
    run(flask, "--app", "learning", "courses", "import", CHECKOUT / "courses",
        cwd=folder, env=production(venv, folder))
    return folder


def production(venv: Path, folder: Path) -> dict[str, str]:
    """The environment of a production server: no PYTHONPATH, no INSTANCE_PATH, no checkout.

    HOME is the site folder, where gunicorn keeps its control socket."""
    return {
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(folder),
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "PUBLIC_URL": "http://127.0.0.1",
    }


@pytest.fixture(scope="module")
def server(venv, site):
    """gunicorn serving the installed app on a port of its choosing; yields its address."""
    log = site / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [venv / "bin" / "gunicorn", "--workers", "1", "--bind", "127.0.0.1:0",
             "learning:create_app()"],
            cwd=site, env=production(venv, site), stdout=output, stderr=subprocess.STDOUT)
    try:
        yield wait_for(process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(process: subprocess.Popen, log: Path) -> str:
    """The address gunicorn listens at, once the app answers there (within 60 seconds)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        listening = re.search(r"Listening at: (http://\S+)", log.read_text())
        if listening:
            try:
                urllib.request.urlopen(listening.group(1) + "/", timeout=5).close()
                return listening.group(1)
            except (urllib.error.URLError, TimeoutError):
                pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 60 seconds:\n{log.read_text()}")


def get(url: str, **headers) -> tuple[int, bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return r.status, r.read()


def test_the_app_is_imported_from_the_virtualenv_not_the_checkout(venv, site):
    where = run(venv / "bin" / "python", "-c",
                "import learning, learning.paths as p; print(learning.__file__); "
                "print(p.app_folder('templates')); print(p.app_folder('migrations'))",
                cwd=site, env=production(venv, site)).split()
    assert all(Path(path).is_relative_to(venv) for path in where), where


def test_the_database_lives_in_the_working_folders_instance_not_in_the_package(venv, site):
    assert (site / "instance" / "learning.db").is_file()
    assert not list(venv.glob("lib/python*/site-packages/**/instance"))


@pytest.mark.parametrize("language, lesson_of, skip_link", [
    ("fr", r"Leçon 1 sur \d+", "Aller au contenu"),
    ("es", r"Lección 1 de \d+", "Ir al contenido"),
])
def test_a_lesson_is_served_in_the_readers_language_in_the_sites_layout(
        server, language, lesson_of, skip_link):
    status, body = get(server + LESSON, **{"Accept-Language": language})
    page = body.decode()
    assert status == 200
    assert f'<html lang="{language}" dir="ltr">' in page
    assert re.search(lesson_of, page)
    assert skip_link in page
    assert re.search(r'<link rel="stylesheet" href="/static/style.css\?v=[0-9a-f]{12}">', page)


def test_the_stylesheet_is_served(server):
    stylesheet = (CHECKOUT / "static" / "style.css").read_text(encoding="utf-8")
    assert get(server + "/static/style.css") == (200, minify_css(stylesheet).encode())


def test_the_installed_app_signs_an_embedded_proof_with_the_contexts_it_carries(server):
    status, body = get(server + "/badges/status/revocation", Accept="application/vc+ld+json")
    assert status == 200 and json.loads(body)["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"

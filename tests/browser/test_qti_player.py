"""A real QTI 3.0 implementation judges the exported questions: Cito's QTI 3 web components
(npm ``@citolab/qti-components``, pinned in tests/tools) load every item of the nutshell course's
package in Chromium, in every language, score the right answer 1 and a wrong one 0, and show the
question's explanation."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from ..test_qti_export import exported_questions, package, right_and_wrong

pytestmark = pytest.mark.browser
TOOLS = Path(__file__).resolve().parents[1] / "tools"
PLAYER = TOOLS / "node_modules" / "@citolab" / "qti-components"
if not PLAYER.is_dir() and os.environ.get("CI") == "true":
    raise RuntimeError("CI=true but the QTI player is missing: make test installs tests/tools")


@pytest.fixture
def player_server(app, course):
    """The exported package and the player, served on 127.0.0.1."""
    if not PLAYER.is_dir():
        pytest.skip("no QTI player in tests/tools/node_modules (make test installs it)")
    root = Path(tempfile.mkdtemp(prefix="qti-judge-"))
    package(app).extractall(root / "package")
    shutil.copy(TOOLS / "qti" / "judge.html", root / "judge.html")
    (root / "qti-components").symlink_to(PLAYER)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".js": "text/javascript", ".xml": "application/xml"}

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    shutil.rmtree(root, ignore_errors=True)


def test_a_real_qti_player_scores_every_exported_item_as_the_platform_does(
        page, player_server, course):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{player_server}/judge.html")
    page.wait_for_function("typeof window.qtiLoad === 'function'")
    checked = 0
    for language, question in exported_questions(course):
        loaded = page.evaluate("url => window.qtiLoad(url)",
                               f"/package/items/{language}/{question.id}.xml")
        assert loaded == {"identifier": f"{question.id}-{language}", "lang": language}
        right, wrong = right_and_wrong(question)
        scored = page.evaluate("value => window.qtiAnswer(value)", right)
        assert scored["score"] == "1", (language, question.id, right)
        if question.explanation_html:
            assert scored["feedback"], (language, question.id)  # the explanation is shown
        page.evaluate("url => window.qtiLoad(url)", f"/package/items/{language}/{question.id}.xml")
        assert page.evaluate("value => window.qtiAnswer(value)", wrong)["score"] == "0", (
            language, question.id, wrong)
        checked += 1
    assert checked == len(exported_questions(course)) > 20 and errors == []

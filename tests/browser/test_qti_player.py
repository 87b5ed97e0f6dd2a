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

from learning.content.question_kinds import KINDS

from ..test_qti_export import exported_questions, package, responses

pytestmark = pytest.mark.browser
TOOLS = Path(__file__).resolve().parents[1] / "tools"
PLAYER = TOOLS / "node_modules" / "@citolab" / "qti-components"
if not PLAYER.is_dir() and os.environ.get("CI") == "true":
    raise RuntimeError("CI=true but the QTI player is missing: make test installs tests/tools")


EVERY_KIND = """Read, then answer.

::: quiz
### Which of these can be SSE entities? {#q-kinds}
Type: multiple
- [x] Cooperatives
- [x] Mutual societies
- [ ] Any company that donates to charity
  > Giving does not make a company part of the SSE.

### What do we call an enterprise its members own and run together? {#q-word}
Answer: cooperative | co-operative

Explanation: A cooperative is owned and democratically run by its members.

### In which year did the UN General Assembly adopt resolution 77/281? {#q-year}
Answer: 2023
Tolerance: 0

### Put the steps of starting a cooperative in order {#q-steps}
Type: ordering
1. Founding members agree on a common need
2. They draft the statutes together
3. The general assembly adopts the statutes
4. The cooperative is registered
Partial credit: yes

### Match each instrument with the body that adopted it {#q-bodies}
Type: matching
- Resolution 77/281 (2023) -> UN General Assembly
- Recommendation on the SSE and social innovation (2022) -> OECD Council
- Resolution concerning decent work and the SSE (2022) -> International Labour Conference

### The same, with a share of the marks for each right pair {#q-bodies-partly}
Type: matching
- Resolution 77/281 (2023) -> UN General Assembly
- Recommendation on the SSE and social innovation (2022) -> OECD Council
- Resolution concerning decent work and the SSE (2022) -> International Labour Conference
Partial credit: yes
:::
"""


@pytest.fixture
def player(app):
    """Serve a course's exported package and the player on 127.0.0.1: the base URL for a slug."""
    if not PLAYER.is_dir():
        pytest.skip("no QTI player in tests/tools/node_modules (make test installs it)")
    root = Path(tempfile.mkdtemp(prefix="qti-judge-"))
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

    def serve(slug: str) -> str:
        package(app, slug).extractall(root / slug)
        return f"http://127.0.0.1:{server.server_address[1]}"
    yield serve
    server.shutdown()
    server.server_close()
    shutil.rmtree(root, ignore_errors=True)


def judge(page, base: str, course) -> int:
    """Every exported item of ``course``, loaded, answered right then wrong, and scored by the
    player as the platform scores the same answer: how many items."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/judge.html")
    page.wait_for_function("typeof window.qtiLoad === 'function'")
    questions = exported_questions(course)
    for language, question in questions:
        url = f"/{course.slug}/items/{language}/{question.id}.xml"
        loaded = page.evaluate("url => window.qtiLoad(url)", url)
        assert loaded == {"identifier": f"{question.id}-{language}", "lang": language}
        for number, (value, given) in enumerate(responses(question)):
            if number:
                page.evaluate("url => window.qtiLoad(url)", url)
            scored = page.evaluate("value => window.qtiAnswer(value)", value)
            credit = KINDS[question.kind].credit(question, given)
            # (the player keeps three decimals: a third is 0.333)
            assert float(scored["score"]) == pytest.approx(float(credit), abs=0.001), (
                language, question.id, value, scored["score"], credit)
            if question.explanation_html:
                assert scored["feedback"], (language, question.id)  # the explanation shows
    assert errors == []
    return len(questions)


def test_a_real_qti_player_scores_every_item_of_the_nutshell_course_as_the_platform_does(
        page, player, course):
    assert judge(page, player(course.slug), course) > 20  # three languages


def test_it_scores_typed_answers_numbers_orders_and_matchings_too(page, player, app, tmp_path):
    from ..support import import_one_lesson_course

    demo = import_one_lesson_course(app, tmp_path / "demo", EVERY_KIND)
    assert judge(page, player("demo"), demo) == 6

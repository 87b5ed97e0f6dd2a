"""A real SCORM 1.2 run-time runs the exported package in Chromium: scorm-again (npm, pinned in
tests/tools) plays the LMS, the nutshell course's lessons run in its frame. The learner's status,
score, place and answers reach the LMS as SCORM 1.2 says; they come back when the learner
returns; the LMS's browse mode records nothing; the lesson works, unrecorded, without an LMS."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from ..test_scorm_export import package

pytestmark = pytest.mark.browser
TOOLS = Path(__file__).resolve().parents[1] / "tools"
RUNTIME = TOOLS / "node_modules" / "scorm-again"
if not RUNTIME.is_dir() and os.environ.get("CI") == "true":
    raise RuntimeError("CI=true but scorm-again is missing: make test installs tests/tools")
QUIZ = "lessons/check-your-understanding/en.html"
READING = "lessons/what-is-the-sse/en.html"


@pytest.fixture
def lms(app, course):
    """The package and the test LMS on 127.0.0.1: a function (launch, seed) -> the LMS page."""
    if not RUNTIME.is_dir():
        pytest.skip("no scorm-again in tests/tools/node_modules (make test installs it)")
    root = Path(tempfile.mkdtemp(prefix="scorm-lms-"))
    package(app, course.slug).extractall(root / "package")
    shutil.copy(TOOLS / "scorm" / "lms.html", root / "lms.html")
    (root / "scorm-again").symlink_to(RUNTIME)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".js": "text/javascript"}

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def address(launch: str, seed: dict | None = None) -> str:
        return (f"{base}/lms.html?launch={quote('/package/' + launch)}"
                f"&seed={quote(json.dumps(seed or {'core': {'student_id': 'u-1'}}))}")
    address.base = base
    yield address
    server.shutdown()
    server.server_close()
    shutil.rmtree(root, ignore_errors=True)


ANSWER_RIGHT = """() => {
  const quiz = JSON.parse(document.getElementById("sco-answer-key").textContent);
  for (const key of quiz.questions) {
    if (key.kind === "choices") {
      document.querySelectorAll(`input[name="${key.id}"]`).forEach(
        (input) => { input.checked = key.correct.includes(input.value); });
    } else if (key.kind === "text") {
      document.querySelector(`input[name="${key.id}"]`).value = key.accepted[0];
    } else if (key.kind === "number") {
      document.querySelector(`input[name="${key.id}"]`).value = String(key.numbers[0]);
    } else {
      key.selects.forEach((value, n) => {
        document.querySelector(`select[name="${key.id}-${n + 1}"]`).value = value; });
    }
  }
}"""


def cmi(page, name: str) -> str:
    return page.evaluate(f"String(window.API.cmi.core.{name})")


def test_a_learner_passes_the_quiz_and_the_lms_records_status_score_and_place(page, lms):
    page.goto(lms(QUIZ))
    frame = page.frame_locator("#sco")
    expect(frame.get_by_role("heading", level=1)).to_have_text("Check your understanding")
    assert cmi(page, "lesson_status") == "incomplete"  # opened, not finished
    assert cmi(page, "lesson_location") == "en"
    page.frames[1].evaluate(ANSWER_RIGHT)
    frame.get_by_role("button", name="Submit my answers").click()
    expect(frame.get_by_role("status")).to_contain_text("Your score: 100%")
    assert cmi(page, "lesson_status") == "passed"
    assert (cmi(page, "score.raw"), cmi(page, "score.min"), cmi(page, "score.max")) == (
        "100", "0", "100")
    saved = json.loads(page.evaluate("window.API.cmi.suspend_data"))
    assert saved["answers"]
    refused = [call for call in page.evaluate("window.calls")
               if call[0] == "LMSSetValue" and call[-1] != "true"]
    assert refused == []  # the run-time took every value as valid SCORM 1.2

    # The learner comes back another day: the LMS gives the record back, the page shows it.
    record = {"core": {"student_id": "u-1", "lesson_status": "passed", "entry": "resume"},
              "suspend_data": json.dumps(saved)}
    page.goto(lms(QUIZ, record))
    expect(page.frame_locator("#sco").get_by_role("status")).to_contain_text("Your score: 100%")


def test_a_failed_attempt_is_failed_and_a_later_failure_never_undoes_a_pass(page, lms):
    page.goto(lms(QUIZ))
    frame = page.frame_locator("#sco")
    frame.get_by_role("button", name="Submit my answers").click()  # nothing answered
    expect(frame.get_by_role("status")).to_contain_text("Your score: 0%")
    assert (cmi(page, "lesson_status"), cmi(page, "score.raw")) == ("failed", "0")
    page.goto(lms(QUIZ, {"core": {"student_id": "u-1", "lesson_status": "passed"}}))
    page.frame_locator("#sco").get_by_role("button", name="Submit my answers").click()
    assert cmi(page, "lesson_status") == "passed"


def test_a_reading_lesson_is_completed_by_the_learner_and_keeps_its_language(page, lms):
    page.goto(lms(READING))
    frame = page.frame_locator("#sco")
    frame.get_by_role("button", name="Mark as complete").click()
    expect(frame.get_by_text("You completed this lesson.")).to_be_visible()
    assert cmi(page, "lesson_status") == "completed"
    frame.get_by_role("link", name="Français").click()
    expect(frame.get_by_role("heading", level=1)).to_contain_text("l'économie sociale et")
    page.wait_for_function("String(window.API.cmi.core.lesson_location) === 'fr'")
    assert cmi(page, "lesson_status") == "completed"
    calls = [call[0] for call in page.evaluate("window.calls")]
    assert "LMSFinish" not in calls  # the same session, in another language
    expect(frame.get_by_text("Vous avez terminé cette leçon.")).to_be_visible()  # said again


def test_in_browse_mode_nothing_is_recorded(page, lms):
    page.goto(lms(QUIZ, {"core": {"student_id": "u-1", "lesson_mode": "browse"}}))
    frame = page.frame_locator("#sco")
    page.frames[1].evaluate(ANSWER_RIGHT)
    frame.get_by_role("button", name="Submit my answers").click()
    expect(frame.get_by_role("status")).to_contain_text("Your score: 100%")
    assert cmi(page, "lesson_status") == "not attempted" and cmi(page, "score.raw") == ""


def test_without_an_lms_the_lesson_still_grades_and_says_it_records_nothing(page, lms):
    page.goto(f"{lms.base}/package/{QUIZ}")
    expect(page.get_by_text("outside a learning platform")).to_be_visible()
    page.evaluate(ANSWER_RIGHT)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your score: 100%")

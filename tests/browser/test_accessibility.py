"""Every kind of page passes axe-core's WCAG 2.1 A/AA rules, in English and in the right-to-left
layout of Arabic; a quiz can be taken by keyboard alone.

axe is injected as a script, which the pages' strict Content-Security-Policy would block, so the
axe checks run in a context that bypasses CSP. The keyboard test keeps the real CSP.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from learning.extensions import db
from learning.i18n import text_direction
from learning.models import Programme, Role

from ..support import QUIZ_LESSON, SLUG, add_user, import_one_lesson_course, link_in
from ..test_arranged_and_explained import import_activity_course
from ..test_certificates import complete_course
from ..test_discussion import a_discussed_lesson
from ..test_polls import poll_course_at
from ..test_preview import courses_dir  # noqa: F401  (a fixture: adds a broken course folder)
from .steps import log_in
from .test_learner_journey import answer

pytestmark = pytest.mark.browser

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # "incomplete" is what axe could not decide (e.g. aria-describedby="None", an id that does
    # not exist): the pages have none, so any that appears needs a look too.
    "resultTypes": ["violations", "incomplete"],
}
# The interface languages every page kind is checked in: one read left to right, one right to left.
LANGUAGES = ("en", "ar")
COURSE = f"/courses/{SLUG}"
QUIZ = f"{COURSE}/lessons/{QUIZ_LESSON}"
INSTRUCTOR = "instructor@example.org"
ADMIN = "admin@example.org"


def report(results: list[dict]) -> str:
    lines = []
    for rule in results:
        lines.append(f"- {rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str, context: dict | None = None) -> None:
    results = AXE.run(page, context=context, options=AXE_OPTIONS).response
    violations, unsure = results["violations"], results["incomplete"]
    assert not violations and not unsure, (
        f"axe on {what} ({page.url}):\nviolations:\n{report(violations)}"
        f"\nneeds review:\n{report(unsure)}"
    )


def show_in(page: Page, language: str) -> None:
    """Draw the page just built again, in ``language``, with the footer's switch (``?lang=``).

    The journeys that build the pages find their way by English labels, so they run first, in
    English. The switch is followed on the home page, which keeps the language for the session
    and a signed-in learner's profile; then the page is loaded again: the answer to a form by
    sending the form again (its errors come back), any other page with ``?lang=`` added to its
    address too (a certificate's check speaks its holder's language unless the address picks).
    """
    if language == "en":
        return
    alerts = page.get_by_role("alert").count()
    page.evaluate("async language => { await fetch('/?lang=' + language); }", language)
    if page.reload().request.method == "GET":
        address = urlsplit(page.url)
        query = [(k, v) for k, v in parse_qsl(address.query, True) if k != "lang"]
        query.append(("lang", language))
        page.goto(urlunsplit(address._replace(query=urlencode(query))))
    expect(page.get_by_role("alert")).to_have_count(alerts)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", text_direction(language))


def enrol(page: Page, base: str) -> None:
    page.goto(base + COURSE)
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_text("You are enrolled")).to_be_visible()


def fail_the_quiz(page: Page, base: str, course) -> None:
    page.goto(base + QUIZ)
    answer(page, course.lessons[QUIZ_LESSON].versions["en"].quiz, right=False)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Not passed yet")


def _register_with_errors(page, base, env):
    page.goto(f"{base}/register")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _login_with_errors(page, base, env):
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _quiz_with_errors(page, base, env):
    log_in(page, base)
    page.goto(base + QUIZ)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _result(page, base, env):
    log_in(page, base)
    enrol(page, base)
    fail_the_quiz(page, base, env.course)


def _dashboard(page, base, env):
    _result(page, base, env)
    page.goto(f"{base}/dashboard")


def _register_and_check_email(page, base, env):
    page.goto(f"{base}/register")
    page.get_by_label("Full name").fill("Thị Hương")
    page.get_by_label("Email address").fill("huong@example.org")
    page.get_by_label("Password", exact=True).fill("a sentence as a password")
    page.get_by_label("Repeat the password").fill("a sentence as a password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()


def _reset_password_with_errors(page, base, env):
    page.goto(f"{base}/forgot-password")
    page.get_by_label("Email address").fill("learner@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(base + link_in(env.mail[-1]))
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _certificate(admin: bool = False) -> Callable:
    """The public check of a freshly earned certificate, or its admin page."""
    def visit(page, base, env):
        public_id = complete_course(env.app)
        if admin:
            log_in(page, base, ADMIN)
            page.goto(f"{base}/admin/certificates/{public_id}")
            page.get_by_role("button", name="Revoke the certificate").click()
            expect(page.get_by_role("alert")).to_be_visible()
        else:
            page.goto(f"{base}/certificates/{public_id}")
    return visit


def _dashboard_with_certificate(page, base, env):
    complete_course(env.app)
    log_in(page, base)
    page.goto(f"{base}/dashboard")


def _verifier(with_credential: bool) -> Callable:
    """The verifier page after a check of a genuine credential, or after an empty submission."""
    def visit(page, base, env):
        token = ""
        if with_credential:
            public_id = complete_course(env.app)
            log_in(page, base)
            token = page.request.get(f"{base}/certificates/{public_id}/credential.jwt").text()
        page.goto(f"{base}/verify")
        page.get_by_label("Paste the credential").fill(token)
        page.get_by_role("button", name="Check", exact=True).click()
        expect(page.get_by_role("status" if with_credential else "alert").first).to_be_visible()
    return visit


def _ordering_and_matching(page, base, env):
    import_activity_course(env.app, Path(tempfile.mkdtemp()) / "demo")
    log_in(page, base)
    page.goto(f"{base}/courses/demo/lessons/check")


def _poll(answered: bool) -> Callable:
    """A lesson with a poll on options and one on a scale, before answering or after."""
    def visit(page, base, env):
        poll_course_at(env.app, Path(tempfile.mkdtemp()))
        log_in(page, base)
        page.goto(f"{base}/courses/demo/lessons/check")
        if answered:
            page.get_by_label("Yes").check()
            page.get_by_role("button", name="Send my answer").first.click()
            expect(page.get_by_role("img", name="Answers to the poll")).to_be_visible()
    return visit


def _reflections(page, base, env):
    """A lesson with a private and a shareable reflection, one answered, then the notebook."""
    from ..test_reflections import PRIVATE, SHARED

    import_one_lesson_course(env.app, Path(tempfile.mkdtemp()) / "demo",
                             "Read.\n\n" + PRIVATE + "\n" + SHARED)
    log_in(page, base)
    page.goto(f"{base}/courses/demo/lessons/check")
    page.get_by_label("Your answer").first.fill("Access to public procurement.")
    page.get_by_role("button", name="Save my answer").first.click()
    expect(page.get_by_role("status").first).to_be_visible()


def _notebook(page, base, env):
    _reflections(page, base, env)
    page.goto(f"{base}/notebook")


DISCUSSED = f"{COURSE}/lessons/what-is-the-sse"


def _discussion(who: str, where: str) -> Callable:
    """A lesson whose discussion has a thread with a marked answer and a reported reply, seen
    by ``who``: the lesson, its threads, the thread, or the instructors' review."""
    def visit(page, base, env):
        thread_id = a_discussed_lesson(env.app, SLUG, "what-is-the-sse")
        log_in(page, base, who)
        page.goto(base + {
            "lesson": DISCUSSED,
            "threads": f"{DISCUSSED}/discussion",
            "thread": f"{DISCUSSED}/discussion/{thread_id}",
            "review": f"{COURSE}/discussion/review",
        }[where])
        for menu in page.locator("details.post-menu").all():  # every menu open: all is checked
            menu.evaluate("element => element.open = true")
    return visit


def _admin_user_page(page, base, env):
    log_in(page, base, ADMIN)
    page.goto(f"{base}/admin/users?q=learner")
    page.get_by_role("link", name="Ñúñez Çelik-Øberg").click()


def _audit_log(page, base, env):
    _admin_user_page(page, base, env)
    page.get_by_role("button", name="Change the role").click()  # same role: nothing recorded
    page.get_by_role("button", name="Deactivate the account").click()
    page.goto(f"{base}/admin/audit")


def _delete_account_with_errors(page, base, env):
    log_in(page, base)
    page.goto(f"{base}/account/delete")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _with_a_learner_who_finished(path: str) -> Callable:
    """An analytics page (seen by an admin, who sees every course) once there is data."""
    def visit(page, base, env):
        complete_course(env.app)
        log_in(page, base, ADMIN)
        page.goto(base + path)
    return visit


def _logged_in(path: str, *, enrolled: bool = False, email: str = "learner@example.org"
               ) -> Callable:
    def visit(page, base, env):
        log_in(page, base, email)
        if enrolled:
            enrol(page, base)
        page.goto(base + path)
    return visit


def _anonymous(path: str) -> Callable:
    def visit(page, base, env):
        page.goto(base + path)
    return visit


def _programme(logged_in: bool) -> Callable:
    """The package's page, its entry course the nutshell, once the learner has read some."""
    def visit(page, base, env):
        with env.app.app_context():
            db.session.add(Programme(slug="package", title="The package", summary="Two courses.",
                                     required=[SLUG], electives=[], electives_required=0))
            db.session.commit()
        if logged_in:
            log_in(page, base)
            enrol(page, base)
        page.goto(f"{base}/programmes/package")
    return visit


PAGES: dict[str, Callable] = {
    "home": _anonymous("/"),
    "home, logged in": _logged_in("/"),
    "register": _anonymous("/register"),
    "register, with errors": _register_with_errors,
    "login": _anonymous("/login"),
    "login, with errors": _login_with_errors,
    "forgot password": _anonymous("/forgot-password"),
    "programme": _programme(logged_in=False),
    "programme, enrolled": _programme(logged_in=True),
    "catalogue": _anonymous("/courses"),
    "catalogue, enrolled": _logged_in("/courses", enrolled=True),
    "course": _anonymous(COURSE),
    "course, enrolled": _logged_in(COURSE, enrolled=True),
    "content lesson": _anonymous(f"{COURSE}/lessons/what-is-the-sse"),
    "content lesson, logged in": _logged_in(f"{COURSE}/lessons/values-and-principles"),
    "quiz lesson": _anonymous(QUIZ),
    "quiz lesson, logged in": _logged_in(QUIZ),
    "quiz lesson, unanswered": _quiz_with_errors,
    "quiz result, failed": _result,
    "quiz lesson, ordering, matching and explaining": _ordering_and_matching,
    "lesson with polls": _poll(answered=False),
    "lesson with polls, answered": _poll(answered=True),
    "lesson with reflections": _reflections,
    "notebook": _notebook,
    "lesson with a discussion": _discussion("learner@example.org", "lesson"),
    "discussion threads": _discussion("learner@example.org", "threads"),
    "discussion thread": _discussion("learner@example.org", "thread"),
    "discussion thread, moderator": _discussion(ADMIN, "thread"),
    "discussion review": _discussion(ADMIN, "review"),
    "dashboard": _dashboard,
    "dashboard, empty": _logged_in("/dashboard"),
    "account": _logged_in("/account"),
    "change password": _logged_in("/account/password"),
    "glossary": _anonymous("/glossary"),
    "check your email": _register_and_check_email,
    "reset password, with errors": _reset_password_with_errors,
    "not found": _anonymous("/courses/no-such-course"),
    "instructor preview index": _logged_in("/instructor/preview", email=INSTRUCTOR),
    "instructor preview, quiz": _logged_in(
        f"/instructor/preview/{SLUG}?lesson={QUIZ_LESSON}", email=INSTRUCTOR),
    "instructor preview, broken": _logged_in("/instructor/preview/broken", email=INSTRUCTOR),
    "certificate check": _certificate(),
    "dashboard, with a certificate": _dashboard_with_certificate,
    "verifier, a valid credential": _verifier(with_credential=True),
    "verifier, with errors": _verifier(with_credential=False),
    "digital wallets": _anonymous("/wallets"),
    "admin: certificates": _logged_in("/admin/certificates", email=ADMIN),
    "admin: revoke, with errors": _certificate(admin=True),
    "admin: users": _logged_in("/admin/users", email=ADMIN),
    "admin: a user": _admin_user_page,
    "admin: audit log": _audit_log,
    "delete account, with errors": _delete_account_with_errors,
    "teaching: courses": _with_a_learner_who_finished("/instructor/courses"),
    "teaching: course overview": _with_a_learner_who_finished(f"/instructor/courses/{SLUG}"),
    "teaching: quiz analytics": _with_a_learner_who_finished(
        f"/instructor/courses/{SLUG}/quizzes"),
    "teaching: learners": _with_a_learner_who_finished(f"/instructor/courses/{SLUG}/learners"),
    "teaching: overview, bad dates": _with_a_learner_who_finished(
        f"/instructor/courses/{SLUG}?start=2026-13-01&end=yesterday"),
}


@pytest.fixture
def axe_page(browser: Browser):
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def env(app, course, mail, courses_dir):  # noqa: F811  (courses_dir is a fixture)
    add_user(app)
    add_user(app, email=INSTRUCTOR, role=Role.INSTRUCTOR, full_name="Ines Instructor")
    add_user(app, email=ADMIN, role=Role.ADMIN, full_name="Ada Admin")
    return SimpleNamespace(course=course, mail=mail, app=app)


@pytest.mark.parametrize("what", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_has_no_axe_violations(axe_page: Page, live_server, env, language, what):
    PAGES[what](axe_page, live_server, env)
    show_in(axe_page, language)
    label = f"{what} ({language})"
    if axe_page.locator("svg.chart").count():
        # axe cannot find the background behind SVG text and asks for a review of every label:
        # the charts' text is --ink and --muted on white (16:1 and 7.5:1, see style.css), and
        # each chart has a data table beside it, which axe does check.
        assert_accessible(axe_page, label, context={"exclude": [["svg.chart"]]})
        expect(axe_page.locator("svg.chart").first).to_have_attribute("role", "img")
    else:
        assert_accessible(axe_page, label)


@pytest.mark.parametrize("what", ["content lesson", "quiz lesson, logged in", "dashboard",
                                  "dashboard, with a certificate", "verifier, a valid credential",
                                  "quiz lesson, ordering, matching and explaining",
                                  "lesson with polls, answered", "notebook",
                                  "discussion thread, moderator"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_small_screen_has_no_axe_violations(axe_page: Page, live_server, env, language, what):
    axe_page.set_viewport_size({"width": 360, "height": 740})
    PAGES[what](axe_page, live_server, env)
    show_in(axe_page, language)
    assert axe_page.evaluate("document.documentElement.scrollWidth") <= 360
    # A wide table scrolls sideways in its wrapper (allowed for data tables by WCAG 1.4.10); axe
    # cannot judge the contrast of cells scrolled out of view, and checks them at full width.
    for wrapper in axe_page.locator(".table-wrap").all():
        expect(wrapper).to_have_attribute("tabindex", "0")
        expect(wrapper).to_have_accessible_name(re.compile(r"\S"))
    # (The charts' text is excluded for the reason given above.)
    assert_accessible(axe_page, f"{what} ({language}) at 360 px",
                      context={"exclude": [[".table-wrap"], ["svg.chart"]]})


def test_an_arabic_page_reads_right_to_left_around_a_lesson_that_reads_left_to_right(
    axe_page: Page, live_server, env
):
    axe_page.goto(f"{live_server}{COURSE}/lessons/what-is-the-sse?lang=ar")
    expect(axe_page.locator("html")).to_have_attribute("dir", "rtl")
    expect(axe_page.locator("html")).to_have_attribute("lang", "ar")
    lesson = axe_page.locator("article.lesson")
    expect(lesson).to_have_attribute("dir", "ltr")
    assert lesson.get_attribute("lang") in {"en", "fr", "es"}
    expect(axe_page.locator(".notice")).to_contain_text("العربية")
    # The layout is mirrored: the platform's name comes first, on the right of the navigation.
    brand = axe_page.locator("header .brand").bounding_box()
    navigation = axe_page.locator("header nav").first.bounding_box()
    assert brand["x"] > navigation["x"] + navigation["width"] - 1


FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {tag: e.tagName, id: e.id, name: e.getAttribute("name"), type: e.type,
          checked: !!e.checked, text: e.textContent.trim(), outline: style.outlineStyle};
}"""


def test_a_learner_takes_the_quiz_with_the_keyboard_alone(page: Page, live_server, app, course):
    add_user(app)
    log_in(page, live_server)
    page.goto(live_server + QUIZ)
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    questions = {q.id: q for q in quiz.questions}
    answered: set[str] = set()

    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"] != "none", f"no visible focus indicator on {focused}"
        q = questions.get(focused["name"])
        if q is not None and q.kind in ("short_text", "numeric"):
            page.keyboard.type(q.accepted[0])
            answered.add(q.id)
        elif q is not None and q.kind == "multiple":
            choice = next(c for c in q.choices if f"{q.id}-{c.id}" == focused["id"])
            if choice.correct and not focused["checked"]:
                page.keyboard.press("Space")
            answered.add(q.id)
        elif q is not None:
            # Tab enters a radio group once; the arrow keys move the selection inside it.
            right = next(i for i, c in enumerate(q.choices) if c.correct)
            assert focused["id"] == f"{q.id}-{q.choices[0].id}", focused
            if right == 0:
                page.keyboard.press("Space")
            for _step in range(right):
                page.keyboard.press("ArrowDown")
            now = page.evaluate(FOCUSED)
            assert now["id"] == f"{q.id}-{q.choices[right].id}" and now["checked"], now
            answered.add(q.id)
        elif focused["tag"] == "BUTTON" and focused["text"] == "Submit my answers":
            assert answered == set(questions), f"unreached: {set(questions) - answered}"
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail(f"the submit button was never reached; answered {sorted(answered)}")

    expect(page.get_by_role("heading", name="Quiz result")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_contain_text("You passed")
    expect(status).to_contain_text(f"{len(questions)} of {len(questions)} questions correct")

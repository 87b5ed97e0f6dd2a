"""A new kind of question is one class in the registry, and nothing else.

``Keyword`` below is a throw-away kind written the way an issue would add one: a typed answer
that is right when it contains the author's word. Registered for one test, it is written in a
lesson, validated, imported, drawn as a form control, read from the submitted form, graded,
stored, shown back and counted by the analytics, without a line changed anywhere else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from learning import importer
from learning.content import load_course
from learning.content.answers import normalize_text
from learning.content.question_kinds import KINDS, Given, QuestionKind, _Typed
from learning.content.schema import Question
from learning.extensions import db
from learning.models import AttemptResponse, Role

from .content.content_helpers import course_yml, lesson
from .support import PASSWORD, add_user

WIDGETS = Path(__file__).resolve().parents[1] / "templates" / "learn" / "widgets"


class Keyword(_Typed):
    """Right when the typed answer contains the word of 'Answer:' ("Type: keyword")."""

    name = "keyword"
    type_names = ("keyword",)
    inferred = False
    fields = ("answer",)
    applies_to = "keyword answers"

    def build(self, draft, parts, html, found) -> Question | None:
        return Question(parts.id, self.name, parts.prompt_html, accepted=self.accepted(draft),
                        explanation_html=parts.explanation_html, line=parts.line)

    def check(self, question: Question, given: Given) -> bool:
        return isinstance(given, str) and normalize_text(question.accepted[0]) in (
            normalize_text(given))


QUIZ = """\
Read, then answer.

::: quiz
### What do members of a cooperative share? {#q-keyword}
Type: keyword
Answer: ownership

### Who adopted resolution 77/281? {#q-single}
- [x] The UN General Assembly
- [ ] The G20
:::
"""


@pytest.fixture
def keyword_kind(monkeypatch):
    """The registry line: ``@register`` on the class, undone after the test."""
    monkeypatch.setitem(KINDS, Keyword.name, Keyword())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    course = tmp_path / "demo"
    (course / "lessons").mkdir(parents=True)
    (course / "course.yml").write_text(course_yml(["check"]), encoding="utf-8")
    (course / "lessons" / "check.md").write_text(lesson("check", QUIZ), encoding="utf-8")
    return course


def test_without_its_class_the_kind_is_refused_with_file_and_line(folder: Path) -> None:
    problems = [str(p) for p in load_course(folder).problems]

    assert "demo/lessons/check.md:11: unknown question type 'keyword' (hint: write " \
        "'Type: multiple' for several correct choices; other kinds need no Type)" in problems


def test_a_registered_kind_is_parsed_served_graded_stored_and_counted(
    keyword_kind, folder: Path, app, client, auth
) -> None:
    loaded = load_course(folder)
    assert loaded.problems == []
    question = loaded.course.lessons["check"].versions["en"].quiz.question("q-keyword")
    assert (question.kind, question.accepted) == ("keyword", ("ownership",))
    with app.app_context():
        importer.import_course(db.session, loaded.course)
        db.session.commit()
    add_user(app, "teacher@example.org", role=Role.ADMIN)
    add_user(app)
    auth.login()

    page = client.get("/courses/demo/lessons/check").get_data(as_text=True)
    assert 'name="q-keyword"' in page and 'type="text"' in page  # its widget: a text field
    assert "ownership" not in page  # the answer key stays on the server

    answered = client.submit("/courses/demo/lessons/check/quiz",
                             {"q-keyword": "Joint OWNERSHIP and control", "q-single": "a"},
                             form_url="/courses/demo/lessons/check")
    assert answered.status_code == 302
    result = client.get(answered.location).get_data(as_text=True)
    assert "Your score: 100%" in result and "Joint OWNERSHIP and control" in result
    with app.app_context():
        stored = db.session.scalars(select(AttemptResponse.response)).all()
    assert sorted(stored) == ["Joint OWNERSHIP and control", "a"]

    auth.logout()
    auth.login("teacher@example.org", PASSWORD)
    analytics = client.get("/instructor/courses/demo/quizzes").get_data(as_text=True)
    assert "Most frequent answers typed" in analytics
    assert "joint ownership and control" in analytics.lower()


def test_every_kind_is_a_question_kind_with_what_forms_and_analytics_need() -> None:
    for name, kind in KINDS.items():
        assert isinstance(kind, QuestionKind) and kind.name == name
        assert (WIDGETS / f"{kind.widget}.html").is_file()  # the form control it is drawn as
        assert kind.tally in {"choices", "typed", "arrangement"}

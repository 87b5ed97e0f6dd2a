"""Ordering, matching and "explain why" questions: written in the quiz block, validated with
file and line, drawn as plain form controls that give nothing away, graded by pure functions
(partial credit when the author allows it), shown back, and counted by the analytics."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select

from learning.content import load_course
from learning.content.question_kinds import KINDS
from learning.content.quiz_block import default_fragment_renderer, parse_quiz
from learning.extensions import db
from learning.grading import grade
from learning.models import QuizAttempt, Role

from .content.content_helpers import course_yml, docs_block, lesson
from .support import PASSWORD, add_user, import_one_lesson_course

ORDERING = """\
### Put the steps of starting a cooperative in order {#q-steps}
Type: ordering
1. Founding members agree on a common need
2. They draft the statutes together
3. The general assembly adopts the statutes
4. The cooperative is registered
"""
MATCHING = """\
### Match each instrument with the body that adopted it {#q-bodies}
Type: matching
- Resolution concerning decent work and the SSE (2022) -> International Labour Conference
- Resolution 77/281 (2023) -> UN General Assembly
- Recommendation on the SSE and Social Innovation (2022) -> OECD Council
"""
EXPLAINED = """\
### Which of these is a cooperative? {#q-why}
Type: explain
Explain: Why is it one?
- [x] A shop owned and run by the people who shop there
- [ ] A shop owned by one investor
"""


def parsed(body: str):
    quiz, found = parse_quiz(body, 10, default_fragment_renderer)
    return quiz, [(line, message) for line, message, _hint in found]


def question_of(body: str):
    quiz, found = parsed(body)
    assert found == []
    return quiz.questions[0]


# --- Written and validated ---------------------------------------------------------------------


def test_an_ordering_question_lists_its_steps_in_the_right_order():
    question = question_of(ORDERING)
    assert question.kind == "ordering"
    assert [item.text_html for item in question.items][0] == (
        "Founding members agree on a common need")


def test_a_matching_question_lists_its_pairs_left_to_right():
    question = question_of(MATCHING)
    assert question.kind == "matching"
    assert question.items[1].text_html == "Resolution 77/281 (2023)"
    assert question.items[1].match_html == "UN General Assembly"


@pytest.mark.parametrize(("body", "line", "message"), [
    ("### Order? {#q}\nType: ordering\n1. Only one\n", 10, "question 'q' needs 2 to 12 steps"),
    ("### Order? {#q}\nType: ordering\n1. Apples\n2. Bananas\n3. Cherries\n", 10,
     "the form would give away the answer to question 'q'"),
    ("### Match? {#q}\nType: matching\n- ILO = ILC\n- UN -> UNGA\n", 12,
     "'ILO = ILC' is not a pair"),
    ("### Match? {#q}\nType: matching\n- ILO -> a body\n- UN -> A body\n", 13,
     "'A body' is the match of two pairs in question 'q'"),
    ("### Order? {#q}\n1. First\n2. Second\n", None, None),  # a list in the prompt: no Type
    ("### Order? {#q}\nType: ordering\n1. Zebra\n2. Ant\nPartial credit: maybe\n", 14,
     "partial credit 'maybe' is not yes or no"),
    ("### Which? {#q}\nType: explain\n- [x] Yes\n- [ ] No\nPartial credit: yes\n", 14,
     "'Partial credit:' only applies to ordering questions"),
    ("### Year? {#q}\nAnswer: 2023\n- one\n- two\n", 12, "unexpected list in question 'q'"),
])
def test_a_mistake_is_named_with_its_line(body, line, message):
    _quiz, found = parsed(body)
    if message is None:  # list lines right under the heading are the question's own text
        assert found == [(10, "question 'q' has no choices and no Answer")]
    else:
        assert (line, message) in found


def test_the_examples_of_the_authoring_guide_are_valid():
    quiz, found = parsed(docs_block("`Partial credit: yes` gives"))
    assert found == [] and [q.kind for q in quiz.questions] == ["ordering", "matching"]


def test_items_without_a_type_are_named_as_such_with_their_line():
    _quiz, found = parsed("### Order? {#q}\nSituation: a town\n1. First\n2. Second\n")
    assert (12, "question 'q' lists items but says not what they are") in found


def test_a_course_file_with_a_broken_pair_names_the_file_and_line(tmp_path: Path):
    course = tmp_path / "demo"
    (course / "lessons").mkdir(parents=True)
    (course / "course.yml").write_text(course_yml(["check"]), encoding="utf-8")
    quiz = "::: quiz\n### Match? {#q-m}\nType: matching\n- left without a right\n- a -> b\n:::\n"
    (course / "lessons" / "check.md").write_text(lesson("check", quiz), encoding="utf-8")
    problems = [str(p) for p in load_course(course).problems]
    assert any(p.startswith("demo/lessons/check.md:") and "is not a pair" in p
               for p in problems), problems


# --- Shown: nothing of the answer before submission ---------------------------------------------


def test_the_form_lists_steps_and_options_alphabetically_without_their_ids():
    ordering, matching = question_of(ORDERING), question_of(MATCHING)
    public = KINDS["ordering"].public(ordering)
    texts = [item["text_html"] for item in public["items"]]
    assert texts == sorted(texts, key=str.casefold) and public["options"] == ["1", "2", "3", "4"]
    assert all(set(item) == {"text_html"} for item in public["items"])
    options = KINDS["matching"].public(matching)["options"]
    assert [o["text_html"] for o in options] == [
        "International Labour Conference", "OECD Council", "UN General Assembly"]


# --- Graded ------------------------------------------------------------------------------------


def right_order(question) -> list[str]:
    """The values of the form's selects (steps listed alphabetically) for the right order."""
    listed = [item["text_html"] for item in KINDS["ordering"].public(question)["items"]]
    truth = [item.text_html for item in question.items]
    return [str(truth.index(text) + 1) for text in listed]


def swap_first_two(values: list[str]) -> list[str]:
    return [{"1": "2", "2": "1"}.get(v, v) for v in values]


def test_the_form_reads_back_in_the_authors_order_whatever_order_it_lists():
    question = question_of(ORDERING)
    kind = KINDS["ordering"]
    form = {f"q-steps-{n}": value for n, value in enumerate(right_order(question), start=1)}
    given = kind.read(form, question)
    assert given == ("1", "2", "3", "4")
    assert kind.form_values(question, given) == right_order(question)
    matching = question_of(MATCHING)  # options: 1 ILC (a), 2 OECD Council (c), 3 UNGA (b)
    assert KINDS["matching"].read({"q-bodies-1": "1", "q-bodies-2": "3", "q-bodies-3": "2"},
                                  matching) == ("a", "b", "c")
    assert KINDS["matching"].form_values(matching, ("a", "b", "c")) == ["1", "3", "2"]


def test_ordering_is_right_only_in_the_right_order_unless_partial_credit():
    quiz, _ = parsed(ORDERING)  # an answer gives each step, in the author's order, its place
    assert grade(quiz, {"q-steps": ["1", "2", "3", "4"]}).score_percent == 100
    assert grade(quiz, {"q-steps": ["2", "1", "3", "4"]}).score_percent == 0
    partial, _ = parsed(ORDERING + "Partial credit: yes\n")
    result = grade(partial, {"q-steps": ["2", "1", "3", "4"]})
    assert result.questions[0].credit == Fraction(2, 4) and result.score_percent == 50
    assert not result.questions[0].correct
    assert result.questions[0].given_html.startswith("1. They draft the statutes together → 2.")


@pytest.mark.parametrize("raw", [None, "1", ["1"], ["9", "9", "9", "9"], [1, 2, 3, 4],
                                 {"a": 1}, ["", "", "", ""], ["1", "1", "1", "1"],
                                 ["a", "a", "a"], ["z", "b", "c"]])
def test_anything_else_a_browser_may_send_is_wrong_and_never_raises(raw):
    for body, qid in [(ORDERING, "q-steps"), (MATCHING, "q-bodies")]:
        quiz, _ = parsed(body + "Partial credit: yes\n")
        result = grade(quiz, {qid: raw})
        assert result.score_percent < 100 and not result.passed


def test_matching_gives_a_share_per_pair_when_the_author_allows_it():
    quiz, _ = parsed(MATCHING + "Partial credit: yes\n")
    question = quiz.questions[0]  # an answer gives each pair the pair whose right side it took
    assert grade(quiz, {"q-bodies": ["a", "b", "c"]}).score_percent == 100
    one_right = grade(quiz, {"q-bodies": ["a", "c", "b"]})
    assert one_right.questions[0].credit == Fraction(1, 3) and one_right.score_percent == 33
    assert "Resolution 77/281 (2023) → OECD Council" in one_right.questions[0].given_html
    assert KINDS["matching"].display(question).startswith(
        "Resolution concerning decent work and the SSE (2022) → International Labour Conference")


def test_an_explained_choice_needs_its_reasons_and_keeps_them():
    quiz, _ = parsed(EXPLAINED)
    question, kind = quiz.questions[0], KINDS["explained"]
    assert kind.public(question)["explain_html"] == "Why is it one?"
    assert not kind.answered(kind.given(question, {"picked": ["a"], "because": "  "}))
    given = kind.given(question, {"picked": ["a"], "because": "Its customers own it <b>"})
    assert kind.answered(given) and kind.record(given) == {
        "picked": ["a"], "because": "Its customers own it <b>"}
    result = grade(quiz, {"q-why": kind.record(given)})
    assert result.score_percent == 100
    assert result.questions[0].given_html.endswith("Its customers own it &lt;b&gt;")
    assert grade(quiz, {"q-why": {"picked": ["b"], "because": "x"}}).score_percent == 0


# --- Through the platform: form, submission, result, analytics ----------------------------------


def import_activity_course(app, folder: Path):
    """A course "demo" whose one lesson asks an ordering (partial credit), a matching and an
    explained question, imported into the app's database."""
    body = "Read, then answer.\n\n::: quiz\n" + ORDERING + "Partial credit: yes\n\n" + (
        MATCHING + "\n" + EXPLAINED + ":::\n")
    return import_one_lesson_course(app, folder, body)


@pytest.fixture
def activity_course(app, tmp_path: Path):
    return import_activity_course(app, tmp_path / "demo")


def test_a_learner_answers_with_selects_and_reads_back_a_partly_right_answer(
        app, client, auth, activity_course):
    add_user(app)
    auth.login()
    page = client.get("/courses/demo/lessons/check").get_data(as_text=True)
    assert '<select id="q-steps-1" name="q-steps-1"' in page
    assert '<label for="q-bodies-2">Resolution 77/281 (2023)</label>' in page
    assert 'name="q-why-why"' in page and "Why is it one?" in page
    question = activity_course.lessons["check"].versions["en"].quiz.question("q-steps")
    swapped = swap_first_two(right_order(question))

    unanswered = client.submit("/courses/demo/lessons/check/quiz",
                               {"q-steps-1": swapped[0], "q-why": "a"},
                               form_url="/courses/demo/lessons/check")
    assert unanswered.status_code == 422
    kept = unanswered.get_data(as_text=True)
    assert f'<option value="{swapped[0]}" selected>' in kept  # what was chosen stays chosen

    form = {f"q-steps-{n}": v for n, v in enumerate(swapped, start=1)}
    form.update({"q-bodies-1": "1", "q-bodies-2": "3", "q-bodies-3": "2", "q-why": "a",
                 "q-why-why": "Its customers own it."})
    answered = client.submit("/courses/demo/lessons/check/quiz", form,
                             form_url="/courses/demo/lessons/check")
    assert answered.status_code == 302
    result = client.get(answered.location).get_data(as_text=True)
    assert "Partly correct: 50% of the mark" in result
    assert "Your score: 83%" in result  # (1/2 + 1 + 1) of 3
    assert "Its customers own it." in result
    with app.app_context():
        stored = db.session.scalar(select(QuizAttempt.answers))
    assert stored["q-why"] == {"picked": ["a"], "because": "Its customers own it."}

    auth.logout()
    add_user(app, "teacher@example.org", role=Role.ADMIN)
    auth.login("teacher@example.org", PASSWORD)
    analytics = client.get("/instructor/courses/demo/quizzes").get_data(as_text=True)
    assert "How often each step or pair was placed right" in analytics
    assert "Most common wrong answer:" in analytics
    assert "Its customers own it." in analytics  # the reasons, for the instructor

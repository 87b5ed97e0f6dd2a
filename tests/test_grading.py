"""Grading a quiz: each question kind, tolerance edges, forgiving text, and hostile input."""

from __future__ import annotations

from typing import Any

import pytest

from learning.content.question_kinds import KINDS, QuestionKind
from learning.content.schema import Choice, Question, Quiz
from learning.grading import grade, grade_question


def choices(*marks: bool, feedback: bool = False) -> tuple[Choice, ...]:
    return tuple(
        Choice(chr(ord("a") + i), f"choice {i}", correct, f"feedback {i}" if feedback else "")
        for i, correct in enumerate(marks)
    )


SINGLE = Question(
    "q-single",
    "single",
    "Which?",
    choices(False, True, False, feedback=True),
    explanation_html="Because.",
)
MULTIPLE = Question("q-multiple", "multiple", "Which ones?", choices(True, True, False))
TRUE_FALSE = Question(
    "q-tf", "true_false", "Only coops?", (Choice("a", "True", False), Choice("b", "False", True))
)
SHORT = Question(
    "q-word", "short_text", "The word?", accepted=("coopérative", "co-operative", "coop")
)
NUMBER = Question("q-year", "numeric", "Year?", accepted=("2023",))
TOLERANT = Question("q-pi", "numeric", "Pi?", accepted=("3.14",), tolerance=0.01)
QUIZ = Quiz(pass_mark=70, questions=(SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMBER, TOLERANT))


def correct(question: Question, answer: Any) -> bool:
    return grade_question(question, answer).correct


def test_every_kind_of_the_format_has_a_grader() -> None:
    assert set(KINDS) == {"single", "multiple", "true_false", "explained", "short_text", "numeric",
                          "ordering", "matching"}
    assert all(isinstance(kind, QuestionKind) for kind in KINDS.values())


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("b", True),
        (["b"], True),
        ("a", False),
        (["a", "b"], False),
        ([], False),
        ("z", False),
        (None, False),
    ],
)
def test_single_choice(answer: Any, expected: bool) -> None:
    assert correct(SINGLE, answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["a", "b"], True),
        (["b", "a"], True),  # order does not matter
        (["a", "b", "a"], True),  # nor repeats
        (["a"], False),  # partly right is wrong
        (["a", "b", "c"], False),
        (["a", "b", "zz"], True),  # unknown ids are ignored, not fatal
        ("a", False),
        ([], False),
    ],
)
def test_multiple_choice_is_an_exact_set_match(answer: Any, expected: bool) -> None:
    assert correct(MULTIPLE, answer) is expected


def test_true_false() -> None:
    assert correct(TRUE_FALSE, "b") is True
    assert correct(TRUE_FALSE, "a") is False


@pytest.mark.parametrize(
    "answer",
    [
        "coopérative",
        "cooperative",
        "COOPERATIVE",
        "  Coopérative.  ",
        "Coop!",
        "co-operative",
        "Coöperative",
        "« coopérative »",
        "cooperative\u00a0",
    ],
)
def test_short_answers_ignore_case_accents_spaces_and_end_punctuation(answer: str) -> None:
    assert correct(SHORT, answer) is True


@pytest.mark.parametrize("answer", ["cooperatives", "co operative", "", "   ", "coop coop", "c"])
def test_short_answers_are_not_guesses(answer: str) -> None:
    assert correct(SHORT, answer) is False


def test_spaces_inside_an_answer_are_collapsed() -> None:
    question = Question("q", "short_text", "?", accepted=("social economy",))
    assert correct(question, "  Social \t  ECONOMY ") is True


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("2023", True),
        (" 2023 ", True),
        ("2,023", True),
        ("2.023", True),
        ("2 023", True),
        ("2023.0", True),
        ("2022", False),
        ("twenty", False),
        ("", False),
        ("2023 AD", False),
    ],
)
def test_numbers(answer: str, expected: bool) -> None:
    assert correct(NUMBER, answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("3.14", True),
        ("3,14", True),
        ("3.15", True),
        ("3.13", True),
        ("3.151", False),
        ("3.129", False),
        ("3.1", False),
        ("-3.14", False),
    ],
)
def test_tolerance_edges_are_inclusive(answer: str, expected: bool) -> None:
    assert correct(TOLERANT, answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"), [("2.5", True), ("2,5", True), ("2,50", True), ("25", False)]
)
def test_decimal_comma_or_point(answer: str, expected: bool) -> None:
    assert correct(Question("q", "numeric", "?", accepted=("2.5",)), answer) is expected


def test_thousands_separators_are_tolerated() -> None:
    question = Question("q", "numeric", "?", accepted=("1500000",))
    for answer in [
        "1500000",
        "1,500,000",
        "1.500.000",
        "1 500 000",
        "1\u202f500\u202f000",
        "1'500'000",
    ]:
        assert correct(question, answer), answer


def test_the_score_is_rounded_down_and_compared_with_the_pass_mark() -> None:
    quiz = Quiz(pass_mark=67, questions=(SINGLE, NUMBER, SHORT))
    two_of_three = grade(quiz, {"q-single": "b", "q-year": "2023", "q-word": "nope"})
    assert (two_of_three.score_percent, two_of_three.passed) == (66, False)  # 66.67 % < 67 %
    assert grade(
        Quiz(pass_mark=66, questions=quiz.questions), {"q-single": "b", "q-year": "2023"}
    ).passed


def test_a_whole_submission() -> None:
    result = grade(
        QUIZ,
        {
            "q-single": "a",
            "q-multiple": ["a", "b"],
            "q-tf": "b",
            "q-word": "Coop",
            "q-year": "2023",
            "q-pi": "3,14",
        },
    )
    assert [r.correct for r in result.questions] == [False, True, True, True, True, True]
    assert (result.score_percent, result.passed, result.pass_mark, result.correct_count) == (
        83,
        True,
        70,
        5,
    )
    first = result.questions[0]
    assert first.question_id == "q-single"
    assert first.given == ("a",)
    assert first.feedback_html == ("feedback 0",)  # only the feedback of the choices picked
    assert first.explanation_html == "Because."
    assert first.correct_answer_display == "choice 1"


def test_correct_answer_display() -> None:
    result = grade(QUIZ, {})
    assert [r.correct_answer_display for r in result.questions] == [
        "choice 1",
        "choice 0; choice 1",
        "False",
        "coopérative",
        "2023",
        "3.14 ± 0.01",
    ]
    escaped = Question("q", "short_text", "?", accepted=("<b>x</b>",))
    assert grade_question(escaped, "").correct_answer_display == "&lt;b&gt;x&lt;/b&gt;"


HOSTILE: list[Any] = [
    None,
    0,
    1.5,
    True,
    [],
    {},
    [None],
    [1, 2],
    [["a"]],
    {"a": 1},
    "a" * 100_000,
    "\x00",
    "b\x00",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "9" * 400,
    "1,2,3",
    "..",
    ",",
    "-",
    "%",
    "💥",
    object(),
    b"b",
]


@pytest.mark.parametrize("answer", HOSTILE)
def test_bad_input_never_raises_and_is_never_right(answer: Any) -> None:
    result = grade(
        QUIZ, dict.fromkeys(["q-single", "q-multiple", "q-tf", "q-word", "q-year", "q-pi"], answer)
    )
    assert result.score_percent == 0
    assert result.passed is False


@pytest.mark.parametrize("answers", [{}, {"unknown": "a"}, None, [], "a"])
def test_missing_answers_count_as_wrong(answers: Any) -> None:
    result = grade(QUIZ, answers)
    assert result.score_percent == 0
    assert all(not r.correct for r in result.questions)


def test_an_unknown_kind_is_never_right() -> None:
    odd = Question("q", "essay", "?", accepted=("x",))  # type: ignore[arg-type]
    assert grade(Quiz(questions=(odd,)), {"q": "x"}).passed is False


def test_an_empty_quiz_is_not_passed() -> None:
    result = grade(Quiz(questions=()), {})
    assert (result.score_percent, result.passed) == (0, False)

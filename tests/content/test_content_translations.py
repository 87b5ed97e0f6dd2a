"""Translations (NAME.fr.md): completeness is information, a translation of a changed lesson is a
warning, a quiz graded differently is an error."""

from __future__ import annotations

import textwrap

import pytest

from learning.content import load_course
from learning.content.hashing import source_version

from .content_helpers import WriteCourse, course_yml, lesson

QUIZ_EN = """\
Intro.

::: quiz
Pass mark: 80%

### Which? {#q-which}
- [x] This one
  > Yes.
- [ ] That one

### Year? {#q-year}
Answer: 2023
:::
"""
QUIZ_FR = (
    QUIZ_EN.replace("Which?", "Laquelle ?")
    .replace("This one", "Celle-ci")
    .replace("That one", "Celle-là")
)


def files(**translations: str) -> dict[str, str]:
    result = {
        "course.yml": course_yml(["a", "b", "c"], translations="{fr: {title: Cours de démo}}"),
        "lessons/a.md": lesson("a", QUIZ_EN),
        "lessons/b.md": lesson("b"),
        "lessons/c.md": lesson("c"),
    }
    for name, text in translations.items():
        result[f"lessons/{name.replace('_', '.')}.md"] = text
    return result


def test_translated_lessons_become_versions(write_course: WriteCourse) -> None:
    result = load_course(
        write_course(files(a_fr=lesson("a", QUIZ_FR, title="Une leçon"), b_es=lesson("b")))
    )

    assert result.problems == []
    assert result.course is not None
    assert result.course.languages == ("en", "es", "fr")
    versions = result.course.lessons["a"].versions
    assert list(versions) == ["en", "fr"]  # the main language first
    assert versions["fr"].title == "Une leçon"
    assert versions["fr"].source_file == "demo/lessons/a.fr.md"
    assert versions["fr"].quiz is not None
    assert versions["fr"].quiz.questions[0].choices[0].text_html == "Celle-ci"


def test_completeness_is_reported_per_language_not_as_errors(write_course: WriteCourse) -> None:
    result = load_course(write_course(files(a_fr=lesson("a", QUIZ_FR), b_es=lesson("b"))))

    assert result.problems == []
    assert result.translation_report == {
        "es": {"lessons": (1, 3), "missing": ["a", "c"], "stale": ["b"]},
        "fr": {"lessons": (1, 3), "missing": ["b", "c"], "stale": ["a"]},
    }


def test_a_language_only_in_course_yml_is_reported_empty(write_course: WriteCourse) -> None:
    result = load_course(write_course(files()))

    assert result.translation_report == {
        "fr": {"lessons": (0, 3), "missing": ["a", "b", "c"], "stale": []}}


def translating(version: str, text: str) -> str:
    """``text`` (a lesson file) marked as the translation of ``version``, on line 3."""
    head, _, rest = text.partition("\n")
    first, _, rest = rest.partition("\n")
    return f'{head}\n{first}\ntranslates: "{version}"\n{rest}'


def test_a_translation_that_records_the_current_version_of_its_lesson_is_up_to_date(
    write_course: WriteCourse,
) -> None:
    current = source_version(lesson("a", QUIZ_EN))
    result = load_course(write_course(files(a_fr=translating(current, lesson("a", QUIZ_FR)))))

    assert result.problems == [] and result.warnings == []
    assert result.course.lessons["a"].versions["fr"].stale is False
    assert result.translation_report["fr"]["stale"] == []


def test_a_translation_of_a_lesson_changed_since_is_stale_a_warning_with_file_and_line(
    write_course: WriteCourse,
) -> None:
    earlier = source_version(lesson("a", "The first text of the lesson.\n"))
    result = load_course(write_course(files(a_fr=translating(earlier, lesson("a", QUIZ_FR)),
                                            b_es=lesson("b"))))

    assert result.problems == [] and result.course is not None  # learners still get it
    assert [str(w) for w in result.warnings] == [
        "demo/lessons/a.fr.md:3: the fr translation is stale: demo/lessons/a.md has changed since "
        "it was translated (hint: bring it up to date, then run: flask courses translations mark "
        "FILE)",
        "demo/lessons/b.es.md:1: the es translation does not record which version of "
        "demo/lessons/b.md it translates (hint: bring it up to date, then run: flask courses "
        "translations mark FILE)",
    ]
    assert result.course.lessons["a"].versions["fr"].stale is True
    assert result.course.lessons["a"].versions["en"].stale is False


def test_only_a_translation_records_a_version_it_translates(write_course: WriteCourse) -> None:
    result = load_course(write_course({**files(), "lessons/a.md": translating("abc", lesson("a"))}))

    assert [str(p) for p in result.problems] == [
        "demo/lessons/a.md:3: 'translates' is for translations only (hint: remove it: a lesson "
        "in the course's main language translates nothing)"]


MISMATCHES = [
    pytest.param(
        QUIZ_FR.replace("- [ ] Celle-là", "- [ ] Celle-là\n- [ ] Une autre"),
        "demo/lessons/a.fr.md:12: question 'q-which' has 3 choices here but 2 in the main language "
        "(hint: keep the same choices, in the same order)",
        id="choice-count",
    ),
    pytest.param(
        QUIZ_FR.replace("- [x] Celle-ci", "- [ ] Celle-ci").replace(
            "- [ ] Celle-là", "- [x] Celle-là"
        ),
        "demo/lessons/a.fr.md:12: question 'q-which' marks different choices correct than the "
        "main language "
        "(hint: keep the choices in the same order, with the same - [x])",
        id="correct-flags",
    ),
    pytest.param(
        QUIZ_FR.replace("{#q-year}", "{#q-annee}"),
        "demo/lessons/a.fr.md:12: question 'q-year' is missing from the fr translation",
        id="missing-question",
    ),
    pytest.param(
        QUIZ_FR.replace(":::\n", "\n### En plus ? {#q-extra}\nAnswer: oui\n:::\n"),
        "demo/lessons/a.fr.md:20: question 'q-extra' is not in the main language "
        "(hint: translations use the same question ids)",
        id="extra-question",
    ),
    pytest.param(
        QUIZ_FR.replace("Answer: 2023", "Answer: 2024"),
        "demo/lessons/a.fr.md:17: question 'q-year' accepts other numbers than the main language",
        id="other-number",
    ),
    pytest.param(
        QUIZ_FR.replace("Pass mark: 80%", "Pass mark: 50%"),
        "demo/lessons/a.fr.md:12: the quiz settings differ from the main language "
        "(hint: copy Pass mark, Attempts and Graded)",
        id="settings",
    ),
    pytest.param(
        "Pas de quiz.\n",
        "demo/lessons/a.fr.md: the fr translation has no quiz (hint: translate the quiz block too)",
        id="no-quiz",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MISMATCHES)
def test_a_translated_quiz_must_grade_like_the_original(
    write_course: WriteCourse, text: str, expected: str
) -> None:
    result = load_course(write_course(files(a_fr=lesson("a", text))))

    assert result.course is None
    messages = [str(p) for p in result.problems]
    assert expected in messages
    assert len(messages) == 1 or "missing" in expected or "extra" in expected


def test_the_extra_question_mismatch_reports_both_sides(write_course: WriteCourse) -> None:
    text = QUIZ_FR.replace("{#q-year}", "{#q-annee}")
    result = load_course(write_course(files(a_fr=lesson("a", text))))
    assert [str(p) for p in result.problems] == [
        "demo/lessons/a.fr.md:12: question 'q-year' is missing from the fr translation",
        "demo/lessons/a.fr.md:17: question 'q-annee' is not in the main language "
        "(hint: translations use the same question ids)",
    ]


def test_true_false_may_be_translated(write_course: WriteCourse) -> None:
    original = "::: quiz\n### Only coops? {#q-tf}\n- [ ] True\n- [x] False\n:::\n"
    french = "::: quiz\n### Seulement les coops ? {#q-tf}\n- [ ] Vrai\n- [x] Faux\n:::\n"
    folder = write_course(
        {
            "course.yml": course_yml(["a"]),
            "lessons/a.md": lesson("a", original),
            "lessons/a.fr.md": lesson("a", french),
        }
    )
    result = load_course(folder)
    assert result.problems == []
    assert result.course is not None
    assert [
        v.quiz.questions[0].kind for v in result.course.lessons["a"].versions.values() if v.quiz
    ] == [
        "true_false",
        "true_false",
    ]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "a.en.md",
            lesson("a"),
            "demo/lessons/a.en.md: '.en.md' is the course's main language (hint: name the file "
            "a.md)",
        ),
        (
            "z.fr.md",
            lesson("z"),
            "demo/lessons/z.fr.md:2: lesson 'z' is not listed in course.yml "
            "(hint: add its id to a module's lessons in course.yml)",
        ),
        (
            "a2.fr.md",
            lesson("a"),
            "demo/lessons/a2.fr.md:2: duplicate lesson id 'a' (also in demo/lessons/a.fr.md) "
            "(hint: every lesson file needs its own id)",
        ),
    ],
)
def test_translation_file_errors(
    write_course: WriteCourse, name: str, text: str, expected: str
) -> None:
    base = files(a_fr=lesson("a", QUIZ_FR))
    result = load_course(write_course({**base, f"lessons/{name}": text}))
    assert [str(p) for p in result.problems] == [expected]


def test_errors_in_a_translation_carry_its_own_file_and_lines(write_course: WriteCourse) -> None:
    broken = textwrap.dedent(QUIZ_FR).replace("- [x] Celle-ci", "- [ ] Celle-ci")
    result = load_course(write_course(files(a_fr=lesson("a", broken))))
    assert (
        "demo/lessons/a.fr.md:12: question 'q-which' has no correct choice (hint: mark it with - "
        "[x])" in [str(p) for p in result.problems]
    )

"""The awareness-raising package as shipped in courses/, counted with the functions that
``flask courses stats`` prints (content/stats.py).

The rules of the second edition (issue 15): what a reviewer would count by hand, counted here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from learning.content import load_courses
from learning.content.stats import course_stats

COURSES = Path(__file__).resolve().parents[1] / "courses"


@pytest.fixture(scope="module")
def package():
    result = load_courses(COURSES)
    assert [str(p) for p in result.problems] == []
    return result


NUTSHELL = "sse-in-a-nutshell"
DEFINITION = "encompasses enterprises, organizations and other entities that are engaged in"


def test_the_package_is_the_entry_course_and_eight_in_depth_electives(package) -> None:
    programme = package.programmes["sse-awareness-package"]
    assert len(package.courses) == 9
    assert programme.required == (NUTSHELL,)
    assert set(programme.electives) == set(package.courses) - {NUTSHELL}
    assert {"sse-and-a-just-transition", "sse-care-and-gender-equality"} <= set(programme.electives)


def test_every_lesson_and_course_says_what_the_learner_will_be_able_to_do(package) -> None:
    for course in package.courses.values():
        assert 2 <= len(course.objectives) <= 6 and course.audience, course.slug
        for lesson in course.lessons.values():
            assert 2 <= len(lesson.versions[course.language].objectives) <= 4, lesson.id


def test_the_hours_each_course_announces_are_what_its_lessons_take(package) -> None:
    for course in package.courses.values():
        stats = course_stats(course)
        assert abs(stats.estimated_hours * 60 - stats.minutes) <= 15, (
            f"{course.slug}: {stats.estimated_hours} h for {stats.minutes} minutes")


def test_every_course_has_a_cover_drawn_as_an_accessible_svg(package) -> None:
    for course in package.courses.values():
        assert course.cover and course.cover.endswith(".svg") and course.cover_alt, course.slug
        svg = course.media[course.cover].data.decode()
        assert len(svg) < 15_000 and 'role="img"' in svg and "<title" in svg, course.slug


def test_the_package_teaches_with_real_case_studies_in_every_course(package) -> None:
    counts = {slug: course_stats(course).case_studies for slug, course in package.courses.items()}
    assert sum(counts.values()) >= 24 and min(counts.values()) >= 3, counts


def test_every_in_depth_course_asks_a_poll_a_reflection_and_an_ordering_or_matching(
        package) -> None:
    from learning.content.schema import Reflection

    for slug, course in package.courses.items():
        if slug == NUTSHELL:
            continue
        versions = [lesson.versions[course.language] for lesson in course.lessons.values()]
        assert any(v.polls for v in versions), f"{slug}: no poll"
        assert any(isinstance(a, Reflection) for v in versions for a in v.activities), (
            f"{slug}: no reflection")
        kinds = {q.kind for v in versions if v.quiz for q in v.quiz.questions}
        assert kinds & {"ordering", "matching"}, f"{slug}: no ordering or matching question"


def test_graded_quizzes_make_the_learner_apply_what_they_read(package) -> None:
    for course in package.courses.values():
        stats = course_stats(course)
        assert 8 <= stats.graded_questions, course.slug
        assert stats.applied_percent >= 40, f"{course.slug}: {stats.applied_percent}% applied"
        assert stats.year_or_count <= 1, f"{course.slug}: {stats.year_or_count} year or count"


def test_every_option_of_a_graded_question_says_why(package) -> None:
    for course in package.courses.values():
        for lesson in course.lessons.values():
            quiz = lesson.versions[course.language].quiz
            if quiz is None or not quiz.graded:
                continue
            silent = [f"{q.id}/{c.id}" for q in quiz.questions for c in q.choices
                      if not c.feedback_html]
            assert silent == [], f"{course.slug}: no feedback on {silent}"


def test_every_course_explains_with_at_least_two_accessible_diagrams(package) -> None:
    for course in package.courses.values():
        assert course_stats(course).diagrams >= 2, course.slug
        for path, media in course.media.items():
            if path.endswith(".svg") and path != course.cover:
                svg = media.data.decode()
                assert len(svg) < 15_000 and "<title" in svg and "<desc" in svg, path
                assert "<text" in svg and "href" not in svg, path


def test_each_course_ends_with_where_to_go_further(package) -> None:
    for course in package.courses.values():
        last = list(course.lessons.values())[-1].versions[course.language].html
        further = last.partition(">Go further</h2>")[2]
        assert further.count('<a href="http') >= 4, course.slug


def test_each_in_depth_course_ends_with_an_exercise_for_its_audience(package) -> None:
    for course in package.courses.values():
        if course.slug != "sse-in-a-nutshell":
            assert list(course.lessons)[-1] == "put-it-into-practice", course.slug


def test_the_definition_is_taught_once_and_the_other_courses_link_to_it(package) -> None:
    link = f'href="/courses/{NUTSHELL}/lessons/what-is-the-sse"'
    for course in package.courses.values():
        html = " ".join(" ".join(lesson.versions[course.language].html.split())
                        for lesson in course.lessons.values())  # one space between words
        if course.slug == NUTSHELL:
            assert DEFINITION in html
        else:
            assert DEFINITION not in html and link in html, course.slug


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_whole_package_reads_in_french_and_spanish_translations_up_to_date(package, language):
    for slug, course in package.courses.items():
        state = package.translation_reports[slug][language]
        assert state["missing"] == [] and state["stale"] == [], (slug, language, state)
        texts = course.translations[language]
        assert texts.title and texts.summary and texts.audience and texts.cover_alt, slug
        assert len(texts.objectives) == len(course.objectives), slug
        assert set(texts.modules) == {module.id for module in course.modules}, slug
    assert package.warnings == []  # nothing stale anywhere
    for term in package.glossary.terms.values():
        assert language in term.translations, term.id
    assert language in package.programmes["sse-awareness-package"].translations


def test_a_translated_lesson_shows_its_own_diagrams(package):
    """A diagram holds words: the French and Spanish lessons show translated copies of it."""
    for course in package.courses.values():
        for lesson in course.lessons.values():
            for language in ("fr", "es"):
                html = lesson.versions[language].html
                for image in re.findall(r'<img [^>]*src="/media/[^"]+/images/([^"]+)"', html):
                    if image != course.cover.removeprefix("images/"):
                        assert image.endswith(f".{language}.svg"), (lesson.id, language, image)

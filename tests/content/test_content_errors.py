"""Every mistake an author can make is reported with its file, line and a hint; none stops the rest.

Lesson files written with ``lesson()`` have 6 lines of front matter: their body starts on line 7.
"""

from __future__ import annotations

import textwrap

import pytest

from learning.content import ContentProblem, Glossary, load_course, load_course_with_glossary

from .content_helpers import SVG, WriteCourse, course_yml, lesson

GOOD = {"course.yml": course_yml(["a"]), "lessons/a.md": lesson("a"), "images/cover.svg": SVG}


def problems(
    write_course: WriteCourse, files: dict[str, str], glossary: Glossary | None = None
) -> list[str]:
    result = load_course(write_course(files), glossary=glossary)
    assert result.course is None, "a course with problems must not be returned"
    return [str(problem) for problem in result.problems]


def test_the_problem_text_names_file_line_message_and_hint() -> None:
    problem = ContentProblem(
        "sse/lessons/03-finance.md",
        42,
        "question 'q-finance-2' has no correct choice",
        "mark it with - [x]",
    )
    assert str(problem) == (
        "sse/lessons/03-finance.md:42: question 'q-finance-2' has no correct choice (hint: mark "
        "it with - [x])"
    )
    assert (
        str(ContentProblem("sse/course.yml", None, "no lessons", None))
        == "sse/course.yml: no lessons"
    )


def test_a_good_course_has_no_problems(write_course: WriteCourse) -> None:
    result = load_course(write_course(GOOD))
    assert result.problems == []
    assert result.course is not None


COURSE_YML_ERRORS = [
    pytest.param(
        course_yml(["a"], titel="Typo"),
        "demo/course.yml:9: unknown key 'titel' in course.yml (hint: did you mean 'title'?)",
        id="unknown-key",
    ),
    pytest.param(
        course_yml(["a"]).replace("licence: CC-BY-4.0\n", ""),
        "demo/course.yml:1: course.yml has no 'licence' (hint: add 'licence: ...')",
        id="missing-key",
    ),
    pytest.param(
        course_yml(["a"]).replace("introductory", "beginner"),
        "demo/course.yml:5: level 'beginner' is not one of introductory, intermediate, advanced",
        id="level",
    ),
    pytest.param(
        course_yml(["a"]).replace("language: en", "language: de"),
        "demo/course.yml:4: language 'de' is not one of en, fr, es",
        id="language",
    ),
    pytest.param(
        course_yml(["a"]).replace("slug: demo", "slug: Demo_Course"),
        "demo/course.yml:1: slug 'Demo_Course' in course.yml is not valid "
        "(hint: use lowercase letters, digits and hyphens, e.g. what-is-the-sse)",
        id="slug",
    ),
    pytest.param(
        course_yml(["a"]).replace("estimated_hours: 1", "estimated_hours: soon"),
        "demo/course.yml:6: 'estimated_hours' in course.yml must be a positive number, not 'soon' "
        "(hint: write e.g. 'estimated_hours: 8')",
        id="hours",
    ),
    pytest.param(
        course_yml(["a"], cover="images/cover.svg"),
        "demo/course.yml:9: cover has no cover_alt (hint: describe the cover image in cover_alt)",
        id="cover-alt",
    ),
    pytest.param(
        course_yml(["a"], cover="images/none.svg", cover_alt="A cover"),
        "demo/course.yml:9: cover 'images/none.svg' does not exist "
        "(hint: paths are relative to the course folder)",
        id="cover-missing",
    ),
    pytest.param(
        course_yml(["a"], certificate="maybe"),
        "demo/course.yml:9: 'certificate' in course.yml must be yes or no, not 'maybe' "
        "(hint: write 'certificate: yes' or 'certificate: no')",
        id="certificate",
    ),
    pytest.param(
        course_yml(["a"], discussion="sometimes"),
        "demo/course.yml:9: 'discussion' in course.yml must be yes or no, not 'sometimes' "
        "(hint: write 'discussion: yes' or 'discussion: no')",
        id="discussion",
    ),
    pytest.param(
        course_yml(["a"], completion="{reflections: 3}"),
        "demo/course.yml:9: 'reflections' in completion must be yes or no, not '3' "
        "(hint: write 'reflections: yes' or 'reflections: no')",
        id="completion-reflections",
    ),
    pytest.param(
        course_yml(["a"], completion="{quizzes: all}"),
        "demo/course.yml:9: completion quizzes 'all' is not 'graded' or 'none'",
        id="completion",
    ),
    pytest.param(
        course_yml(["a"], completion="{lessons: [a, b]}"),
        "demo/course.yml:9: completion lists 'b', which is not a lesson of the course",
        id="completion-lesson",
    ),
    pytest.param(
        course_yml(["a"], translations="{de: {title: Kurs}}"),
        "demo/course.yml:9: 'de' is not a translation language of this course "
        "(hint: use en, fr or es, other than the course's language)",
        id="translation-language",
    ),
    pytest.param(
        course_yml(["a"], translations="{fr: {modules: {nope: Rien}}}"),
        "demo/course.yml:9: unknown module 'nope' in translation 'fr'",
        id="translation-module",
    ),
    pytest.param(
        course_yml(["a"]).replace("title: Demo course", "title: [oops"),
        "demo/course.yml:3: malformed YAML: expected ',' or ']', but got ':' "
        "(hint: check the indentation, and quote values that contain ': ' or start with a symbol)",
        id="malformed-yaml",
    ),
    pytest.param(
        course_yml(["a"]).replace("title: Demo course", "title: Demo\ntitle: Again"),
        "demo/course.yml:3: key 'title' is given twice (hint: keep only one)",
        id="duplicate-key",
    ),
    pytest.param(
        course_yml({"m1": ["a"], "m2": ["a"]}),
        "demo/course.yml:17: duplicate lesson id 'a' in course.yml (hint: it is already listed "
        "on line 13)",
        id="duplicate-listing",
    ),
]


@pytest.mark.parametrize(("yml", "expected"), COURSE_YML_ERRORS)
def test_course_yml_errors(write_course: WriteCourse, yml: str, expected: str) -> None:
    assert problems(write_course, {**GOOD, "course.yml": yml}) == [expected]


LESSON_ERRORS = [
    pytest.param(
        lesson("a", minutes="ten"),
        "demo/lessons/a.md:4: 'minutes' in the front matter must be a positive number, not 'ten' "
        "(hint: write e.g. 'minutes: 8')",
        id="minutes",
    ),
    pytest.param(
        lesson("a").replace("minutes: 5", "minutes: 5\nduration: 3"),
        "demo/lessons/a.md:5: unknown key 'duration' in the front matter "
        "(hint: allowed: discussion, id, minutes, objectives, summary, title, translates)",
        id="unknown-front-matter-key",
    ),
    pytest.param(
        lesson("a").replace("title: A lesson\n", ""),
        "demo/lessons/a.md:2: the front matter has no 'title' (hint: add 'title: ...')",
        id="missing-title",
    ),
    pytest.param(
        lesson("a", title="Colon: in: title"),
        "demo/lessons/a.md:3: malformed YAML: mapping values are not allowed here "
        "(hint: check the indentation, and quote values that contain ': ' or start with a symbol)",
        id="malformed-front-matter",
    ),
    pytest.param(
        "No front matter\n",
        "demo/lessons/a.md:1: the lesson has no front matter "
        "(hint: start the file with ---, id:, title:, minutes:, ---)",
        id="no-front-matter",
    ),
    pytest.param(
        "---\nid: a\ntitle: T\nminutes: 3\n\nText\n",
        "demo/lessons/a.md:1: the front matter is never closed (hint: end it with a line holding "
        "only ---)",
        id="front-matter-not-closed",
    ),
    pytest.param(
        lesson("a", "# Title\n\nText\n"),
        "demo/lessons/a.md:7: lessons have no '#' heading in their text "
        "(hint: the title comes from the front matter; use '##' for sections)",
        id="h1",
    ),
    pytest.param(
        lesson("a", "Text.\n\n::: warning Careful\nHot.\n:::\n"),
        "demo/lessons/a.md:9: unknown block kind '::: warning' "
        "(hint: use one of: case-study, definition, example, key-ideas, note, poll, quiz, "
        "reflection, video)",
        id="callout-kind",
    ),
    pytest.param(
        lesson("a", "::: note\nNever closed.\n"),
        "demo/lessons/a.md:7: '::: note' block is never closed "
        "(hint: end it with a line holding only :::)",
        id="callout-not-closed",
    ),
    pytest.param(
        lesson("a", "Text.\n:::\n"),
        "demo/lessons/a.md:8: ':::' closes no block (hint: remove it, or open a block with '::: "
        "KIND')",
        id="stray-closer",
    ),
    pytest.param(
        lesson("a", "::: video https://youtu.be/dQw4w9WgXcQ\n:::\n"),
        "demo/lessons/a.md:7: video has no title (hint: write the title on the line after '::: "
        "video')",
        id="video-title",
    ),
    pytest.param(
        lesson("a", "::: video javascript:alert(1)\nT\n:::\n"),
        "demo/lessons/a.md:7: 'javascript:alert(1)' is not a video address "
        "(hint: write ::: video https://...)",
        id="video-url",
    ),
    pytest.param(
        lesson("a", "Go [on](lesson:nxet).\n"),
        "demo/lessons/a.md:7: link to unknown lesson 'nxet' (hint: lesson ids are in course.yml)",
        id="broken-lesson-link",
    ),
    pytest.param(
        lesson("a", "\nA [coop](glossary:cooperativ).\n"),
        "demo/lessons/a.md:8: link to unknown glossary term 'cooperativ' (hint: did you mean "
        "'cooperative'?)",
        id="broken-glossary-link",
    ),
    pytest.param(
        lesson("a", "[click](javascript:alert(1))\n"),
        "demo/lessons/a.md:7: link to 'javascript:alert(1)' is not allowed "
        "(hint: links may use http, https, mailto, lesson: and glossary:)",
        id="javascript-link",
    ),
    pytest.param(
        lesson("a", "[the notes](notes.pdf)\n"),
        "demo/lessons/a.md:7: link 'notes.pdf' points to a file that does not exist "
        "(hint: link to lessons with lesson:ID; to files with a path relative to the lesson)",
        id="broken-file-link",
    ),
    pytest.param(
        lesson("a", "![](../images/x.svg)\n"),
        "demo/lessons/a.md:7: image '../images/x.svg' has no alt text "
        "(hint: describe what it shows: ![what the image shows](path))",
        id="image-alt",
    ),
    pytest.param(
        lesson("a", "![chart](../images/nope.svg)\n"),
        "demo/lessons/a.md:7: image '../images/nope.svg' points to a file that does not exist "
        "(hint: paths are relative to the lesson file, e.g. ../images/chart.svg)",
        id="image-missing",
    ),
    pytest.param(
        lesson("a", "![chart](../../secret.png)\n"),
        "demo/lessons/a.md:7: image '../../secret.png' is outside the course folder "
        "(hint: keep the files a course uses inside its folder)",
        id="image-outside",
    ),
    pytest.param(
        lesson("a", "![chart](https://example.org/x.png)\n"),
        "demo/lessons/a.md:7: image 'https://example.org/x.png' is not a file of the course "
        "(hint: put the file in the course folder and use a relative path)",
        id="image-external",
    ),
    pytest.param(
        lesson("a", "![chart](../images/notes.txt)\n"),
        "demo/lessons/a.md:7: image '../images/notes.txt' is not PNG, JPEG, SVG or WebP",
        id="image-type",
    ),
]


@pytest.mark.parametrize(("text", "expected"), LESSON_ERRORS)
def test_lesson_errors(write_course: WriteCourse, text: str, expected: str) -> None:
    files = {**GOOD, "lessons/a.md": text, "images/x.svg": SVG, "images/notes.txt": "notes"}
    glossary = Glossary({"cooperative": None})  # type: ignore[dict-item]
    assert problems(write_course, files, glossary) == [expected]


def quiz(body: str) -> str:
    """A lesson whose quiz opens on line 6: its first line inside the block is line 7."""
    return lesson("a", "::: quiz\n" + textwrap.dedent(body) + ":::\n")


QUIZ_ERRORS = [
    pytest.param(
        "### Q? {#q-1}\n- [ ] a\n- [ ] b\n",
        "demo/lessons/a.md:8: question 'q-1' has no correct choice (hint: mark it with - [x])",
        id="no-correct-choice",
    ),
    pytest.param(
        "### Q? {#q-1}\n- [x] a\n- [x] b\n",
        "demo/lessons/a.md:8: single-choice question 'q-1' has 2 correct choices "
        "(hint: keep one - [x], or add 'Type: multiple' under the heading)",
        id="single-two-correct",
    ),
    pytest.param(
        "### Q? {#q-1}\nType: multiple\n- [ ] a\n- [ ] b\n",
        "demo/lessons/a.md:8: question 'q-1' has no correct choice "
        "(hint: mark every correct choice with - [x])",
        id="multiple-none-correct",
    ),
    pytest.param(
        "### Q? {#q-1}\n- [x] a\n",
        "demo/lessons/a.md:8: question 'q-1' needs at least two choices",
        id="one-choice",
    ),
    pytest.param(
        "### Q?\nAnswer: x\n",
        "demo/lessons/a.md:8: question 'Q?' has no id "
        "(hint: end the heading with an id in braces, e.g. {#q-my-question})",
        id="no-id",
    ),
    pytest.param(
        "### Q? {#Q_1}\nAnswer: x\n",
        "demo/lessons/a.md:8: question id 'Q_1' is not valid "
        "(hint: use lowercase letters, digits and hyphens, e.g. q-who-defined)",
        id="bad-id",
    ),
    pytest.param(
        "### Q? {#q-1}\nAnswer: x\n\n### R? {#q-1}\nAnswer: y\n",
        "demo/lessons/a.md:11: question id 'q-1' is used twice in this quiz "
        "(hint: every question needs its own id)",
        id="duplicate-id",
    ),
    pytest.param(
        "### Q? {#q-1}\n",
        "demo/lessons/a.md:8: question 'q-1' has no choices and no Answer "
        "(hint: add choices ('- [x] right', '- [ ] wrong') or an 'Answer:' line)",
        id="no-answer",
    ),
    pytest.param(
        "### Q? {#q-1}\n- [x] a\n- [ ] b\nAnswer: a\n",
        "demo/lessons/a.md:8: question 'q-1' has both choices and an Answer "
        "(hint: keep the choices or the 'Answer:' line, not both)",
        id="choices-and-answer",
    ),
    pytest.param(
        "### Q? {#q-1}\nType: ranking\n- [x] a\n- [ ] b\n",
        "demo/lessons/a.md:9: unknown question type 'ranking' "
        "(hint: write 'Type: multiple' for several correct choices; other kinds need no Type)",
        id="unknown-type",
    ),
    pytest.param(
        "### Q? {#q-1}\nAnswer: 2,500\n",
        "demo/lessons/a.md:9: answer '2,500' of question 'q-1' is not a plain number "
        "(hint: write numbers with a dot for decimals and no thousands separator: 2500, 2.5)",
        id="ambiguous-number",
    ),
    pytest.param(
        "### Q? {#q-1}\nAnswer: 3\nTolerance: -1\n",
        "demo/lessons/a.md:10: tolerance '-1' is not a positive number (hint: write e.g. "
        "'Tolerance: 0.5')",
        id="negative-tolerance",
    ),
    pytest.param(
        "### Q? {#q-1}\nAnswer: paris\nTolerance: 1\n",
        "demo/lessons/a.md:10: 'Tolerance:' only applies to number answers",
        id="tolerance-on-text",
    ),
    pytest.param(
        "Pass mark: 170%\n### Q? {#q-1}\nAnswer: x\n",
        "demo/lessons/a.md:8: pass mark '170%' is out of range (hint: write a percentage from 1% "
        "to 100%)",
        id="pass-mark",
    ),
    pytest.param(
        "Pass mark: 0%\n### Q? {#q-1}\nAnswer: x\n",
        "demo/lessons/a.md:8: pass mark '0%' is out of range (hint: write a percentage from 1% "
        "to 100%)",
        id="pass-mark-zero",
    ),
    pytest.param(
        "Attempts: 0\n### Q? {#q-1}\nAnswer: x\n",
        "demo/lessons/a.md:8: attempts '0' is out of range "
        "(hint: write a whole number from 1 to 100, or 'unlimited')",
        id="attempts",
    ),
    pytest.param(
        "Graded: perhaps\n### Q? {#q-1}\nAnswer: x\n",
        "demo/lessons/a.md:8: graded 'perhaps' is not yes or no "
        "(hint: write 'Graded: yes' or 'Graded: no')",
        id="graded",
    ),
    pytest.param(
        "Passmark: 70%\n### Q? {#q-1}\nAnswer: x\n",
        "demo/lessons/a.md:8: unknown quiz setting 'Passmark' "
        "(hint: the settings are 'Pass mark:', 'Attempts:' and 'Graded:')",
        id="unknown-setting",
    ),
    pytest.param(
        "Welcome to the quiz.\n### Q? {#q-1}\nAnswer: x\n",
        "demo/lessons/a.md:8: text before the first question of the quiz "
        "(hint: put introductions above '::: quiz'; questions start with '### ')",
        id="text-before",
    ),
    pytest.param(
        "## Q? {#q-1}\nAnswer: x\n",
        "demo/lessons/a.md:8: quiz questions start with '### ' "
        "(hint: end the heading with an id in braces, e.g. {#q-my-question})",
        id="wrong-heading",
    ),
    pytest.param(
        "",
        "demo/lessons/a.md:8: quiz has no questions (hint: start each question with '### ')",
        id="empty-quiz",
    ),
    pytest.param(
        "### Q? {#q-1}\n- [x] a\n- [ ] b\nStray words.\n",
        "demo/lessons/a.md:11: unexpected line in question 'q-1' (hint: feedback goes under its "
        "choice, "
        "indented and starting with '>'; other text belongs between the heading and the choices)",
        id="unexpected-line",
    ),
    pytest.param(
        "### Q? {#q-1}\n- [x] See [the intro](lesson:intro)\n- [ ] b\n",
        "demo/lessons/a.md:9: link to unknown lesson 'intro' (hint: lesson ids are in course.yml)",
        id="broken-link-in-choice",
    ),
]


@pytest.mark.parametrize(("body", "expected"), QUIZ_ERRORS)
def test_quiz_errors(write_course: WriteCourse, body: str, expected: str) -> None:
    assert problems(write_course, {**GOOD, "lessons/a.md": quiz(body)}) == [expected]


def test_a_quiz_block_not_closed(write_course: WriteCourse) -> None:
    text = lesson("a", "::: quiz\n### Q? {#q-1}\n- [x] a\n- [ ] b\n")
    assert problems(write_course, {**GOOD, "lessons/a.md": text}) == [
        "demo/lessons/a.md:7: '::: quiz' block is never closed (hint: end it with a line holding "
        "only :::)"
    ]


def test_only_one_quiz_per_lesson(write_course: WriteCourse) -> None:
    block = "::: quiz\n### Q? {{#q-{n}}}\nAnswer: x\n:::\n"
    text = lesson("a", block.format(n=1) + "\n" + block.format(n=2))
    assert problems(write_course, {**GOOD, "lessons/a.md": text}) == [
        "demo/lessons/a.md:12: a lesson can hold only one quiz (hint: split it into two lessons)"
    ]


def test_question_ids_are_unique_in_the_course(write_course: WriteCourse) -> None:
    files = {
        "course.yml": course_yml(["a", "b"]),
        "lessons/a.md": quiz("### Q? {#q-1}\nAnswer: x\n"),
        "lessons/b.md": lesson("b", "Intro.\n\n::: quiz\n### Again? {#q-1}\nAnswer: y\n:::\n"),
    }
    assert problems(write_course, files) == [
        "demo/lessons/b.md:10: duplicate question id 'q-1' (also in demo/lessons/a.md) "
        "(hint: question ids must be unique in the course)"
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"course.yml": course_yml(["a", "b"]), "lessons/a.md": lesson("a")},
            "demo/course.yml:14: lesson 'b' is listed but no lesson file has this id "
            "(hint: create lessons/b.md with 'id: b' in its front matter)",
            id="listed-without-file",
        ),
        pytest.param(
            {**GOOD, "lessons/z.md": lesson("z")},
            "demo/lessons/z.md:2: lesson 'z' is not listed in course.yml "
            "(hint: add its id to a module's lessons in course.yml)",
            id="file-not-listed",
        ),
        pytest.param(
            {**GOOD, "lessons/b.md": lesson("a")},
            "demo/lessons/b.md:2: duplicate lesson id 'a' (also in demo/lessons/a.md) "
            "(hint: every lesson file needs its own id)",
            id="two-files-one-id",
        ),
        pytest.param(
            {**GOOD, "lessons/a.de.md": lesson("a")},
            "demo/lessons/a.de.md: 'de' is not a supported language "
            "(hint: translations end in .en.md, .fr.md or .es.md)",
            id="translation-language",
        ),
    ],
)
def test_lesson_files_and_outline_must_match(
    write_course: WriteCourse, files: dict[str, str], expected: str
) -> None:
    assert problems(write_course, files) == [expected]


def test_every_problem_is_reported_at_once(write_course: WriteCourse) -> None:
    files = {
        "course.yml": course_yml(["a", "b", "missing"], colour="blue"),
        "lessons/a.md": lesson("a", "![](../images/x.svg)\n\nSee [b](lesson:bb).\n"),
        "lessons/b.md": lesson(
            "b", "::: tip\nHello\n:::\n\n::: quiz\n### Q? {#q-1}\n- [ ] a\n- [ ] b\n:::\n"
        ),
        "images/x.svg": SVG,
    }
    assert problems(write_course, files) == [
        "demo/course.yml:9: unknown key 'colour' in course.yml (hint: allowed: "
        "anonymous_sharing, audience, authors, certificate, completion, cover, cover_alt, "
        "discussion, estimated_hours, language, level, licence, modules, objectives, slug, "
        "summary, title, translations)",
        "demo/course.yml:16: lesson 'missing' is listed but no lesson file has this id "
        "(hint: create lessons/missing.md with 'id: missing' in its front matter)",
        "demo/lessons/a.md:7: image '../images/x.svg' has no alt text "
        "(hint: describe what it shows: ![what the image shows](path))",
        "demo/lessons/a.md:9: link to unknown lesson 'bb' (hint: did you mean 'b'?)",
        "demo/lessons/b.md:7: unknown block kind '::: tip' "
        "(hint: use one of: case-study, definition, example, key-ideas, note, poll, quiz, "
        "reflection, video)",
        "demo/lessons/b.md:12: question 'q-1' has no correct choice (hint: mark it with - [x])",
    ]


def test_a_missing_course_yml(write_course: WriteCourse) -> None:
    assert problems(write_course, {"lessons/a.md": lesson("a")}) == [
        "demo/course.yml: the course folder has no course.yml (hint: every course folder starts "
        "with a course.yml)"
    ]


def test_links_to_another_courses_lessons_are_checked_against_that_course(
    write_course: WriteCourse,
) -> None:
    write_course({"course.yml": course_yml(["basics"]).replace("slug: demo", "slug: intro"),
                  "lessons/basics.md": lesson("basics")}, name="intro")
    demo = write_course({
        "course.yml": course_yml(["a"]),
        "lessons/a.md": lesson("a", "Recall [the basics](lesson:intro/basics#top).\n\nNot "
                                    "[this](lesson:intro/basic), or [that](lesson:intr/basics).\n"),
    })
    result, _glossary = load_course_with_glossary(demo)
    assert [str(problem) for problem in result.problems] == [
        "demo/lessons/a.md:9: link to unknown lesson 'intro/basic' (hint: did you mean 'basics'?)",
        "demo/lessons/a.md:9: link to unknown lesson 'intr/basics' (hint: did you mean 'intro'?)",
    ]


def test_a_link_to_another_course_leads_to_it_and_one_naming_its_own_course_stays_in_it(
    write_course: WriteCourse,
) -> None:
    write_course({"course.yml": course_yml(["basics"]).replace("slug: demo", "slug: intro"),
                  "lessons/basics.md": lesson("basics")}, name="intro")
    demo = write_course({"course.yml": course_yml(["a", "b"]),
                         "lessons/a.md": lesson("a", "[Recall](lesson:intro/basics#top), then "
                                                     "go [on](lesson:demo/b).\n"),
                         "lessons/b.md": lesson("b"), "images/cover.svg": SVG})
    result, _glossary = load_course_with_glossary(demo)
    assert result.problems == [] and result.course is not None
    html = result.course.lessons["a"].versions["en"].html
    assert 'href="/courses/intro/lessons/basics#top"' in html
    assert 'href="/courses/demo/lessons/b"' in html

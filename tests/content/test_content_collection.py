"""The whole courses/ folder: glossary, programmes, several courses."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.content import load_courses, load_glossary, load_programme

from .content_helpers import course_yml, lesson


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


GLOSSARY = """\
terms:
  - id: cooperative
    term: Cooperative
    definition: An *autonomous* association of persons.
    translations:
      fr: {term: Coopérative, definition: Une association autonome.}
"""


def test_a_glossary_term(tmp_path: Path) -> None:
    glossary, problems = load_glossary(write(tmp_path, {"glossary.yml": GLOSSARY}) / "glossary.yml")
    assert problems == []
    assert glossary is not None
    term = glossary.terms["cooperative"]
    assert term.definition_html == "<p>An <em>autonomous</em> association of persons.</p>"
    assert term.translations["fr"].term == "Coopérative"
    assert glossary.ids == frozenset({"cooperative"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GLOSSARY.replace("    term:", "    name:"),
            [
                "glossary.yml:3: unknown key 'name' in a glossary term (hint: allowed: "
                "definition, id, source, term, "
                "translations)",
                "glossary.yml:2: a glossary term has no 'term' (hint: add 'term: ...')",
            ],
        ),
        (
            GLOSSARY + GLOSSARY.removeprefix("terms:\n"),
            ["glossary.yml:7: glossary term id 'cooperative' is used twice"],
        ),
        (
            GLOSSARY.replace("fr:", "de:"),
            ["glossary.yml:6: unknown language 'de' (hint: use en, fr or es)"],
        ),
        (
            "terms: [oops",
            [
                "glossary.yml:1: malformed YAML: expected ',' or ']', but got '<stream end>' "
                "(hint: check the indentation, and quote values that contain ': ' or start with "
                "a symbol)"
            ],
        ),
    ],
)
def test_glossary_errors(tmp_path: Path, text: str, expected: list[str]) -> None:
    glossary, problems = load_glossary(write(tmp_path, {"glossary.yml": text}) / "glossary.yml")
    assert glossary is None
    assert [str(p) for p in problems] == expected


PROGRAMME = """\
slug: package
title: The package
summary: One required, one of two electives.
required: [one]
electives: [two, three]
electives_required: 1
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            PROGRAMME + "colour: blue\n",
            "programmes/p.yml:7: unknown key 'colour' in the programme (hint: allowed: "
            "electives, electives_required, required, slug, summary, title, translations)",
        ),
        (
            PROGRAMME.replace("electives_required: 1", "electives_required: 3"),
            "programmes/p.yml:6: electives_required must be a whole number from 0 to 2",
        ),
        (
            PROGRAMME.replace("electives_required: 1\n", ""),
            "programmes/p.yml:1: the programme has electives but no 'electives_required' "
            "(hint: say how many electives a learner must complete)",
        ),
        (
            PROGRAMME.replace("[two, three]", "[one, two]"),
            "programmes/p.yml:1: course 'one' is listed twice in the programme",
        ),
        (
            PROGRAMME + "translations: {de: {title: Das Paket, summary: Eins.}}\n",
            "programmes/p.yml:7: 'de' is not a translation of the programme (hint: use fr or es, "
            "each with title and summary)",
        ),
        (
            PROGRAMME + "translations: {fr: {title: Le paquet}}\n",
            "programmes/p.yml:7: translation 'fr' has no 'summary' (hint: add 'summary: ...')",
        ),
        (
            PROGRAMME.replace("slug: package", "slug: The Package"),
            "programmes/p.yml:1: slug 'The Package' in the programme is not valid "
            "(hint: use lowercase letters, digits and hyphens, e.g. what-is-the-sse)",
        ),
    ],
)
def test_programme_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, {"programmes/p.yml": text}) / "programmes" / "p.yml"
    programme, problems = load_programme(path, "programmes/p.yml")
    assert programme is None
    assert [str(p) for p in problems] == [expected]


def test_a_programme_may_give_its_title_and_summary_in_other_languages(tmp_path: Path) -> None:
    text = PROGRAMME + "translations:\n  fr: {title: Le paquet, summary: Un cours requis.}\n"
    path = write(tmp_path, {"programmes/p.yml": text}) / "programmes" / "p.yml"
    programme, problems = load_programme(path, "programmes/p.yml")
    assert problems == []
    assert programme.translations == {"fr": {"title": "Le paquet", "summary": "Un cours requis."}}


def course_files(folder: str, slug: str, body: str = "Text.\n") -> dict[str, str]:
    return {
        f"{folder}/course.yml": course_yml(["intro"]).replace("slug: demo", f"slug: {slug}"),
        f"{folder}/lessons/intro.md": lesson("intro", body),
    }


def test_load_courses_reads_courses_glossary_and_programmes(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            **course_files("one", "one", "A [coop](glossary:cooperative).\n"),
            **course_files("two", "two"),
            **course_files("three", "three"),
            "glossary.yml": GLOSSARY,
            "programmes/p.yml": PROGRAMME,
        },
    )
    result = load_courses(root)

    assert result.problems == []
    assert sorted(result.courses) == ["one", "three", "two"]
    assert result.programmes["package"].electives == ("two", "three")
    assert result.glossary is not None and "cooperative" in result.glossary.terms
    assert result.translation_reports == {"one": {}, "three": {}, "two": {}}


def test_load_courses_reports_problems_across_the_folder(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            **course_files("one", "one", "A [coop](glossary:coop).\n"),
            **course_files("copy", "one"),
            "notes/readme.txt": "not a course",
            "glossary.yml": GLOSSARY,
            "programmes/p.yml": PROGRAMME,
        },
    )
    result = load_courses(root)

    assert [str(p) for p in result.problems] == [
        "notes/course.yml: the course folder has no course.yml (hint: every course folder starts "
        "with a course.yml)",
        "one/lessons/intro.md:7: link to unknown glossary term 'coop' (hint: terms are in "
        "courses/glossary.yml)",
        "one/course.yml: slug 'one' is also used by copy/ (hint: slugs must be unique)",
        "programmes/p.yml: programme lists unknown course 'two'",
        "programmes/p.yml: programme lists unknown course 'three'",
    ]
    assert result.courses == {}
    assert result.programmes == {}

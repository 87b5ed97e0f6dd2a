"""``flask courses validate`` and ``flask courses import``: every problem with its file and line,
and an import that is all or nothing: the database is either fully updated or left as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from learning import importer, models
from learning.content.hashing import source_version
from learning.extensions import db

from .content.content_helpers import course_yml, lesson

COURSES = Path(__file__).resolve().parents[1] / "courses"
BUNDLED = 9  # course folders in courses/

GLOSSARY = """\
terms:
  - id: cooperative
    term: Cooperative
    definition: An autonomous association of persons united voluntarily.
"""

# One of each kind of mistake, each on a line of its own.
BROKEN_COURSE_YML = course_yml(["first", "missing-lesson"]).replace("slug: demo", "slug: broken")
BROKEN_COURSE_YML = BROKEN_COURSE_YML.replace("modules:\n", "colour: blue\nmodules:\n")
BROKEN_LESSON = """\
See [a lesson that does not exist](lesson:nowhere).

![](../images/chart.svg)

::: quiz
### Which one? {#q-one}
- [ ] A
- [ ] B
:::
"""
BROKEN_PROBLEMS = [
    "broken/course.yml:9: unknown key 'colour' in course.yml",
    "broken/course.yml:15: lesson 'missing-lesson' is listed but no lesson file has this id",
    "broken/lessons/first.md:7: link to unknown lesson 'nowhere'",
    "broken/lessons/first.md:9: image '../images/chart.svg' has no alt text",
    "broken/lessons/first.md:9: image '../images/chart.svg' points to a file that does not exist",
    "broken/lessons/first.md:12: question 'q-one' has no correct choice",
]


def write(folder: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(content, encoding="utf-8")
    return folder


GOOD_TEXT = "Cooperatives are [SSE entities](glossary:cooperative).\n"


def write_good(root: Path, text: str = GOOD_TEXT):
    return write(
        root / "good",
        {
            "course.yml": course_yml(["intro", "more"]).replace("slug: demo", "slug: good"),
            "lessons/intro.md": lesson("intro", text),
            "lessons/more.md": lesson("more", "More text.\n"),
        },
    )


def write_broken(root: Path) -> Path:
    return write(
        root / "broken",
        {"course.yml": BROKEN_COURSE_YML, "lessons/first.md": lesson("first", BROKEN_LESSON)},
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A folder of courses with a glossary: one valid course, 'good'."""
    root = write(tmp_path / "courses", {"glossary.yml": GLOSSARY})
    write_good(root)
    return root


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str | Path):
        return runner.invoke(args=["courses", *map(str, args)])

    return run


def database(app) -> tuple[dict[str, int], dict[str, list[tuple]]]:
    """The number of rows in every table, and the rows themselves."""
    with app.app_context():
        existing = set(inspect(db.engine).get_table_names())
        tables = [t for t in db.metadata.sorted_tables if t.name in existing]
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}
        rows = {
            t.name: [tuple(r) for r in db.session.execute(select(t).order_by(*t.primary_key))]
            for t in tables
        }
        return counts, rows


def course_versions(app) -> dict[str, int]:
    with app.app_context():
        return {c.slug: c.version for c in db.session.scalars(select(models.Course))}


# --- validate ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], [COURSES]], ids=["default-path", "explicit-path"])
def test_validate_accepts_the_bundled_courses(cli, args) -> None:
    result = cli("validate", *args)

    assert result.exit_code == 0, result.output
    assert f"{BUNDLED} course(s) valid." in result.output


@pytest.mark.parametrize("target", ["course-folder", "root"])
def test_validate_lists_every_problem_with_its_file_and_line(cli, tmp_path, target) -> None:
    root = tmp_path / "courses"
    broken = write_broken(root)

    result = cli("validate", broken if target == "course-folder" else root)

    assert result.exit_code != 0
    for problem in BROKEN_PROBLEMS:
        assert problem in result.output
    assert "6 problem(s) found; nothing to import." in result.output


# --- translations: status, stale, mark ----------------------------------------------------------


def translated(root: Path) -> Path:
    """The 'good' course with a French translation of each lesson, never marked."""
    course = root / "good"
    texts = "translations: {fr: {title: Bon cours, summary: Un cours.}}\n"
    (course / "course.yml").write_text(
        course_yml(["intro", "more"]).replace("slug: demo", "slug: good") + texts)
    write(course, {"lessons/intro.fr.md": lesson("intro", "Du texte.\n", title="Intro"),
                   "lessons/more.fr.md": lesson("more", "Encore.\n", title="Suite")})
    return course


def test_a_stale_translation_is_a_warning_and_an_error_under_strict(cli, root) -> None:
    course = translated(root)

    lenient, strict = cli("validate", root), cli("validate", "--strict", root)

    assert lenient.exit_code == 0, lenient.output
    assert ("warning: good/lessons/intro.fr.md:1: the fr translation does not record which "
            "version of good/lessons/intro.md it translates") in lenient.output
    assert "1 course(s) valid." in lenient.output
    assert strict.exit_code != 0
    assert "2 warning(s) found, and --strict was given." in strict.output

    assert cli("translations", "mark", course / "lessons" / "intro.fr.md").exit_code == 0
    (course / "lessons" / "intro.md").write_text(lesson("intro", "New English text.\n"))
    again = cli("validate", "--strict", root)
    assert ("good/lessons/intro.fr.md:3: the fr translation is stale: good/lessons/intro.md has "
            "changed since it was translated") in again.output


def test_mark_records_the_current_version_of_the_lessons_translated(cli, root) -> None:
    course = translated(root)

    marked = cli("translations", "mark", course)

    assert marked.exit_code == 0, marked.output
    assert marked.output.splitlines() == [
        "marked good/lessons/intro.fr.md", "marked good/lessons/more.fr.md",
        "2 translation(s) marked."]
    assert (course / "lessons" / "intro.fr.md").read_text().splitlines()[1:3] == [
        "id: intro", f'translates: "{source_version(lesson("intro", GOOD_TEXT))}"']
    assert cli("validate", "--strict", root).exit_code == 0
    assert cli("translations", "mark", course).output == "0 translation(s) marked.\n"


def test_status_prints_a_row_per_course_and_language(cli, root) -> None:
    course = translated(root)
    cli("translations", "mark", course / "lessons" / "more.fr.md")

    output = cli("translations", "status", root).output.splitlines()
    rows = [line.split() for line in output if not line.startswith("warning:")]

    assert rows == [
        ["course", "language", "up", "to", "date", "stale", "missing", "course", "texts", "state"],
        ["good", "fr", "1", "1", "0", "yes", "stale"],
        ["good", "es", "0", "0", "2", "no", "missing"],
    ]


def test_mark_refuses_a_file_outside_a_course(cli, tmp_path) -> None:
    stray = tmp_path / "notes.fr.md"
    stray.write_text("Notes.\n")

    result = cli("translations", "mark", stray)

    assert result.exit_code != 0 and "is not a lesson file of a course folder" in result.output
    assert "Traceback" not in result.output


# --- import: all or nothing -------------------------------------------------------------------


@pytest.mark.parametrize("earlier_version", [False, True], ids=["empty-db", "earlier-version-db"])
def test_import_with_a_broken_course_prints_the_problems_and_changes_nothing(
    app, cli, root, earlier_version
) -> None:
    if earlier_version:
        assert cli("import", root).exit_code == 0
        write_good(root, "An edited text that must not reach the database.\n")
    write_broken(root)
    before = database(app)

    result = cli("import", root)

    assert result.exit_code != 0
    for problem in BROKEN_PROBLEMS:
        assert problem in result.output
    assert "6 problem(s) found; the database was not changed." in result.output
    counts, rows = database(app)
    assert counts == before[0]
    assert rows == before[1]
    assert course_versions(app) == ({"good": 1} if earlier_version else {})


@pytest.mark.parametrize("earlier_version", [False, True], ids=["empty-db", "earlier-version-db"])
def test_a_failure_in_the_middle_of_the_write_rolls_everything_back(
    app, cli, tmp_path, monkeypatch, earlier_version
) -> None:
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    if earlier_version:
        assert cli("import", root).exit_code == 0
        lesson_file = root / "sse-in-a-nutshell" / "lessons" / "01-what-is-the-sse.md"
        lesson_file.write_text(lesson_file.read_text() + "\nAn added paragraph.\n")
    before = database(app)
    seen = {}

    def fail_after_the_courses(session, programme):
        seen["courses"] = session.scalar(select(func.count()).select_from(models.Course))
        seen["versions"] = session.scalar(select(func.count()).select_from(models.CourseVersion))
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importer, "import_programme", fail_after_the_courses)
    result = cli("import", root)

    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    written = {"courses": BUNDLED, "versions": BUNDLED + (1 if earlier_version else 0)}
    assert seen == written  # written, then not kept
    counts, rows = database(app)
    assert counts == before[0]
    assert rows == before[1]


def test_import_of_a_root_imports_glossary_courses_and_programmes(app, cli) -> None:
    result = cli("import", COURSES)

    assert result.exit_code == 0, result.output
    assert "sse-in-a-nutshell: new (version 1)" in result.output
    counts, _ = database(app)
    assert (counts["courses"], counts["programmes"]) == (BUNDLED, 1)
    assert counts["glossary_terms"] > 0

    again = cli("import", COURSES)
    assert again.exit_code == 0
    assert "sse-in-a-nutshell: unchanged" in again.output
    assert database(app)[0] == counts


def test_import_of_one_course_folder_uses_the_glossary_beside_it(app, cli, root) -> None:
    result = cli("import", root / "good")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "good: new (version 1)"
    with app.app_context():
        content = db.session.scalars(
            select(models.LessonContent).join(models.Lesson).filter_by(key="intro")
        ).one()
        assert 'href="/glossary#cooperative"' in content.html
        terms = [t.key for t in db.session.scalars(select(models.GlossaryTerm))]
        assert terms == ["cooperative"]
    assert course_versions(app) == {"good": 1}


def test_import_of_one_course_folder_checks_its_glossary_links(app, cli, root) -> None:
    write_good(root, "A [mutual](glossary:mutual-society) is an SSE entity.\n")

    result = cli("import", root / "good")

    assert result.exit_code != 0
    assert "good/lessons/intro.md:7: link to unknown glossary term 'mutual-society'" in (
        result.output
    )
    assert course_versions(app) == {}


def flask_command(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``flask`` as a newcomer types it: nothing configured (so APP_ENV means production)
    but ``env``."""
    env = {**{k: v for k, v in os.environ.items()
              if k not in ("APP_ENV", "SECRET_KEY", "PUBLIC_URL", "DATABASE_URL")}, **(env or {})}
    return subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "learning",
                           *args], capture_output=True, text=True, env=env, cwd=COURSES.parent)


def test_validating_course_files_needs_no_configuration():
    done = flask_command("courses", "validate", "courses")
    assert done.returncode == 0, done.stderr
    assert f"{BUNDLED} course(s) valid." in done.stdout


@pytest.mark.parametrize("command", [["users", "list"], ["courses", "import", "courses"],
                                     ["db", "upgrade"]])
def test_a_command_without_its_configuration_says_so_in_one_line(command):
    done = flask_command(*command)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "Error: SECRET_KEY must be set in production (e.g. `python -c "
        "'import secrets; print(secrets.token_hex(32))'`)."]


def test_a_database_without_tables_is_said_in_one_line(tmp_path):
    done = flask_command("users", "list", env={
        "APP_ENV": "production", "SECRET_KEY": "x" * 32, "PUBLIC_URL": "https://a.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "INSTANCE_PATH": str(tmp_path)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "Error: The database cannot be used: no such table: users. Check DATABASE_URL, and run "
        "`flask db upgrade` to create or update its tables."]

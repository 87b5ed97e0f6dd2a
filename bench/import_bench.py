"""How long validating and importing a large course takes.

    .venv/bin/python bench/import_bench.py [--lessons 200] [--postgres URL]

Generates a course of 200 lessons (each about 20 KB of varied Markdown: headings, lists,
tables, callouts, footnotes, definition lists, links to lessons and to the glossary, an image;
a five-question quiz every fourth lesson) in a temporary folder, then times on a fresh SQLite
database, and on a PostgreSQL database of its own when --postgres gives a server URL (the
database is created beside the one named and dropped at the end):

1. validation: ``load_courses`` of the folder, as ``flask courses validate`` does;
2. the first import: load + import + commit, as ``flask courses import`` does;
3. an unchanged re-import: the same, when nothing changed.

The target is a first import under 5 seconds. This is a benchmark, not a test: it prints the
figures and never fails on them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["APP_ENV"] = "testing"

from scratch_database import scratch_postgres  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from learning import create_app, importer, models  # noqa: E402
from learning.content import load_courses  # noqa: E402
from learning.extensions import db  # noqa: E402

TARGET_FIRST_IMPORT = 5.0  # seconds
LESSON_BYTES = 20_000
QUIZ_EVERY = 4
LESSONS_PER_MODULE = 20
SLUG = "bench-course"

WORDS = (
    "cooperative mutual association foundation social enterprise solidarity economy members "
    "democratic governance surplus reinvested community local development decent work "
    "inclusion territory public policy procurement finance savings credit union microfinance "
    "housing agriculture producers consumers workers ownership participation autonomy "
    "transparency statistics satellite account value added employment youth women informal "
    "formalisation resilience recovery crisis network federation secondary apex legislation "
    "recognition resolution principles values care services renewable energy circular waste "
    "recycling platform digital commons education training incubation impact measurement"
).split()
GLOSSARY_TERMS = ["cooperative", "mutual-society", "social-enterprise", "solidarity-finance"]
CALLOUTS = ("example", "definition", "note")


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng: random.Random) -> str:
    text = words(rng, rng.randint(8, 22))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, lesson_ids: list[str], footnotes: list[str]) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(3, 6))]
    roll = rng.random()
    if roll < 0.2:
        parts[0] = f"**{parts[0]}**"
    elif roll < 0.4:
        parts[-1] = f"*{parts[-1]}*"
    if rng.random() < 0.3:
        target = rng.choice(lesson_ids)
        parts.append(f"See [the lesson on {words(rng, 2)}](lesson:{target}).")
    if rng.random() < 0.3:
        term = rng.choice(GLOSSARY_TERMS)
        parts.append(f"The [{term.replace('-', ' ')}](glossary:{term}) entry explains it.")
    if rng.random() < 0.4:
        label = f"n{len(footnotes) + 1}"
        parts[rng.randrange(len(parts))] += f"[^{label}]"
        footnotes.append(f"[^{label}]: {sentence(rng)}")
    return " ".join(parts)


def table(rng: random.Random) -> str:
    columns = rng.randint(3, 5)
    head = "| " + " | ".join(words(rng, 2).title() for _ in range(columns)) + " |"
    rule = "|" + "|".join(rng.choice(["---", ":--", "--:", ":-:"]) for _ in range(columns)) + "|"
    rows = [
        "| "
        + " | ".join(
            str(rng.randint(1, 99_999)) if c else words(rng, rng.randint(1, 3))
            for c in range(columns)
        )
        + " |"
        for _ in range(rng.randint(4, 9))
    ]
    return "\n".join([head, rule, *rows])


def quiz(rng: random.Random, number: int) -> str:
    q = f"l{number}"
    return textwrap.dedent(
        f"""\
        ::: quiz
        Pass mark: {rng.choice([60, 70, 80])}%
        Attempts: {rng.choice([2, 3, 5])}

        ### Which {words(rng, 3)} comes first? {{#{q}-single}}
        - [x] {words(rng, 3)}
          > Right: {sentence(rng)}
        - [ ] {words(rng, 3)}
          > {sentence(rng)}
        - [ ] {words(rng, 4)}

        Explanation: {sentence(rng)}

        ### Which of these are {words(rng, 2)}? {{#{q}-multiple}}
        Type: multiple
        - [x] {words(rng, 2)}
        - [x] {words(rng, 2)}
        - [ ] {words(rng, 2)}
          > {sentence(rng)}

        ### {sentence(rng)} {{#{q}-true-false}}
        - [ ] True
        - [x] False
          > {sentence(rng)}

        ### What do we call {words(rng, 5)}? {{#{q}-word}}
        Answer: cooperative | co-operative | coop

        ### In which year was {words(rng, 3)} adopted? {{#{q}-year}}
        Answer: {rng.randint(1950, 2024)}
        Tolerance: 1

        Explanation: {sentence(rng)}
        :::
        """
    )


def lesson_file(rng: random.Random, number: int, lesson_ids: list[str]) -> str:
    lesson_id = lesson_ids[number - 1]
    others = [i for i in lesson_ids if i != lesson_id]
    footnotes: list[str] = []
    blocks = [
        f"---\nid: {lesson_id}\ntitle: Lesson {number}, {words(rng, 4)}\n"
        f"minutes: {rng.randint(5, 25)}\nsummary: {sentence(rng)}\n---",
        paragraph(rng, others, footnotes),
    ]
    section = 0
    while sum(len(b) for b in blocks) < LESSON_BYTES:
        kind = rng.random()
        if kind < 0.08:
            section += 1
            blocks.append(f"## {section}. {words(rng, rng.randint(2, 6)).capitalize()}")
        elif kind < 0.16:
            blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 7))))
        elif kind < 0.22:
            blocks.append("\n".join(f"{i}. {sentence(rng)}" for i in range(1, rng.randint(3, 6))))
        elif kind < 0.30:
            blocks.append(table(rng))
        elif kind < 0.38:
            callout = rng.choice(CALLOUTS)
            blocks.append(
                f"::: {callout} {words(rng, 3).capitalize()}\n"
                f"{paragraph(rng, others, footnotes)}\n:::"
            )
        elif kind < 0.42:
            term = words(rng, 2).capitalize()
            blocks.append(f"{term}\n: {sentence(rng)}")
        elif kind < 0.44:
            blocks.append(f"> {sentence(rng)}")
        else:
            blocks.append(paragraph(rng, others, footnotes))
    blocks.append(f"![A chart of {words(rng, 3)}](../images/chart-{number % 10}.svg)")
    if number % QUIZ_EVERY == 0:
        blocks.append(quiz(rng, number).rstrip())
    blocks.append("::: key-ideas\n" + "\n".join(f"- {sentence(rng)}" for _ in range(3)) + "\n:::")
    blocks.append("## Sources\n\n" + "\n".join(f"{i}. {sentence(rng)}" for i in range(1, 4)))
    blocks.extend(footnotes)
    return "\n\n".join(blocks) + "\n"


def generate(root: Path, lessons: int, seed: int = 2024) -> dict[str, int]:
    """Write the course, a glossary and its images under ``root``; return a few sizes."""
    rng = random.Random(seed)
    course = root / SLUG
    (course / "lessons").mkdir(parents=True)
    (course / "images").mkdir()
    lesson_ids = [f"lesson-{n:03d}" for n in range(1, lessons + 1)]
    modules = [
        lesson_ids[i : i + LESSONS_PER_MODULE] for i in range(0, lessons, LESSONS_PER_MODULE)
    ]
    outline = "".join(
        f"  - id: module-{m}\n    title: Module {m}\n    lessons:\n"
        + "".join(f"      - {i}\n" for i in ids)
        for m, ids in enumerate(modules, start=1)
    )
    (course / "course.yml").write_text(
        f"slug: {SLUG}\ntitle: A large course for the benchmark\n"
        "summary: Two hundred long lessons.\nlanguage: en\nlevel: advanced\n"
        "estimated_hours: 40\nauthors: [Benchmark]\nlicence: CC-BY-4.0\n"
        f"modules:\n{outline}",
        encoding="utf-8",
    )
    for n in range(10):
        (course / "images" / f"chart-{n}.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="60">'
            f'<rect width="{10 * n + 10}" height="60"/></svg>\n',
            encoding="utf-8",
        )
    total = 0
    for number in range(1, lessons + 1):
        body = lesson_file(rng, number, lesson_ids)
        total += len(body.encode())
        (course / "lessons" / f"{lesson_ids[number - 1]}.md").write_text(body, encoding="utf-8")
    (root / "glossary.yml").write_text(
        "terms:\n"
        + "".join(
            f"  - id: {t}\n    term: {t.replace('-', ' ').capitalize()}\n"
            f"    definition: {sentence(rng)}\n"
            for t in GLOSSARY_TERMS
        ),
        encoding="utf-8",
    )
    return {"lessons": lessons, "bytes": total, "quizzes": lessons // QUIZ_EVERY}


def problems(result) -> str:
    shown = [str(p) for p in result.problems[:20]]
    more = len(result.problems) - len(shown)
    return "\n".join(shown + ([f"... and {more} more"] if more else []))


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def import_all(root: Path) -> tuple[list[importer.CourseReport], dict[str, float]]:
    """What ``flask courses import ROOT`` does: load, import everything, one commit.

    Returns the reports and the seconds spent loading, importing and committing."""
    split: dict[str, float] = {}
    start = time.perf_counter()
    result = load_courses(root)
    if result.problems:
        raise SystemExit(problems(result))
    split["load"] = time.perf_counter() - start
    start = time.perf_counter()
    if result.glossary is not None:
        importer.import_glossary(db.session, result.glossary)
    reports = [importer.import_course(db.session, c) for c in result.courses.values()]
    for programme in result.programmes.values():
        importer.import_programme(db.session, programme)
    split["import"] = time.perf_counter() - start
    start = time.perf_counter()
    db.session.commit()
    split["commit"] = time.perf_counter() - start
    return reports, split


def run(label: str, url: str, root: Path) -> dict[str, float]:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        validate_s, result = timed(lambda: load_courses(root))
        if result.problems:
            raise SystemExit(problems(result))
        first_s, (reports, first_split) = timed(lambda: import_all(root))
        assert [r.status for r in reports] == ["new"], reports
        again_s, (reports, again_split) = timed(lambda: import_all(root))
        assert [r.status for r in reports] == ["unchanged"], reports
        rows = {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (models.Lesson, models.LessonContent, models.QuizQuestion)
        }
        db.session.remove()
        db.engine.dispose()

    def parts(split: dict[str, float]) -> str:
        return ", ".join(f"{name} {seconds:.2f}" for name, seconds in split.items())

    verdict = "met" if first_s < TARGET_FIRST_IMPORT else "MISSED"
    print(f"\n{label}")
    print(f"  rows: {rows}")
    print(f"  (1) validation (load_courses)          {validate_s:6.2f} s")
    print(f"  (2) first import (load+import+commit)  {first_s:6.2f} s   ({parts(first_split)})")
    print(f"  (3) unchanged re-import                {again_s:6.2f} s   ({parts(again_split)})")
    print(f"  target: first import < {TARGET_FIRST_IMPORT:.0f} s: {verdict} ({first_s:.2f} s)")
    return {"validate": validate_s, "first": first_s, "again": again_s}


def run_postgres(server_url: str, root: Path) -> None:
    with scratch_postgres(server_url, "learning_bench") as (url, name):
        run(f"PostgreSQL (database {name}, dropped afterwards)", url, root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=200, help="default: 200")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also time on PostgreSQL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="learning-bench-") as tmp:
        os.environ.setdefault("INSTANCE_PATH", str(Path(tmp) / "instance"))
        root = Path(tmp) / "courses"
        root.mkdir()
        sizes = generate(root, args.lessons)
        print(
            f"Generated {sizes['lessons']} lessons, {sizes['bytes'] / 1e6:.1f} MB of Markdown "
            f"(~{sizes['bytes'] / sizes['lessons'] / 1000:.0f} KB each), "
            f"{sizes['quizzes']} quizzes of 5 questions."
        )
        run("SQLite (fresh file)", f"sqlite:///{Path(tmp) / 'bench.db'}", root)
        if args.postgres:
            run_postgres(args.postgres, root)


if __name__ == "__main__":
    main()

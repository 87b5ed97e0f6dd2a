"""Time the instructor analytics of a course with 100,000 learners, on SQLite and PostgreSQL.

    .venv/bin/python bench/analytics_bench.py
    .venv/bin/python bench/analytics_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/analytics_bench.py --learners 20000 --repeat 7

For each database: migrate a fresh one (a temporary SQLite file; a PostgreSQL database created
beside the one named and dropped afterwards), import "SSE in a nutshell", load it with
``flask dev seed-load``'s generator, then request each page through the Flask test client as
an admin, a few times, and print the median against the 1 s target. Measures and prints; never
fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("APP_ENV", "testing")
os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="analytics-bench-"))
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from scratch_database import scratch_postgres  # noqa: E402

from learning import create_app, importer  # noqa: E402
from learning.auth import sessions  # noqa: E402
from learning.content import load_course, load_glossary  # noqa: E402
from learning.extensions import db  # noqa: E402
from learning.instructor.analytics import DateRange  # noqa: E402
from learning.instructor.seed import analyse, seed_load  # noqa: E402
from learning.models import Course, Role, User  # noqa: E402

SLUG = "sse-in-a-nutshell"
TARGET = 1.0


def pages() -> list[tuple[str, str]]:
    """The pages timed; the seeded activity spans the last 365 days."""
    base = f"/instructor/courses/{SLUG}"
    rng = DateRange.last_days(365)
    year = f"?start={rng.start}&end={rng.end}"
    return [
        ("dashboard, last 30 days (default)", base),
        ("dashboard, last 365 days", base + year),
        ("quiz analytics, last 30 days (default)", f"{base}/quizzes"),
        ("quiz analytics, last 365 days", f"{base}/quizzes{year}"),
        ("learners, page 1", f"{base}/learners"),
        ("learners, search", f"{base}/learners?q=amina"),
    ]


def run(label: str, url: str, learners: int, repeat: int) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "MAIL_BACKEND": "memory", "SERVER_NAME": None,
                      "RATELIMIT_ENABLED": False})
    print(f"\n== {label}: {learners:,} learners ==")
    with app.app_context():
        upgrade()
        glossary, _ = load_glossary(ROOT / "courses" / "glossary.yml")
        importer.import_course(db.session, load_course(ROOT / "courses" / SLUG, glossary).course)
        db.session.commit()
        course = db.session.scalar(db.select(Course).filter_by(slug=SLUG))
        started = time.perf_counter()
        totals = seed_load(course, learners)
        analyse()
        seconds = time.perf_counter() - started
        rows = sum(totals.values())
        print(f"seed-load: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s): "
              + ", ".join(f"{t} {n:,}" for t, n in totals.items()))
        admin = User(email="bench-admin@example.org", full_name="Bench", role=Role.ADMIN)
        admin.set_password("not used for logging in")
        db.session.add(admin)
        db.session.commit()
        token = sessions.start(admin)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True
    print(f"{'page':44} {'median':>8} {'min':>8} {'max':>8}  target {TARGET:.0f} s")
    for name, path in pages():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        median = statistics.median(times)
        verdict = "ok" if median < TARGET else "MISSED"
        print(f"{name:44} {median:8.3f} {min(times):8.3f} {max(times):8.3f}  {verdict}")
    for name, path in [("export progress.csv (all learners)", "progress.csv"),
                       ("export attempts.csv (all attempts)", "attempts.csv")]:
        started = time.perf_counter()
        response = client.get(f"/instructor/courses/{SLUG}/export/{path}")
        size = sum(len(chunk) for chunk in response.response)
        print(f"{name:44} {time.perf_counter() - started:8.3f} s, {size / 1e6:.1f} MB streamed")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throw-away database is "
                        "created beside the one named")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="analytics-bench-") as folder:
            run("SQLite", f"sqlite:///{folder}/bench.db", args.learners, args.repeat)
    if args.postgres:
        with scratch_postgres(args.postgres, "analytics_bench") as (url, _name):
            run("PostgreSQL", url, args.learners, args.repeat)


if __name__ == "__main__":
    main()

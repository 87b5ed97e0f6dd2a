"""Time a lesson and its discussion with 10,000 posts under it, on SQLite and PostgreSQL.

    .venv/bin/python bench/discussion_bench.py
    .venv/bin/python bench/discussion_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

For each database: migrate a fresh one (a temporary SQLite file; a PostgreSQL database created
beside the one named and dropped afterwards), import "SSE in a nutshell", write 10,000 posts
under its first lesson in bulk (1,000 threads: 999 of five posts, and one of 5,005 so that a
thread's pages are timed too; helpful marks spread over the replies), then request each page
through the Flask test client, as a reader past the anonymous page cache and as a signed-in
learner, and print the median server time against the 50 ms target, with the statements each
page ran. Measures and prints; never fails.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("APP_ENV", "testing")
os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="discussion-bench-"))
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from scratch_database import scratch_postgres  # noqa: E402
from sqlalchemy import event, insert, select, text, update  # noqa: E402

from learning import create_app, importer  # noqa: E402
from learning.auth import sessions  # noqa: E402
from learning.content import load_course, load_glossary  # noqa: E402
from learning.content.render import render_post  # noqa: E402
from learning.extensions import db  # noqa: E402
from learning.models import (  # noqa: E402
    DiscussionPost,
    DiscussionThread,
    Lesson,
    User,
    utcnow,
)

SLUG = "sse-in-a-nutshell"
TARGET = 0.050
THREADS = 1_000
POSTS = 10_000
BIG_THREAD_POSTS = POSTS - (THREADS - 1) * 5
BODY = ("A cooperative in my region **shares its surplus** with its members, as the "
        "[ILO's Recommendation 193](https://www.ilo.org/) describes. How do others do it?")


def fill(course_id: int, lesson_id: int) -> int:
    """10,000 posts under the lesson, written in bulk with explicit ids; the big thread's id."""
    rng = random.Random(19)
    authors = []
    for n in range(200):
        user = User(email=f"poster{n}@example.org", full_name=f"Poster {n}",
                    email_confirmed_at=utcnow(), password_hash="-")
        db.session.add(user)
        authors.append(user)
    db.session.flush()
    html = render_post(BODY)
    start = utcnow() - timedelta(days=200)
    threads, posts = [], []
    post_id = 0
    for t in range(1, THREADS + 1):
        size = BIG_THREAD_POSTS if t == 1 else 5
        opened = start + timedelta(minutes=t * 200)
        for p in range(size):
            post_id += 1
            posts.append({
                "id": post_id, "thread_id": t, "course_id": course_id, "opening": p == 0,
                "author_id": rng.choice(authors).id, "body": BODY, "body_html": html,
                "status": "visible", "by_instructor": False, "report_count": 0,
                "helpful_count": rng.choice((0, 0, 0, 1, 2, 5)) if p else 0,
                "created_at": opened + timedelta(seconds=p * 7), "edited_at": None,
            })
        threads.append({
            "id": t, "lesson_id": lesson_id, "author_id": posts[-size]["author_id"],
            "title": f"Thread {t}: surpluses and members", "language": "en",
            "status": "visible", "reply_count": size - 1, "answer_id": None,
            "created_at": opened, "last_posted_at": posts[-1]["created_at"],
        })
    db.session.execute(insert(DiscussionThread), threads)
    for chunk in range(0, len(posts), 2_000):
        db.session.execute(insert(DiscussionPost), posts[chunk:chunk + 2_000])
    db.session.execute(update(Lesson).where(Lesson.id == lesson_id).values(
        thread_count=THREADS, discussion_changed_at=utcnow()))
    if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table in ("discussion_threads", "discussion_posts"):
            db.session.execute(text(
                f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    db.session.commit()
    # The statistics the database would have gathered by itself (autovacuum) after such a load.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    return 1


def run(label: str, url: str, repeat: int) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "MAIL_BACKEND": "memory", "SERVER_NAME": None,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        glossary, _ = load_glossary(ROOT / "courses" / "glossary.yml")
        importer.import_course(db.session, load_course(ROOT / "courses" / SLUG, glossary).course)
        db.session.commit()
        lesson = db.session.execute(
            select(Lesson).join(Lesson.course).where(Lesson.position == 1)).scalar_one()
        key, course_id, lesson_id = lesson.key, lesson.course_id, lesson.id
        started = time.perf_counter()
        big = fill(course_id, lesson_id)
        print(f"\n== {label}: {POSTS:,} posts in {THREADS:,} threads under one lesson "
              f"(written in {time.perf_counter() - started:.1f} s) ==")
        learner = db.session.scalar(select(User).filter_by(email="poster0@example.org"))
        token = sessions.start(learner)
        engine = db.engine
    reader = app.test_client()
    reader.set_cookie("seen", "1")  # a cookie: past the anonymous page cache, rendered
    signed_in = app.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True
    lesson_url = f"/courses/{SLUG}/lessons/{key}"
    discussion = f"{lesson_url}/discussion"
    pages = [
        ("lesson page", lesson_url),
        ("discussion, page 1", discussion),
        ("discussion, last page", f"{discussion}?page={THREADS // 20}"),
        (f"thread of {BIG_THREAD_POSTS:,} posts, page 1", f"{discussion}/{big}"),
        ("same, most helpful first", f"{discussion}/{big}?sort=helpful"),
        ("same, last page", f"{discussion}/{big}?page={BIG_THREAD_POSTS // 20}"),
    ]
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"{'page':36} {'reader':>8} {'learner':>8} {'queries':>8}  target {TARGET * 1000:.0f} ms")
    for name, path in pages:
        medians, queries = [], []
        for client in (reader, signed_in):
            times = []
            for _ in range(repeat):
                statements.clear()
                started = time.perf_counter()
                response = client.get(path)
                response.get_data()
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
            medians.append(statistics.median(times))
            queries.append(len(statements))
        verdict = "ok" if max(medians) < TARGET else "MISSED"
        print(f"{name:36} {medians[0] * 1000:6.1f}ms {medians[1] * 1000:6.1f}ms "
              f"{queries[0]:>3} / {queries[1]:<3}  {verdict}")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throw-away database is "
                        "created beside the one named")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="discussion-bench-") as folder:
            run("SQLite", f"sqlite:///{folder}/bench.db", args.repeat)
    if args.postgres:
        with scratch_postgres(args.postgres, "discussion_bench") as (url, _name):
            run("PostgreSQL", url, args.repeat)


if __name__ == "__main__":
    main()

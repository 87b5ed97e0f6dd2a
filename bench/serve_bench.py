"""How fast gunicorn serves lesson pages and quiz submissions, against a do-nothing ceiling.

    .venv/bin/python bench/serve_bench.py [--duration 10] [--connections 16] [--postgres URL]

Sets up a throw-away platform the way production runs it: a temporary instance folder, a fresh
SQLite file (or, with --postgres URL, a database of its own created on that server and dropped at
the end), ``flask db upgrade``, ``flask courses import courses`` and ``flask users create`` for a
learner, all with APP_ENV=production. It serves that with ``gunicorn -w 2`` (sync workers) on a
free 127.0.0.1 port, logs the learner in over HTTP and gives them some progress (an enrolment,
completed lessons, quiz attempts), then measures with wrk (default ``-t2 -c16 -d10s``):

(a) a long content lesson of "sse-in-a-nutshell", read anonymously;
(b) the same lesson, read by the logged-in learner (their session cookie);
(c) quiz submissions to a practice quiz with unlimited attempts (a fresh submission_token per
    request, so each one stores an attempt);
(d) the ceiling: a second ``gunicorn -w 2`` serving bench/ceiling_app.py, which returns the very
    bytes of the page fetched in (a) from memory;
(e) the floor: a third ``gunicorn -w 2`` serving bench/floor_app.py, this app with one more route
    that answers the logged-in learner with (b)'s page from memory, so that what the stack itself
    costs a logged-in request (session, log-in check, the user's query, headers) shows apart from
    the lesson's queries and template;
(a br), (b br): (a) and (b) again, asking for a compressed page as a browser does
    (``--accept-encoding``, default ``gzip, deflate, br, zstd``): what compressing costs a page
    kept by the anonymous page cache (nothing: compressed once) and a page built per request.

It prints requests/s, p50 and p99 for each, their ratio to the ceiling, the targets ((a) >= 50 %
of the ceiling, (b) >= 25 %, p99 < 25 ms at 16 connections), the lesson page's transfer size
(HTML + style.css + lesson.js, as the app sends them to a browser asking for gzip or brotli)
against 60 KB and the CPU time of compressing each page in this process. This is a benchmark, not
a test: it prints the figures and never fails on them. Servers, temporary files and the PostgreSQL
database are removed at the end, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from scratch_database import scratch_postgres  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from learning import compression  # noqa: E402
from learning.content import load_courses  # noqa: E402  (pure Python: no app, no database)
from learning.static_files import minify_css  # noqa: E402

COURSE = "sse-in-a-nutshell"
LEARNER_EMAIL = "learner@example.org"
LEARNER_PASSWORD = "bench password, long enough"
SECRET_KEY = "serve-bench-secret-key-not-for-production-0123456789abcdef"
USER_AGENT = "serve-bench/1.0"  # the same for urllib and wrk: Flask-Login ties the session to it
HIGH_LIMIT = "1000000 per minute"

TARGET_ANON = 0.50  # of the ceiling
TARGET_LEARNER = 0.25
TARGET_P99_MS = 25.0
TARGET_TRANSFER = 60 * 1024  # bytes, compressed
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium asks for

CSRF_INPUT = re.compile(r"<input[^>]*name=\"csrf_token\"[^>]*>")
VALUE = re.compile(r"value=\"([^\"]*)\"")

# Printed by every wrk run, parsed by run_wrk. Latencies are in microseconds.
REPORT_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50": %d, "p90": %d, "p99": %d, "max": %d, '
    .. '"mean": %f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""

GET_LUA = r"""
wrk.method = "GET"
wrk.headers["User-Agent"] = [==[%(agent)s]==]
%(cookie)s
%(encoding)s
"""

QUIZ_LUA = r"""
local next_thread = 1
setup = function(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

local counter = 0
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = [==[%(cookie)s]==],
  ["User-Agent"] = [==[%(agent)s]==],
}
local prefix = [==[csrf_token=%(csrf)s&submission_token=%(run)s-]==]
local suffix = [==[%(answers)s]==]

request = function()
  counter = counter + 1
  local body = prefix .. tid .. "-" .. counter .. suffix
  return wrk.format("POST", [==[%(path)s]==], headers, body)
end
"""


class Failed(RuntimeError):
    """A set-up step did not work; the message says which and why."""


class _Interrupted(BaseException):
    """SIGTERM or SIGHUP: unwind like Ctrl-C so that everything is cleaned up."""


def _on_signal(signum, _frame):
    raise _Interrupted(f"signal {signum}")


# --------------------------------------------------------------------------- set-up

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(database_url: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        APP_ENV="production",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(instance),
        SESSION_COOKIE_SECURE="false",
        FLASK_APP="learning",
        COURSES_PATH=str(ROOT / "courses"),
        MAIL_BACKEND="log",
        RATELIMIT_STORAGE_URI="memory://",
        LOGIN_RATE_LIMIT=HIGH_LIMIT,
        ACCOUNT_RATE_LIMIT=HIGH_LIMIT,
        RESET_RATE_LIMIT=HIGH_LIMIT,
        TRUSTED_PROXIES="0",
        PUBLIC_URL="http://127.0.0.1",  # the host name wrk and the set-up requests send
    )
    return env


def flask(env: dict[str, str], *args: str) -> str:
    command = [str(VENV_BIN / "flask"), *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise Failed(f"`flask {' '.join(args)}` failed ({done.returncode}):\n"
                     f"{done.stdout}{done.stderr}")
    return done.stdout


class Server:
    """A gunicorn master we started, in a process group of its own; stop() ends that group."""

    def __init__(self, name: str, app: str, env: dict[str, str], log: Path,
                 extra: tuple[str, ...] = ()):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = open(log, "wb")
        command = [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}",
                   *extra, app]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path: str = "/", timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failed(f"{self.name} exited with {self.process.returncode}:\n"
                             f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:
                    response.read()
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.1)
        raise Failed(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) used so far by the master and its workers; None off Linux."""
        try:
            ticks = 0
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/stat") as file:
                        fields = file.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # ended meanwhile
                # After the command: state, ppid, ..., utime (14th field) and stime (15th).
                if int(entry.name) == self.process.pid or int(fields[1]) == self.process.pid:
                    ticks += int(fields[11]) + int(fields[12])
            return ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the group this master leads
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log_file.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """urllib with a cookie jar; redirects are returned, not followed, so their status shows."""

    def __init__(self, base: str, jar: CookieJar | None = None):
        self.base = base
        self.jar = jar if jar is not None else CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | list | None = None, follow: bool = True,
                encoding: str | None = None):
        """(status, headers, body bytes as sent); follows redirects with GET when ``follow``;
        asks for a compressed body with ``encoding`` (an Accept-Encoding)."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"User-Agent": USER_AGENT}
        if encoding:
            headers["Accept-Encoding"] = encoding
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=30) as response:
                status, headers, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, content = error.code, error.headers, error.read()
        if follow and status in (301, 302, 303) and headers.get("Location"):
            location = urllib.parse.urljoin(self.base + path, headers["Location"])
            return self.request(location.removeprefix(self.base), follow=True)
        return status, headers, content

    def get(self, path: str):
        return self.request(path)

    def csrf(self, path: str) -> str:
        status, _, content = self.get(path)
        match = CSRF_INPUT.search(content.decode())
        if status != 200 or not match:
            raise Failed(f"no CSRF token on {path} (status {status})")
        return html.unescape(VALUE.search(match.group(0)).group(1))

    def post(self, path: str, fields: dict | list, csrf_from: str, follow: bool = True):
        token = self.csrf(csrf_from)
        items = [("csrf_token", token)] + (list(fields.items()) if isinstance(fields, dict)
                                           else list(fields))
        return self.request(path, items, follow=follow)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def answer_fields(quiz, right: bool) -> list[tuple[str, str]]:
    """Form fields for a quiz from the loaded course, as tests/test_learning.py builds them."""
    fields = []
    for q in quiz.questions:
        if q.kind in ("short_text", "numeric"):
            fields.append((q.id, q.accepted[0] if right else "999999 not it"))
        elif right:
            fields.extend((q.id, c.id) for c in q.choices if c.correct)
        else:
            fields.append((q.id, next(c.id for c in q.choices if not c.correct)))
    return fields


def pick_lessons():
    """The longest content lesson of the course, a practice quiz with unlimited attempts, and
    the graded quiz, all from the loader (what the import stored)."""
    result = load_courses(ROOT / "courses")
    if result.problems:
        raise Failed("the bundled courses do not load:\n" + "\n".join(map(str, result.problems)))
    course = result.courses[COURSE]
    versions = {key: lesson.versions[course.language] for key, lesson in course.lessons.items()}
    reading = max((k for k, v in versions.items() if v.quiz is None),
                  key=lambda k: len(versions[k].html))
    practice = next(k for k, v in versions.items()
                    if v.quiz is not None and not v.quiz.graded and v.quiz.max_attempts is None)
    graded = next(k for k, v in versions.items() if v.quiz is not None and v.quiz.graded)
    return course, reading, (practice, versions[practice].quiz), (graded, versions[graded].quiz)


def give_progress(browser: Browser, course, practice, graded) -> dict[str, int]:
    """Enrol, complete the first lessons, take the practice quiz and fail the graded one twice."""
    base = f"/courses/{COURSE}"
    counts = {"completed": 0, "attempts": 0}
    status, _, _ = browser.post(f"{base}/enrol", {}, csrf_from=base, follow=False)
    if status != 302:
        raise Failed(f"enrolling answered {status}")
    practice_key, practice_quiz = practice
    graded_key, graded_quiz = graded
    keys = list(course.lessons)
    for key in keys[: keys.index(practice_key) + 2]:
        lesson = f"{base}/lessons/{key}"
        if key == practice_key:
            for right in (False, True):
                status, headers, _ = browser.post(
                    f"{lesson}/quiz",
                    [("submission_token", secrets.token_urlsafe(12))]
                    + answer_fields(practice_quiz, right),
                    csrf_from=lesson, follow=False)
                if status != 302 or "/attempts/" not in headers.get("Location", ""):
                    raise Failed(f"a practice attempt answered {status}")
                counts["attempts"] += 1
        status, _, _ = browser.post(f"{lesson}/complete", {}, csrf_from=lesson, follow=False)
        if status != 302:
            raise Failed(f"completing {key} answered {status}")
        counts["completed"] += 1
    lesson = f"{base}/lessons/{graded_key}"
    for _ in range(2):
        status, _, _ = browser.post(
            f"{lesson}/quiz",
            [("submission_token", secrets.token_urlsafe(12))] + answer_fields(graded_quiz, False),
            csrf_from=lesson, follow=False)
        if status != 302:
            raise Failed(f"a graded attempt answered {status}")
        counts["attempts"] += 1
    # Read a page so that no flashed message is left in the session wrk will replay.
    browser.get(base)
    return counts


# --------------------------------------------------------------------------- measuring

def run_wrk(url: str, script: str, workdir: Path, args, label: str, duration: float) -> dict:
    path = workdir / f"{label}.lua"
    path.write_text(script + REPORT_LUA)
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration:g}s",
               "--latency", "-s", str(path), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if args.verbose:
        print(f"--- wrk {label}: {' '.join(command)}\n{done.stdout}{done.stderr}")
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise Failed(f"wrk failed for {label} ({done.returncode}):\n{done.stdout}{done.stderr}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def measure(server: Server, path: str, script: str, workdir: Path, args, label: str) -> dict:
    """A warm-up run, then the measured one; adds the server's CPU milliseconds per request."""
    if args.warmup > 0:
        run_wrk(server.url + path, script, workdir, args, label + "-warmup", args.warmup)
    before = server.cpu_seconds()
    result = run_wrk(server.url + path, script, workdir, args, label, args.duration)
    after = server.cpu_seconds()
    result["cpu_ms"] = (
        (after - before) * 1000 / result["requests"]
        if before is not None and after is not None and result["requests"] else None
    )
    return result


def get_script(cookie: str | None, encoding: str | None = None) -> str:
    header = f'wrk.headers["Cookie"] = [==[{cookie}]==]' if cookie else ""
    accept = f'wrk.headers["Accept-Encoding"] = [==[{encoding}]==]' if encoding else ""
    return GET_LUA % {"agent": USER_AGENT, "cookie": header, "encoding": accept}


def cpu_ms(work, repeat: int = 200) -> float:
    """Median CPU milliseconds of ``work()`` in this process, over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return sorted(times)[len(times) // 2] * 1000


def quiz_script(cookie: str, csrf: str, path: str, quiz, run: str) -> str:
    answers = "&" + urllib.parse.urlencode(answer_fields(quiz, right=False))
    return QUIZ_LUA % {"cookie": cookie, "agent": USER_AGENT, "path": path, "run": run,
                       "csrf": urllib.parse.quote(csrf, safe=""), "answers": answers}


def count_attempts(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(text("quiz_attempts"))).scalar()
    finally:
        engine.dispose()


def errors_of(result: dict) -> str:
    parts = [f"{name} {result[name]}" for name in ("connect", "read", "write", "timeout", "status")
             if result[name]]
    return ", ".join(parts) if parts else "none"


# --------------------------------------------------------------------------- the run

def bench(args, database_url: str, label: str, stack: ExitStack) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    stack.callback(shutil.rmtree, tmp, ignore_errors=True)
    instance = tmp / "instance"
    instance.mkdir()
    env = app_environment(database_url, instance)
    course, reading, practice, graded = pick_lessons()

    print(f"== {label}")
    started = time.monotonic()
    flask(env, "db", "upgrade")
    flask(env, "courses", "import", "courses")
    flask(env, "users", "create", LEARNER_EMAIL, "--name", "Bench Learner",
          "--password", LEARNER_PASSWORD)
    print(f"set-up: migrated, imported {len(load_courses(ROOT / 'courses').courses)} courses, "
          f"created {LEARNER_EMAIL} in {time.monotonic() - started:.1f} s")

    app = Server("the app's gunicorn", "learning:create_app()", env, tmp / "app.log")
    stack.callback(app.stop)
    app.wait_ready("/")

    # Log in like a browser: the CSRF token comes from the form, the cookie stays in the jar.
    browser = Browser(app.url)
    status, headers, _ = browser.post("/login", {"email": LEARNER_EMAIL,
                                                 "password": LEARNER_PASSWORD},
                                      csrf_from="/login", follow=False)
    if status != 302:
        raise Failed(f"logging in answered {status}, not a redirect")
    progress = give_progress(browser, course, practice, graded)
    cookie = browser.cookie_header()
    print(f"learner: logged in, {progress['completed']} lessons completed, "
          f"{progress['attempts']} quiz attempts (through HTTP)")

    lesson_path = f"/courses/{COURSE}/lessons/{reading}"
    practice_key, practice_quiz = practice
    quiz_page = f"/courses/{COURSE}/lessons/{practice_key}"

    # What each measured request gets, checked once before measuring.
    anonymous = Browser(app.url)
    status, anon_headers, page = anonymous.get(lesson_path)
    if status != 200:
        raise Failed(f"{lesson_path} answered {status} to an anonymous reader")
    status, learner_headers, learner_page = browser.request(lesson_path, follow=False)
    if status != 200 or b'action="/logout"' not in learner_page:
        raise Failed(f"{lesson_path} answered {status} to the learner, or not as logged in")
    csrf = browser.csrf(quiz_page)
    if browser.cookie_header() != cookie:
        cookie = browser.cookie_header()
    status, quiz_headers, _ = browser.request(
        f"{quiz_page}/quiz",
        [("csrf_token", csrf), ("submission_token", "check-" + secrets.token_hex(4))]
        + answer_fields(practice_quiz, right=False),
        follow=False)
    if status != 302 or "/attempts/" not in quiz_headers.get("Location", ""):
        raise Failed(f"a quiz submission answered {status} {quiz_headers.get('Location')}")
    for what, hdrs in (("(a)", anon_headers), ("(b)", learner_headers), ("(c)", quiz_headers)):
        if hdrs.get("Set-Cookie"):
            print(f"note: {what} responses set a cookie: {hdrs.get('Set-Cookie')[:60]}...")

    body_file = tmp / "lesson.html"
    body_file.write_bytes(page)
    ceiling_env = dict(os.environ, CEILING_BODY_FILE=str(body_file))
    ceiling = Server("the ceiling's gunicorn", "ceiling_app:app", ceiling_env, tmp / "ceiling.log",
                     extra=("--pythonpath", str(BENCH)))
    stack.callback(ceiling.stop)
    ceiling.wait_ready("/")
    learner_file = tmp / "learner-lesson.html"
    learner_file.write_bytes(learner_page)
    floor = Server("the floor's gunicorn", "floor_app:app",
                   dict(env, FLOOR_BODY_FILE=str(learner_file)), tmp / "floor.log",
                   extra=("--pythonpath", str(BENCH)))
    stack.callback(floor.stop)
    floor.wait_ready("/")
    floor_path = "/bench/floor"
    # The learner's session works there too (same key, same database), or it would redirect.
    status, _, floor_page = Browser(floor.url, browser.jar).request(floor_path, follow=False)
    if status != 200 or floor_page != learner_page:
        raise Failed(f"the floor answered {status} to the learner, not the page")

    print(f"measuring: wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s --latency "
          f"(after a {args.warmup:g} s warm-up each); gunicorn -w 2 (sync) for the app, the "
          f"ceiling and the floor")
    load_before = os.getloadavg()[0]
    results = {}
    results["a"] = measure(app, lesson_path, get_script(None), tmp, args, "a-anonymous")
    results["a br"] = measure(app, lesson_path, get_script(None, args.accept_encoding), tmp, args,
                              "a-anonymous-compressed")
    results["b"] = measure(app, lesson_path, get_script(cookie), tmp, args, "b-learner")
    results["b br"] = measure(app, lesson_path, get_script(cookie, args.accept_encoding), tmp,
                              args, "b-learner-compressed")
    before = count_attempts(database_url)
    results["c"] = measure(app, f"{quiz_page}/quiz",
                           quiz_script(cookie, csrf, f"{quiz_page}/quiz", practice_quiz,
                                       secrets.token_hex(3)),
                           tmp, args, "c-quiz")
    stored = count_attempts(database_url) - before
    results["d"] = measure(ceiling, lesson_path, get_script(None), tmp, args, "d-ceiling")
    results["e"] = measure(floor, floor_path, get_script(cookie), tmp, args, "e-floor")
    load_after = os.getloadavg()[0]

    rows = [
        ("a", f"lesson, anonymous ({reading})", TARGET_ANON),
        ("a br", "the same, compressed (page cache)", TARGET_ANON),
        ("b", "lesson, logged-in learner", TARGET_LEARNER),
        ("b br", "the same, compressed per request", TARGET_LEARNER),
        ("c", f"quiz POST ({practice_key})", None),
        ("d", "ceiling (same bytes, no app)", None),
        ("e", "floor: logged-in, page from memory", None),
    ]
    ceiling_rps = results["d"]["rps"]
    print()
    print(f"{'':7}{'case':40}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'/ceiling':>10}"
          f"{'CPU ms/req':>12}  {'target':36}errors")
    for key, name, share in rows:
        r = results[key]
        ratio = r["rps"] / ceiling_rps if ceiling_rps else 0.0
        p50, p99 = r["p50"] / 1000, r["p99"] / 1000
        if key in ("d", "e"):
            target = "-"
        else:
            checks = []
            if share is not None:
                checks.append(f">= {share:.0%} {'ok' if ratio >= share else 'MISSED'}")
            fast = "ok" if p99 < TARGET_P99_MS else "MISSED"
            checks.append(f"p99 < {TARGET_P99_MS:.0f} ms {fast}")
            target = ", ".join(checks)
        cpu = f"{r['cpu_ms']:.2f}" if r["cpu_ms"] is not None else "-"
        print(f"{'(' + key + ')':7}{name:40}{r['rps']:9.0f}{p50:9.2f}{p99:9.2f}{ratio:10.0%}"
              f"{cpu:>12}  {target:36}{errors_of(r)}")
    print("(e) is this app answering the learner with (b)'s page from memory (bench/floor_app.py): "
          "what any logged-in page costs before its own queries and template")
    print("CPU ms/req: user + system time of the gunicorn master and workers per request "
          "(what the app costs, whatever else the machine runs)")
    print(f"load average (1 min): {load_before:.2f} before measuring, {load_after:.2f} after, "
          f"on {os.cpu_count()} CPUs; wrk itself uses CPU on this machine too")
    print(f"(c) stored {stored} attempts for {results['c']['requests']} requests counted by wrk "
          f"(non-2xx/3xx: {results['c']['status']}; requests in flight when wrk stops are stored "
          f"but not counted)")

    print(f"(a br), (b br): Accept-Encoding: {args.accept_encoding}; their ratio is to the same "
          f"ceiling, which sends the uncompressed page")
    print()
    transfer_sizes(anonymous, browser, lesson_path, page, learner_page)


def transfer_sizes(anonymous: Browser, learner: Browser, lesson_path: str, page: bytes,
                   learner_page: bytes) -> None:
    """What a first visit downloads, as the app sends it to a browser asking for nothing, for
    gzip, or for brotli too; and what compressing costs, timed here on the same bytes."""
    asks = {"identity": None, "gzip": "gzip", "brotli": BROWSER_ENCODINGS}
    files = {"lesson HTML (anonymous)": (anonymous, lesson_path),
             "style.css": (anonymous, "/static/style.css"),
             "lesson.js": (anonymous, "/static/lesson.js")}
    print("transfer size of the lesson page, as the app sends it:")
    print(f"  {'':28}" + "".join(f"{name:>12}" for name in asks))
    totals = dict.fromkeys(asks, 0)
    for name, (client, path) in {**files, "lesson HTML (learner)": (learner, lesson_path)}.items():
        sizes = {}
        for ask, encoding in asks.items():
            status, headers, content = client.request(path, follow=False, encoding=encoding)
            sent = headers.get("Content-Encoding") or "identity"
            if status != 200 or sent != {"identity": "identity", "gzip": "gzip",
                                         "brotli": "br"}[ask]:
                raise Failed(f"{path} answered {status} in {sent} when asked for {ask}")
            sizes[ask] = len(content)
            if name in files:
                totals[ask] += len(content)
        print(f"  {name:28}" + "".join(f"{size:>10,} B" for size in sizes.values()))
    verdict = "ok" if totals["gzip"] <= TARGET_TRANSFER else "MISSED"
    print(f"  {'total (anonymous page)':28}" + "".join(f"{t:>10,} B" for t in totals.values())
          + f"  = {totals['gzip'] / 1024:.1f} KB gzip, {totals['brotli'] / 1024:.1f} KB brotli;"
          f" target <= {TARGET_TRANSFER // 1024} KB: {verdict}")

    source = (ROOT / "static" / "style.css").read_bytes()
    minified = minify_css(source.decode()).encode()
    print("style.css minified (what the app sends), each compressed at the best quality:")
    for name, data in (("as written", source), ("minified", minified)):
        print(f"  {name:28}{len(data):>10,} B"
              + "".join(f"{len(compression.compress(data, coding, best=True)):>10,} B"
                        for coding in ("gzip", "br")))
    print()
    print("CPU time of compressing, in this process (median of 200):")
    per_request = {coding: cpu_ms(lambda c=coding: compression.compress(learner_page, c))
                   for coding in ("br", "gzip")}
    print(f"  the learner's lesson, per request: brotli {compression.DYNAMIC['br']} "
          f"{per_request['br']:.3f} ms, gzip {compression.DYNAMIC['gzip']} "
          f"{per_request['gzip']:.3f} ms")
    once = cpu_ms(lambda: compression.precompress(page), repeat=20)
    print(f"  the anonymous lesson, once when the page cache keeps it: {once:.1f} ms (brotli "
          f"{compression.BEST['br']} and gzip {compression.BEST['gzip']}); per hit: none")
    static = cpu_ms(lambda: compression.precompress(minified), repeat=20)
    print(f"  style.css, once per process and version: {static:.1f} ms")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--warmup", type=float, default=2,
                        help="seconds of unmeasured wrk before each run (2; 0 for none)")
    parser.add_argument("--postgres", metavar="URL",
                        help="run on PostgreSQL instead of SQLite: a database is created on this "
                             "server and dropped afterwards, e.g. "
                             "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--accept-encoding", default=BROWSER_ENCODINGS,
                        help=f"Accept-Encoding of (a br) and (b br) ({BROWSER_ENCODINGS!r})")
    parser.add_argument("--verbose", action="store_true", help="also print wrk's own output")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2

    # Ctrl-C even when started in the background (where a shell may have ignored SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    with ExitStack() as stack:
        try:
            if args.postgres:
                # Dropped after the servers (registered later) have stopped.
                url, name = stack.enter_context(scratch_postgres(args.postgres, "serve_bench"))
                bench(args, url, f"PostgreSQL (database {name}, dropped afterwards)", stack)
            else:
                tmp = Path(tempfile.mkdtemp(prefix="serve-bench-db-"))
                stack.callback(shutil.rmtree, tmp, ignore_errors=True)
                bench(args, f"sqlite:///{tmp / 'learning.db'}", "SQLite (fresh file)", stack)
        except Failed as error:
            print(f"serve_bench: {error}", file=sys.stderr)
            return 1
        except (KeyboardInterrupt, _Interrupted):
            print("\nserve_bench: interrupted; cleaning up", file=sys.stderr)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

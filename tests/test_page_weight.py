"""Every kind of page, with the stylesheets and scripts it loads, stays under 60 KB compressed.

Issue 17's bar for a phone on a slow line. The size is what gzip (level 6, what servers use by
default) makes of each body, computed here, so the figure does not depend on whether or how the
app compresses its responses. Images and fonts are not counted: the bar is the HTML "with its
CSS and JS". The pages are built on all the bundled courses, as a fresh `make run` serves them.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli
import pytest

from learning import importer
from learning.content import CoursesResult, load_courses
from learning.extensions import db

from .support import QUIZ_LESSON, SLUG, Auth, FormClient, add_user
from .test_certificates import complete_course

BUDGET = 60 * 1024
COURSES = Path(__file__).resolve().parents[1] / "courses"
COURSE = f"/courses/{SLUG}"
ORIGIN = "http://localhost"  # the test client's host (tests/conftest.py)


@cache
def bundled() -> CoursesResult:
    """The courses, glossary and programmes of courses/, loaded once per run."""
    result = load_courses(COURSES)
    assert [str(p) for p in result.problems] == []
    return result


def import_bundled_courses(app) -> None:
    """Import courses/ as `flask courses import` does (the same importer calls, in one go)."""
    result = bundled()
    with app.app_context():
        importer.import_glossary(db.session, result.glossary)
        for course in result.courses.values():
            importer.import_course(db.session, course)
        for programme in result.programmes.values():
            importer.import_programme(db.session, programme)
        db.session.commit()


class Assets(HTMLParser):
    """The stylesheets and scripts a page makes the browser fetch (preloads included)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = set((attrs.get("rel") or "").lower().split())
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and (
            "stylesheet" in rel or "modulepreload" in rel
            or ("preload" in rel and attrs.get("as") in ("style", "script"))
        ):
            self.urls.append(attrs["href"])


CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


def fetch(client, url: str):
    """The status, type and body of a GET, the body as it was before any content coding."""
    with client.get(url) as response:  # closes a static file
        data = response.get_data()
        coding = response.headers.get("Content-Encoding", "identity")
        return response.status_code, response.mimetype, decoded(data, coding)


def decoded(data: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.decompress(data)
    if coding == "br":
        return brotli.decompress(data)
    assert coding == "identity", f"unexpected Content-Encoding {coding}"
    return data


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def weigh(client, path: str) -> tuple[int, list[tuple[str, int, int]]]:
    """The page's total compressed size, and (url, raw, compressed) for it and each asset."""
    status, _, html = fetch(client, path)
    assert status == 200, f"{path} answered {status}"
    parts = [(path, len(html), gzipped(html))]
    parser = Assets()
    parser.feed(html.decode())
    queue = [urljoin(ORIGIN + path, url) for url in parser.urls]
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen or not url.startswith(ORIGIN + "/"):
            continue  # other origins are not served from here (the CSP allows none anyway)
        seen.add(url)
        status, mimetype, data = fetch(client, url)
        assert status == 200, f"{url}, on {path}, answered {status}"
        parts.append((urlsplit(url).path, len(data), gzipped(data)))
        if mimetype == "text/css":
            queue += [urljoin(url, found) for found in CSS_IMPORT.findall(data.decode())]
    return sum(compressed for _, _, compressed in parts), parts


def _anonymous(path: str) -> Callable:
    return lambda client, app: path


def _signed_in(path: str) -> Callable:
    def visit(client, app):
        add_user(app)
        Auth(client).login()
        return path
    return visit


def _dashboard(client, app):
    add_user(app)
    complete_course(app)  # a course finished, its certificate earned: the fullest dashboard
    Auth(client).login()
    return "/dashboard"


def _certificate_check(client, app):
    add_user(app)
    return f"/certificates/{complete_course(app)}"


PAGES: dict[str, Callable] = {
    "home": _anonymous("/"),
    "catalogue": _anonymous("/courses"),
    "course": _anonymous(COURSE),
    "content lesson": _anonymous(f"{COURSE}/lessons/what-is-the-sse"),
    "quiz lesson": _anonymous(f"{COURSE}/lessons/{QUIZ_LESSON}"),
    "quiz lesson, signed in": _signed_in(f"{COURSE}/lessons/{QUIZ_LESSON}"),
    "quiz lesson, Arabic interface": _anonymous(f"{COURSE}/lessons/{QUIZ_LESSON}?lang=ar"),
    "glossary": _anonymous("/glossary"),
    "dashboard": _dashboard,
    "certificate check": _certificate_check,
    "login": _anonymous("/login"),
    "register": _anonymous("/register"),
}


@pytest.mark.parametrize("what", PAGES)
def test_the_page_with_its_css_and_js_weighs_under_60_kb_compressed(app, what):
    import_bundled_courses(app)
    client = FormClient(app.test_client())
    path = PAGES[what](client, app)
    total, parts = weigh(client, path)
    table = "\n".join(f"  {url}: {raw / 1024:.1f} KB, {compressed / 1024:.1f} KB gzipped"
                      for url, raw, compressed in parts)
    print(f"{what}: {total / 1024:.1f} KB gzipped\n{table}")
    assert total < BUDGET, (
        f"{what} weighs {total / 1024:.1f} KB gzipped with its CSS and JS "
        f"(budget {BUDGET // 1024} KB):\n{table}")

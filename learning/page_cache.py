"""Lesson pages as anonymous readers see them, served from each app server's memory.

A WSGI middleware around the whole app (built in ``create_app``); the lesson view only says
which responses it may keep (``mark_cacheable``).

Most readers have no account (awareness is the goal), and what a reader without any cookie sees of
a lesson depends only on the address, the language their browser asks for and the course's
content and its discussion. So the first such request for a page is rendered by Flask as usual
and its response kept; the next ones are answered here, before Flask, without a query. Once a
second at most, each server reads the content hashes of all courses and the lessons whose
discussion changed lately (one small query): when an import changed a course, every kept page
is dropped; when a post or a moderation changed the discussion under a lesson
(``Lesson.discussion_changed_at``), that lesson's kept pages are. Nothing else is ever kept:
requests with a cookie (a session, "remember me", a flashed message) always go to Flask, and
only responses the lesson view marks as the same for everyone (``mark_cacheable``) are stored.

A page is kept with its brotli and gzip bytes, compressed once at the best quality when it enters
the cache (compression.py), so a hit only picks the bytes the browser accepts. A HEAD is answered
as that GET, without its body.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from datetime import datetime, timedelta

from flask import Flask, request
from sqlalchemy import and_, select
from werkzeug.http import parse_etags, unquote_etag

from . import compression
from .extensions import db
from .i18n import browser_language
from .models import Course, Lesson, utcnow

CACHEABLE = "learning.anonymous_page"
# Set on the requests whose page the middleware may keep: it compresses those itself.
KEEPING = "learning.page_cache.keeping"
# The addresses of the lesson view (learn.lesson), the only pages kept: others pass straight on.
LESSON_PATH = re.compile(r"^/courses/[^/]+/lessons/[^/]+$")
# How far apart the clocks of the app servers that stamp discussions may be.
CLOCK_MARGIN = timedelta(seconds=60)


def mark_cacheable() -> None:
    """Say, from a view, that this response is the same for every reader without a cookie."""
    request.environ[CACHEABLE] = True
    if request.environ.get(KEEPING):
        # Flask leaves it uncompressed: the middleware compresses what it keeps, once.
        request.environ[compression.DEFERRED] = True


class AnonymousPageCache:
    """WSGI middleware around the Flask app: a small, thread-safe LRU of whole responses."""

    def __init__(self, app: Flask, wsgi_app, max_pages: int = 1000):
        self.app = app
        self.wsgi_app = wsgi_app
        self.max_pages = max_pages
        self.recheck_seconds = app.config["ANONYMOUS_PAGE_RECHECK_SECONDS"]
        self.compress = app.config["COMPRESSION"]
        # Per page: its headers and bytes per content coding (None: identity), and its ETag.
        self._pages: OrderedDict[tuple, tuple[dict, str | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._content: tuple | None = None
        self._checked_at = float("-inf")
        # The discussions' stamps seen lately, by lesson, and when the database was last read.
        self._discussion_stamps: dict[int, datetime] = {}
        self._discussions_checked_at = datetime.min + CLOCK_MARGIN

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or environ.get("HTTP_COOKIE") or (
            not LESSON_PATH.match(environ.get("PATH_INFO", ""))
        ):
            return self.wsgi_app(environ, start_response)
        self._drop_pages_if_content_changed()
        language = browser_language(environ.get("HTTP_ACCEPT_LANGUAGE"), self.app.config)
        key = (environ.get("HTTP_HOST"), environ.get("PATH_INFO"),
               environ.get("QUERY_STRING"), language)
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
        if kept is None and method == "HEAD":
            # Answered as the GET it asks about, so that it says that GET's Content-Length.
            environ["REQUEST_METHOD"] = "GET"
            body = self._render_and_keep(key, environ, start_response)
            if hasattr(body, "close"):
                body.close()
            return []
        if kept is None:
            return self._render_and_keep(key, environ, start_response)
        variants, etag = kept
        coding = compression.negotiate(environ.get("HTTP_ACCEPT_ENCODING"))
        headers, body = variants.get(coding) or variants[None]
        if etag and parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(etag):
            start_response("304 Not Modified", [h for h in headers if h[0] in ("ETag", "Vary",
                                                                               "Cache-Control")])
            return []
        start_response("200 OK", headers)
        return [body] if method == "GET" else []

    def _render_and_keep(self, key, environ, start_response):
        captured, written = {}, []

        def capture(status, headers, exc_info=None):
            if not environ.get(CACHEABLE):
                return start_response(status, headers, exc_info)
            captured["status"], captured["headers"] = status, headers  # answered below
            return written.append

        environ[KEEPING] = self.compress
        body = self.wsgi_app(environ, capture)
        if not captured:
            return body
        try:
            data = b"".join([*written, *body])
        finally:
            if hasattr(body, "close"):
                body.close()
        status, headers = captured["status"], captured["headers"]
        # Flask left the body of a page marked for keeping as it was (compression.DEFERRED).
        compressing = environ.get(compression.DEFERRED)
        coding = compression.negotiate(environ.get("HTTP_ACCEPT_ENCODING")) if compressing else None
        if not status.startswith("200 ") or any(name.lower() == "set-cookie"
                                                for name, _ in headers):
            headers, data = compression.encoded(headers, data, coding)  # not kept: this once
        else:
            variants = (compression.variants(headers, data) if compressing
                        else {None: (headers, data)})
            etag = next((value for name, value in headers if name == "ETag"), None)
            with self._lock:
                self._pages[key] = (variants, etag and unquote_etag(etag)[0])
                while len(self._pages) > self.max_pages:
                    self._pages.popitem(last=False)
            headers, data = variants.get(coding) or variants[None]
        start_response(status, headers)
        return [data]

    def _drop_pages_if_content_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < self.recheck_seconds:
            return
        wall = utcnow()
        with self.app.app_context():  # each course, with its lessons discussed lately
            rows = db.session.execute(
                select(Course.id, Course.content_hash, Course.slug, Lesson.key, Lesson.id,
                       Lesson.discussion_changed_at)
                .outerjoin(Lesson, and_(
                    Lesson.course_id == Course.id,
                    Lesson.discussion_changed_at > self._discussions_checked_at - CLOCK_MARGIN))
                .order_by(Course.id)).all()
        content = tuple(dict.fromkeys((row[0], row[1]) for row in rows))
        with self._lock:
            self._checked_at = now
            self._discussions_checked_at = wall
            if content != self._content:
                self._content = content
                self._pages.clear()
            self._drop_discussed([row[2:] for row in rows if row[4] is not None], wall)

    def _drop_discussed(self, discussed, wall) -> None:
        """Drop the kept pages of the lessons whose discussion changed since last seen."""
        paths = set()
        for slug, key, lesson_id, stamp in discussed:
            if self._discussion_stamps.get(lesson_id) != stamp:
                self._discussion_stamps[lesson_id] = stamp
                paths.add(f"/courses/{slug}/lessons/{key}")
        if paths:
            for key in [key for key in self._pages if key[1] in paths]:
                del self._pages[key]
        for lesson_id, stamp in list(self._discussion_stamps.items()):
            if stamp < wall - 2 * CLOCK_MARGIN:
                del self._discussion_stamps[lesson_id]

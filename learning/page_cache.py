"""Lesson pages as anonymous readers see them, served from each app server's memory.

A WSGI middleware around the whole app (built in ``create_app``); the lesson view only says
which responses it may keep (``mark_cacheable``).

Most readers have no account (awareness is the goal), and what a reader without any cookie sees of
a lesson depends only on the address, the language their browser asks for and the course's
content. So the first such request for a page is rendered by Flask as usual and its response
kept; the next ones are answered here, before Flask, without a query. Once a second at most, each
server reads the content hashes of all courses (one small query): when an import changed any of
them, every kept page is dropped. Nothing else is ever kept: requests with a cookie (a session,
"remember me", a flashed message) always go to Flask, and only responses the lesson view marks
as the same for everyone (``mark_cacheable``) are stored.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict

from flask import Flask, request
from sqlalchemy import select
from werkzeug.http import parse_etags, unquote_etag

from .extensions import db
from .i18n import browser_language
from .models import Course

CACHEABLE = "learning.anonymous_page"
# The addresses of the lesson view (learn.lesson), the only pages kept: others pass straight on.
LESSON_PATH = re.compile(r"^/courses/[^/]+/lessons/[^/]+$")


def mark_cacheable() -> None:
    """Say, from a view, that this response is the same for every reader without a cookie."""
    request.environ[CACHEABLE] = True


class AnonymousPageCache:
    """WSGI middleware around the Flask app: a small, thread-safe LRU of whole responses."""

    def __init__(self, app: Flask, wsgi_app, max_pages: int = 1000):
        self.app = app
        self.wsgi_app = wsgi_app
        self.max_pages = max_pages
        self.recheck_seconds = app.config["ANONYMOUS_PAGE_RECHECK_SECONDS"]
        self._pages: OrderedDict[tuple, tuple[list, bytes, str | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._content: tuple | None = None
        self._checked_at = float("-inf")

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_COOKIE") or (
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
        if kept is None:
            return self._render_and_keep(key, environ, start_response)
        headers, body, etag = kept
        if etag and parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains(etag):
            start_response("304 Not Modified", [h for h in headers if h[0] in ("ETag", "Vary",
                                                                               "Cache-Control")])
            return []
        start_response("200 OK", headers)
        return [body]

    def _render_and_keep(self, key, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        if not environ.get(CACHEABLE) or not captured.get("status", "").startswith("200 ") or (
            any(name.lower() == "set-cookie" for name, _ in captured["headers"])
        ):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = list(captured["headers"])
        etag = next((value for name, value in headers if name == "ETag"), None)
        with self._lock:
            self._pages[key] = (headers, data, etag and unquote_etag(etag)[0])
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        return [data]

    def _drop_pages_if_content_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < self.recheck_seconds:
            return
        with self.app.app_context():
            content = tuple(db.session.execute(
                select(Course.id, Course.content_hash).order_by(Course.id)).all())
        with self._lock:
            self._checked_at = now
            if content != self._content:
                self._content = content
                self._pages.clear()

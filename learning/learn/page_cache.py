"""Lesson pages as anonymous readers see them, kept in each app server's memory.

Most readers have no account (awareness is the goal), and what they see of a lesson depends only
on the course's content, the page's address and the language. Keying on the course's content hash,
which every import that changes anything updates, means a page is never served stale on any number
of app servers: each reads the hash with one small query and renders again only after an import
changed the course.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask


class PageCache:
    """A small, thread-safe LRU mapping of keys to rendered pages."""

    def __init__(self, max_pages: int = 1000):
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> str | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: str) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def anonymous_lessons(app: Flask) -> PageCache:
    """The app's cache (one per app, so apps with other settings never share pages)."""
    return app.extensions.setdefault("anonymous_lessons", PageCache())

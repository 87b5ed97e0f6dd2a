"""The ceiling for serve_bench.py: a WSGI app that only returns bytes it holds in memory.

    CEILING_BODY_FILE=page.html gunicorn -w 2 -b 127.0.0.1:PORT --pythonpath bench ceiling_app:app

It answers every request with the same HTML (the lesson page serve_bench.py fetched from the real
app), with no routing, database, session or template: what gunicorn's sync workers manage on this
machine when the application costs nothing. serve_bench.py starts and stops it.
"""

from __future__ import annotations

import os

with open(os.environ["CEILING_BODY_FILE"], "rb") as _file:
    BODY = _file.read()

HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]

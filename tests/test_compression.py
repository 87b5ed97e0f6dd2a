"""Pages and static text go out compressed as the browser accepts (brotli, else gzip, else as
they are), read the same once decoded, and keep their conditional requests; a kept lesson page
and a static file are compressed once, never per request."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from flask import Response
from werkzeug.test import EnvironBuilder

from learning import compression
from learning.extensions import db
from learning.static_files import minify_css

from .conftest import make_app
from .support import SLUG

LESSON = f"/courses/{SLUG}/lessons/what-is-the-sse"
CHROMIUM = "gzip, deflate, br, zstd"
STYLE = Path(__file__).resolve().parents[1] / "static" / "style.css"
DECODE = {None: bytes, "br": brotli.decompress, "gzip": gzip.decompress}


def decoded(response) -> bytes:
    return DECODE[response.headers.get("Content-Encoding")](response.get_data())


def vary(response) -> list[str]:
    return [v.strip() for v in response.headers.get("Vary", "").split(",")]


def stylesheet_url(client) -> str:
    page = client.get("/courses").get_data(as_text=True)
    return re.search(r'"(/static/style\.css\?v=[0-9a-f]+)"', page).group(1)


@pytest.mark.parametrize("header, coding", [
    (None, None),
    ("", None),
    (CHROMIUM, "br"),
    ("gzip, deflate", "gzip"),
    ("gzip;q=1.0, br;q=0.1", "br"),  # brotli whenever it is accepted at all
    ("br;q=0, gzip", "gzip"),
    ("BR; Q=0, GZIP;q=0.5", "gzip"),
    ("br;q=0, gzip;q=0", None),
    ("identity", None),
    ("deflate", None),
    ("*", "br"),
    ("*;q=0", None),
    ("br;q=0, *", "gzip"),  # a coding refused by name stays refused
    ("gzip;q=high", None),  # an unreadable quality counts as a refusal
])
def test_brotli_else_gzip_as_the_browser_accepts_and_never_a_refused_one(header, coding):
    assert compression.negotiate(header) == coding


@pytest.mark.parametrize("accept, coding", [
    (CHROMIUM, "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("br;q=0, gzip;q=0", None),
    (None, None),
])
def test_a_page_is_sent_in_the_accepted_coding_and_reads_the_same(client, course, accept,
                                                                   coding):
    identity = client.get("/courses")
    response = client.get("/courses", headers={"Accept-Encoding": accept} if accept else {})
    assert response.headers.get("Content-Encoding") == coding
    assert "Accept-Encoding" in vary(response)  # also on the page sent as it is
    assert response.headers["Content-Length"] == str(len(response.get_data()))
    assert decoded(response) == identity.get_data()
    if coding:
        assert len(response.get_data()) < len(identity.get_data()) / 2
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_page_rendered_for_a_reader_with_a_cookie_is_compressed_too(client, course):
    client.set_cookie("seen", "1")  # a cookie: the page cache lets the request through
    identity = client.get(LESSON)
    response = client.get(LESSON, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert decoded(response) == identity.get_data()


def call(app, accept: str | None, method: str = "GET"):
    """The WSGI app itself: the status, the headers and the very body it returns."""
    headers = {"Accept-Encoding": accept} if accept else {}
    environ = EnvironBuilder(path=LESSON, method=method, headers=headers).get_environ()
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, dict(response_headers)

    body = app.wsgi_app(environ, start_response)
    return started["status"], started["headers"], body


def test_a_kept_lesson_page_is_compressed_once_at_the_best_quality(app, course):
    _, _, identity = call(app, None)
    identity = b"".join(identity)
    sent = {}
    for accept in ("br", "gzip", "br", "gzip", CHROMIUM):
        status, headers, body = call(app, accept)
        coding = compression.negotiate(accept)
        assert status == "200 OK" and headers["Content-Encoding"] == coding
        assert DECODE[coding](body[0]) == identity
        # The bytes kept when the page entered the cache, not compressed again.
        assert sent.setdefault(coding, body[0]) is body[0]
    assert sent["br"] == compression.compress(identity, "br", best=True)
    assert len(sent["br"]) < len(compression.compress(identity, "br"))  # brotli 11 beats 5


def test_a_kept_lesson_page_is_kept_whichever_coding_the_first_reader_accepted(client, course):
    first = client.get(LESSON, headers={"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == "br"
    identity = client.get(LESSON)
    assert identity.headers.get("Content-Encoding") is None
    assert decoded(first) == identity.get_data()
    assert "Accept-Encoding" in vary(identity)


@pytest.mark.parametrize("kept", [True, False])
def test_a_compressed_page_has_a_weak_etag_and_a_reader_coming_back_downloads_nothing(
        client, course, kept):
    if not kept:
        client.set_cookie("seen", "1")  # rendered by Flask, not answered by the page cache
    identity = client.get(LESSON)
    packed = client.get(LESSON, headers={"Accept-Encoding": "br"})
    strong = identity.headers["ETag"]
    assert not strong.startswith("W/") and packed.headers["ETag"] == "W/" + strong
    again = client.get(LESSON, headers={"Accept-Encoding": "br",
                                        "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == packed.headers["ETag"] and "Accept-Encoding" in vary(again)
    plain = client.get(LESSON, headers={"If-None-Match": strong})
    assert plain.status_code == 304 and plain.headers["ETag"] == strong
    other = client.get(LESSON, headers={"Accept-Encoding": "br", "If-None-Match": 'W/"older"'})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "br"


@pytest.mark.parametrize("url", ["/courses", LESSON, "/static/style.css"])
def test_head_says_what_get_would_send(client, course, url):
    accept = {"Accept-Encoding": "br"}
    head = client.head(url, headers=accept)  # first: the lesson page is not kept yet
    get = client.get(url, headers=accept)
    assert head.status_code == get.status_code == 200 and head.get_data() == b""
    for name in ("Content-Encoding", "Content-Length", "ETag", "Vary"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_small_bodies_images_streams_and_encoded_bodies_are_sent_as_they_are(app, client):
    picture = b"\x89PNG\r\n\x1a\n" + bytes(4000)
    pdf = b"%PDF-1.7\n" + b"0" * 4000
    packed = gzip.compress(b"already compressed " * 200)
    app.add_url_rule("/t/small", "small", lambda: "<p>A short page.</p>")
    app.add_url_rule("/t/png", "png", lambda: Response(picture, mimetype="image/png"))
    app.add_url_rule("/t/pdf", "pdf", lambda: Response(pdf, mimetype="application/pdf"))
    app.add_url_rule("/t/stream", "stream", lambda: Response(
        (b"a line of text\n" for _ in range(500)), mimetype="text/plain"))
    app.add_url_rule("/t/encoded", "encoded", lambda: Response(
        packed, mimetype="text/plain", headers={"Content-Encoding": "gzip"}))
    expected = {"/t/small": (None, b"<p>A short page.</p>"), "/t/png": (None, picture),
                "/t/pdf": (None, pdf), "/t/stream": (None, b"a line of text\n" * 500),
                "/t/encoded": ("gzip", packed)}
    for url, (coding, body) in expected.items():
        response = client.get(url, headers={"Accept-Encoding": CHROMIUM})
        assert response.headers.get("Content-Encoding") == coding, url
        assert response.get_data() == body, url


def test_an_svg_is_compressed_and_other_images_are_not(client, course):
    svg = client.get(f"/media/{SLUG}/images/sse-family.svg", headers={"Accept-Encoding": "br"})
    assert svg.status_code == 200 and svg.headers["Content-Encoding"] == "br"
    assert decoded(svg).startswith(b"<svg")


def test_the_stylesheet_is_minified_compressed_and_still_cached_for_a_year(client):
    url = stylesheet_url(client)
    plain = client.get(url)
    assert plain.get_data() == minify_css(STYLE.read_text()).encode()
    assert len(plain.get_data()) < STYLE.stat().st_size
    for coding in ("br", "gzip"):
        with client.get(url, headers={"Accept-Encoding": coding}) as response:
            assert response.headers["Content-Encoding"] == coding
            assert decoded(response) == plain.get_data()
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert response.headers["ETag"] == "W/" + plain.headers["ETag"]
            assert "Accept-Encoding" in vary(response) and "Accept-Ranges" not in response.headers
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_static_file_is_compressed_once_per_process(client, monkeypatch):
    url = stylesheet_url(client)
    real, calls = compression.compress, []

    def counting(data, coding, *, best=False):
        calls.append((coding, best))
        return real(data, coding, best=best)

    monkeypatch.setattr(compression, "compress", counting)
    first = client.get(url, headers={"Accept-Encoding": "br"})
    assert sorted(calls) == [("br", True), ("gzip", True)]
    for accept in ("br", "gzip", "br"):
        again = client.get(url, headers={"Accept-Encoding": accept})
        assert again.status_code == 200
    assert len(calls) == 2
    assert client.get(url, headers={"Accept-Encoding": "br"}).get_data() == first.get_data()


def test_a_range_of_a_static_text_file_gets_the_whole_file(client):
    response = client.get("/static/style.css", headers={"Range": "bytes=0-9",
                                                        "Accept-Encoding": "br"})
    assert response.status_code == 200 and "Content-Range" not in response.headers
    assert decoded(response) == minify_css(STYLE.read_text()).encode()


def test_a_static_304_keeps_the_weak_etag_it_was_asked_about(client):
    packed = client.get("/static/style.css", headers={"Accept-Encoding": "gzip"})
    asked = {"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    with client.get("/static/style.css", headers=asked) as again:
        assert again.status_code == 304 and again.headers["ETag"] == packed.headers["ETag"]


def test_behind_a_proxy_that_compresses_it_can_be_turned_off(migrated_database, course):
    app = make_app(migrated_database, COMPRESSION=False)
    client = app.test_client()
    try:
        for url in ("/courses", LESSON, LESSON, "/static/style.css"):
            response = client.get(url, headers={"Accept-Encoding": CHROMIUM})
            assert response.status_code == 200
            assert "Content-Encoding" not in response.headers
            assert "Accept-Encoding" not in vary(response)
        assert response.get_data() == minify_css(STYLE.read_text()).encode()  # still minified
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_minifier_keeps_strings_addresses_and_descendant_selectors():
    css = """/* A comment's "quote" */
.a :hover , .b > .c {
  content: "/* not a comment */  two  spaces";
  background: url(data:image/svg+xml;utf8,<svg/>) , url( "x y.png" );
  font: 1rem/1.5 "Segoe UI" , sans-serif;
  margin: calc(1px + 2px) !important;
}

@media (min-width: 40rem) { .d { color : red ; } }
"""
    assert minify_css(css) == (
        '.a :hover,.b > .c{content:"/* not a comment */  two  spaces";'
        'background:url(data:image/svg+xml;utf8,<svg/>),url( "x y.png" );'
        'font:1rem/1.5 "Segoe UI",sans-serif;margin:calc(1px + 2px) !important}'
        "@media (min-width:40rem){.d{color :red}}")


def _rules(css: str):
    """The stylesheet as a browser reads it: selectors, and each rule's declarations."""
    tinycss2 = pytest.importorskip("tinycss2")

    def text(tokens) -> str:
        serialized = " ".join(tinycss2.serialize(tokens).split())
        return re.sub(r" ?, ?", ",", serialized).replace(": ", ":").strip()

    def read(nodes):
        for node in nodes:
            assert node.type != "error", node
            if node.type == "declaration":
                yield node.lower_name, text(node.value), node.important
            else:
                content = tinycss2.parse_blocks_contents(
                    node.content or [], skip_whitespace=True, skip_comments=True)
                yield getattr(node, "at_keyword", None), text(node.prelude), list(read(content))

    return list(read(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)))


def test_the_minified_stylesheet_says_what_the_stylesheet_says():
    source = STYLE.read_text()
    assert _rules(minify_css(source)) == _rules(source)

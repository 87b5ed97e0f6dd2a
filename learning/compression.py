"""Text responses compressed by the app itself, brotli or gzip, as the browser accepts.

The embedded default has no proxy in front of gunicorn to compress anything, so the app does
it, on three paths with one set of rules (``negotiate``, ``is_compressible``):

- a page Flask builds for one request is compressed after the view (``init_app``), at a
  quality chosen for speed: brotli 5, gzip 6 (bench/README.md has the figures);
- a lesson page the anonymous page cache keeps is compressed once, at the best quality
  (brotli 11, gzip 9), when it enters the cache, and a hit only picks bytes (page_cache.py);
- a static file likewise, once per version (static_files.py).

A compressed response carries the weak form of the page's ETag (``W/"..."``): its bytes are
not the identity bytes, while a conditional request still matches it, since If-None-Match
compares weakly. ``COMPRESSION=false`` leaves it all to a proxy that compresses.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import brotli
from flask import Flask, Response, request
from werkzeug.datastructures import Headers

# Types worth compressing; images but SVG, PDF and archives are compressed already.
COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/plain", "text/javascript", "text/xml",
    "application/javascript", "application/json", "application/ld+json", "application/xml",
    "image/svg+xml",
})
# Below this the saving is a few hundred bytes at most, less than a packet.
MIN_SIZE = 500
# What is compressed per request (a body to compress is held in memory whole).
MAX_SIZE = 8 * 1024 * 1024
DYNAMIC = {"br": 5, "gzip": 6}
BEST = {"br": 11, "gzip": 9}
# Set in the WSGI environ by a layer that compresses the response itself (the page cache,
# for the page it keeps): Flask then leaves the body as it is.
DEFERRED = "learning.compression.deferred"


@lru_cache(maxsize=64)
def negotiate(accept_encoding: str | None) -> str | None:
    """``br`` if the browser accepts it, else ``gzip`` if it does, else None (identity).

    A coding named with ``q=0`` is refused, and wins over ``*``; an unreadable ``q`` counts
    as a refusal, so a doubtful header gets the identity, which every client reads.
    """
    if not accept_encoding:
        return None
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, *parameters = item.split(";")
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name.strip().lower()] = quality
    for coding in ("br", "gzip"):
        if qualities.get(coding, qualities.get("*", 0.0)) > 0:
            return coding
    return None


def compress(data: bytes, coding: str, *, best: bool = False) -> bytes:
    """``data`` in ``coding``, at the quality for one request or, with ``best``, for bytes
    compressed once and served many times."""
    level = (BEST if best else DYNAMIC)[coding]
    if coding == "br":
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=level)
    return zlib.compress(data, level, wbits=31)  # gzip, with no time stamp in it


def precompress(data: bytes) -> dict[str, bytes]:
    """Each coding's best bytes for ``data``, kept only when smaller."""
    if len(data) < MIN_SIZE:
        return {}
    variants = {coding: compress(data, coding, best=True) for coding in BEST}
    return {coding: body for coding, body in variants.items() if len(body) < len(data)}


def is_compressible(headers: Headers) -> bool:
    """Whether a response of these headers may be sent compressed: a text type, not encoded
    already, and no ``no-transform`` asked."""
    mimetype = headers.get("Content-Type", "").split(";")[0].strip().lower()
    return (mimetype in COMPRESSIBLE and "Content-Encoding" not in headers
            and "no-transform" not in headers.get("Cache-Control", ""))


def mark_encoded(headers: Headers, coding: str, length: int) -> None:
    """Make ``headers`` describe a body of ``length`` bytes in ``coding``."""
    headers["Content-Encoding"] = coding
    headers["Content-Length"] = str(length)
    headers.remove("Accept-Ranges")  # a range would count the identity bytes
    etag = headers.get("ETag")
    if etag and not etag.startswith("W/"):
        headers["ETag"] = "W/" + etag


def add_vary(headers: Headers) -> None:
    """Say that the response depends on Accept-Encoding (also when sent uncompressed, so a
    cache never gives the identity it kept to a browser that could have had less, nor the
    reverse)."""
    values = [v.strip() for v in headers.get("Vary", "").split(",") if v.strip()]
    if "accept-encoding" not in (v.lower() for v in values) and "*" not in values:
        headers["Vary"] = ", ".join([*values, "Accept-Encoding"])


def _with_coding(headers: list[tuple[str, str]], coding: str,
                 packed: bytes) -> tuple[list[tuple[str, str]], bytes]:
    wsgi_headers = Headers(headers)
    mark_encoded(wsgi_headers, coding, len(packed))
    return wsgi_headers.to_wsgi_list(), packed


def encoded(headers: list[tuple[str, str]], body: bytes,
            coding: str | None) -> tuple[list[tuple[str, str]], bytes]:
    """A WSGI response's headers and body in ``coding`` at the quality for one request, or
    as they are when that is not worth it (no coding, a small body, a type that does not
    shrink)."""
    if coding is None or not MIN_SIZE <= len(body) <= MAX_SIZE or (
        not is_compressible(Headers(headers))
    ):
        return headers, body
    return _with_coding(headers, coding, compress(body, coding))


def variants(headers: list[tuple[str, str]],
             body: bytes) -> dict[str | None, tuple[list[tuple[str, str]], bytes]]:
    """A WSGI response as identity (None) and in each coding at the best quality: for a
    response compressed once and served many times."""
    kept: dict[str | None, tuple[list[tuple[str, str]], bytes]] = {None: (headers, body)}
    if is_compressible(Headers(headers)):
        for coding, packed in precompress(body).items():
            kept[coding] = _with_coding(headers, coding, packed)
    return kept


def compress_response(response: Response) -> Response:
    """``after_request``: compress the page Flask built, if the browser accepts it and it
    is worth it."""
    if not is_compressible(response.headers):
        return response
    add_vary(response.headers)
    status = response.status_code
    if status == 304:
        # The browser sends back the ETag it was given: a weak one came with compressed bytes.
        etag, weak = response.get_etag()
        if etag and not weak and request.if_none_match.is_weak(etag):
            response.set_etag(etag, weak=True)
        return response
    if status < 200 or status in (204, 206, 412) or response.direct_passthrough or (
        response.is_streamed or request.environ.get(DEFERRED)
    ):
        return response
    coding = negotiate(request.headers.get("Accept-Encoding"))
    if coding is None:
        return response
    data = response.get_data()  # for HEAD too: its headers must be those of the GET
    if not MIN_SIZE <= len(data) <= MAX_SIZE:
        return response
    packed = compress(data, coding)
    response.set_data(packed)
    mark_encoded(response.headers, coding, len(packed))
    return response


def init_app(app: Flask) -> None:
    if app.config["COMPRESSION"]:
        app.after_request(compress_response)

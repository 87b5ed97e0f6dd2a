"""Static files under versioned URLs.

``url_for("static", filename=...)`` adds ``?v=`` and a hash of the file's content; a request
for the current version is cached for a year and never revalidated (``immutable``), so a phone
on a slow line fetches the stylesheet once per release instead of asking on every page. A new
release changes the hash, hence the URL. Requests without the version keep the default caching.

Text files are sent as prepared once per process and version of the file: the stylesheet
minified (comments and spaces dropped, which saves over a kilobyte even compressed:
bench/README.md), each compressed at the best quality (compression.py). The file in the
repository stays as written.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, Response, request

from . import compression

YEAR = 365 * 24 * 3600

# Comments, strings and unquoted url()s, found left to right, so that a quote in a comment opens
# no string and a comment marker in a string or an address starts no comment.
_CSS_KEPT = re.compile(
    r"""/\*.*?\*/|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|url\((?:[^)"'\\]|\\.)*\)""",
    re.DOTALL | re.IGNORECASE)
_CSS_SPACES = re.compile(r"\s+")
_CSS_PUNCTUATION = re.compile(r" ?([{};,]) ?")


def _squeeze(css: str) -> str:
    css = _CSS_PUNCTUATION.sub(r"\1", _CSS_SPACES.sub(" ", css))
    return css.replace(": ", ":").replace(";}", "}")


def minify_css(css: str) -> str:
    """The stylesheet without its comments and the spaces it does not need; strings and
    url()s are kept as written. Spaces before a colon stay: ``a :hover`` is not ``a:hover``."""
    css = _CSS_KEPT.sub(lambda m: " " if m.group().startswith("/*") else m.group(), css)
    parts, end = [], 0
    for match in _CSS_KEPT.finditer(css):
        parts += [_squeeze(css[end:match.start()]), match.group()]
        end = match.end()
    return ("".join(parts) + _squeeze(css[end:])).strip()


def _prepare(data: bytes, mimetype: str, compress: bool) -> dict[str | None, bytes]:
    if mimetype == "text/css":
        try:
            data = minify_css(data.decode()).encode()
        except UnicodeDecodeError:
            pass  # sent as it is
    return {None: data, **(compression.precompress(data) if compress else {})}


def init_app(app: Flask) -> None:
    versions: dict[str, str | None] = {}  # the files do not change while the app runs
    # A text file's bytes as sent, per its name: the ETag of the version prepared (it changes
    # with the file), and the bytes as identity (None) and in each content coding.
    prepared: dict[str, tuple[str, dict[str | None, bytes]]] = {}
    compress = app.config["COMPRESSION"]

    def version(filename: str) -> str | None:
        if filename not in versions:
            try:
                data = (Path(app.static_folder or "") / filename).read_bytes()
            except OSError:
                data = None
            versions[filename] = hashlib.sha256(data).hexdigest()[:12] if data else None
        return versions[filename]

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            values["v"] = version(values.get("filename", ""))

    @app.after_request
    def cache_for_a_year(response: Response) -> Response:
        # Only a file Flask found and served (200): its name is then a file of the folder.
        if (request.endpoint == "static" and response.status_code == 200
                and request.args.get("v") == version(request.view_args["filename"])):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response

    @app.after_request
    def send_prepared(response: Response) -> Response:
        if not (request.endpoint == "static" and response.status_code in (200, 206)
                and response.direct_passthrough and compression.is_compressible(response.headers)
                and (compress or response.mimetype == "text/css")):
            return response
        # The whole file, even to a Range request: a range would count the bytes on disk.
        response.status_code = 200
        response.headers.remove("Content-Range")
        response.headers.remove("Accept-Ranges")
        filename, etag = request.view_args["filename"], response.get_etag()[0] or ""
        if prepared.get(filename, ("",))[0] != etag or not etag:
            data = (Path(app.static_folder or "") / filename).read_bytes()
            prepared[filename] = (etag, _prepare(data, response.mimetype, compress))
        if hasattr(response.response, "close"):
            response.response.close()
        variants = prepared[filename][1]
        coding = compression.negotiate(request.headers.get("Accept-Encoding")) if compress else None
        if coding not in variants:
            coding = None  # too small to be worth it
        response.direct_passthrough = False
        response.set_data(variants[coding])
        if compress:
            compression.add_vary(response.headers)
        if coding:
            compression.mark_encoded(response.headers, coding, len(variants[coding]))
        return response

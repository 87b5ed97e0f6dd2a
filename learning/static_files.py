"""Static files under versioned URLs.

``url_for("static", filename=...)`` adds ``?v=`` and a hash of the file's content; a request
for the current version is cached for a year and never revalidated (``immutable``), so a phone
on a slow line fetches the stylesheet once per release instead of asking on every page. A new
release changes the hash, hence the URL. Requests without the version keep the default caching.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    versions: dict[str, str | None] = {}  # the files do not change while the app runs

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

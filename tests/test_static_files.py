"""Static files are addressed by version and cached for a year; a new version is a new URL."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"


def versioned(page: str, name: str) -> str:
    match = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]+)"', page)
    assert match, f"no versioned URL for {name}"
    return match.group(1)


def test_pages_link_the_stylesheet_by_the_hash_of_its_content(client):
    url = versioned(client.get("/courses").get_data(as_text=True), "style.css")
    digest = hashlib.sha256((STATIC / "style.css").read_bytes()).hexdigest()[:12]
    assert url == f"/static/style.css?v={digest}"


def test_the_current_version_is_cached_for_a_year_and_never_revalidated(client):
    url = versioned(client.get("/courses").get_data(as_text=True), "style.css")
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_old_or_missing_version_is_not_kept_for_a_year(client):
    for url in ("/static/style.css?v=0123456789ab", "/static/style.css"):
        with client.get(url) as response:
            assert "immutable" not in response.headers.get("Cache-Control", "")
    assert client.get("/static/../learning/config.py?v=x").status_code == 404

"""Content hashes: render once per content version, and let the importer skip what did not change.

Bump ``RENDERER_VERSION`` whenever a change to the rendering (extensions, allowlist, URL scheme)
would change the HTML produced from the same source: every lesson is then re-rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

RENDERER_VERSION = "2"  # 2: table cells carry data-label


def content_hash(source: str) -> str:
    """The version of one lesson file: its text plus the renderer that turns it into HTML."""
    digest = hashlib.sha256()
    digest.update(f"renderer:{RENDERER_VERSION}\n".encode())
    digest.update(source.encode("utf-8"))
    return digest.hexdigest()


def combined_hash(parts: Iterable[tuple[str, str | bytes]]) -> str:
    """One hash over named parts (course.yml, lesson hashes, media bytes), order-independent."""
    digest = hashlib.sha256()
    digest.update(f"renderer:{RENDERER_VERSION}\n".encode())
    for name, data in sorted(parts, key=lambda part: part[0]):
        payload = data.encode("utf-8") if isinstance(data, str) else data
        digest.update(f"{name}\0{len(payload)}\0".encode())
        digest.update(payload)
    return digest.hexdigest()


def source_version(source: str) -> str:
    """The version of a lesson file's text that its translations record (``translates:``):
    short enough to read in a front matter, long enough never to collide by chance."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]

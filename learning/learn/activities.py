"""A lesson's activities (polls and reflections) drawn into its HTML for each reader.

The stored lesson HTML holds an ``ACTIVITY_SLOT`` comment where each activity goes (only the
renderer can write one: the sanitiser removes every comment an author writes); the page puts
each activity, drawn for this reader, in its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup

ACTIVITY_RE = re.compile(r"<!--activity:(poll|reflection):([a-z0-9-]+)-->")


def fill(html: str, draw: Callable[[str, str], str] | None) -> Markup:
    """The lesson HTML with ``draw(kind, id)`` in each activity's place ("" leaves nothing, as
    for an activity the author has removed)."""
    if draw is None:
        return Markup(html)
    return Markup(ACTIVITY_RE.sub(lambda slot: draw(slot[1], slot[2]), html))

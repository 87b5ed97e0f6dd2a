"""The one HTML allowlist of the platform.

Every piece of author-written HTML (lesson bodies, quiz prompts, feedback, glossary entries) goes
through ``clean`` before it is stored, so templates can mark it safe without a second thought;
what learners write in a discussion goes through ``clean_post``, the same allowlist narrowed to
text formatting. Nothing else in the code base should build its own allowlist.
"""

from __future__ import annotations

import re
from html import unescape

import nh3

_BLOCK_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "aside",
    "div",
    "section",
}
_INLINE_TAGS = {"a", "img", "strong", "em", "b", "i", "code", "span", "sup", "sub", "abbr"}
TAGS: frozenset[str] = frozenset(_BLOCK_TAGS | _INLINE_TAGS)
INLINE_TAGS: frozenset[str] = frozenset(_INLINE_TAGS - {"img"} | {"br"})

# Tags removed with everything inside them; other unknown tags are unwrapped, their text kept.
_DROP_WITH_CONTENT = {"script", "style", "template", "textarea", "select", "noscript", "title"}

ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "class", "data-embed"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "abbr": {"title"},
    "ol": {"start"},
    "aside": {"class", "role"},
    "div": {"class"},
    "dl": {"class"},
    "p": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"class"},
    "td": {"class", "data-label"},  # its column's header, shown on a phone (render.py)
    "sup": {"id"},
    "li": {"id"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})  # and relative URLs

# Class names the platform's stylesheet and scripts know about; anything else is dropped.
_CLASS_RE = re.compile(
    r"^(callout|callout-[a-z-]+|callout-title|case-facts|video|video-link|quiz-slot-[0-9a-f]{32}|"
    r"activity-slot-[0-9a-f]{32}-[0-9]{1,3}|footnote|"
    r"footnote-ref|footnote-backref|align-(left|center|right)|language-[A-Za-z0-9_+-]+)$"
)
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9:_-]{0,80}$")
_EMBED_RE = re.compile(
    r"^https://(www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{6,20}"
    r"|player\.vimeo\.com/video/[0-9]{1,15})(\?[A-Za-z0-9=&_-]*)?$"
)
_SAFE_ROLES = {"note"}
_SAFE_LOADING = {"lazy", "eager"}
# Ids that would shadow the page's own elements (DOM clobbering) are kept out of author content.
_RESERVED_ID_PREFIXES = ("csrf", "quiz", "poll", "main", "content", "nav", "form")


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Narrow the attributes nh3 lets through to the values the platform produces."""
    if attr == "class":
        kept = [name for name in value.split() if _CLASS_RE.match(name)]
        return " ".join(kept) or None
    if attr == "id":
        if not _ID_RE.match(value) or value.lower().startswith(_RESERVED_ID_PREFIXES):
            return None
        return value
    if attr == "data-embed":
        return value if _EMBED_RE.match(value) else None
    if attr == "role":
        return value if value in _SAFE_ROLES else None
    if attr == "loading":
        return value if value in _SAFE_LOADING else None
    if attr in {"width", "height", "start"}:
        return value if value.isdigit() and len(value) <= 5 else None
    if attr == "data-label":
        return " ".join(value.split())[:200] or None
    return value


def _clean(html: str, tags, attributes: dict[str, set[str]], link_rel: str) -> str:
    """The one nh3 call: ``tags`` and ``attributes`` are what the allowlist keeps."""
    return nh3.clean(
        html,
        tags=set(tags),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in attributes.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=link_rel,
        url_schemes=set(URL_SCHEMES),
    )


def clean(html: str) -> str:
    """Keep only safe formatting; every link gets rel="noopener noreferrer"."""
    return _clean(html, TAGS, ATTRIBUTES, "noopener noreferrer")


def clean_inline(html: str) -> str:
    """Like ``clean`` but for a phrase (a choice, a title): block tags are unwrapped."""
    return _clean(html, INLINE_TAGS,
                  {tag: ATTRIBUTES[tag] for tag in INLINE_TAGS if tag in ATTRIBUTES},
                  "noopener noreferrer")


# What a learner's post may hold: formatted text and links, no images (a picture from another
# site would tell it who reads the page), no ids or classes (they would reach into the page).
POST_TAGS: frozenset[str] = frozenset({"p", "br", "hr", "blockquote", "pre", "ul", "ol", "li",
                                       "strong", "em", "b", "i", "code", "a"})
# Links written by learners are marked as theirs, so search engines do not follow them.
POST_LINK_REL = "nofollow ugc noopener noreferrer"


def clean_post(html: str) -> str:
    """Like ``clean``, for the HTML of a learner's post (``render.render_post``)."""
    return _clean(html, POST_TAGS, {"a": {"href", "title"}, "ol": {"start"}}, POST_LINK_REL)


def plain_text(html: str) -> str:
    """Sanitised HTML as the words it shows, for places that take text (a form's options, a
    chart's labels, a Markdown or PDF export)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())

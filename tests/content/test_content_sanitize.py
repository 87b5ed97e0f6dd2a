"""Whatever an author writes, the stored HTML holds nothing a browser would execute.

The checks parse the output as a browser would (entities decoded) and look for executable tags,
event handlers, style, and URLs with schemes other than http, https, mailto or relative.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.content.render import RenderContext, render_lesson
from learning.content.sanitize import clean, clean_inline

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "style",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "frame",
    "frameset",
    "textarea",
    "button",
    "select",
    "template",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "data-embed",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(html: str) -> None:
    """No executable tag, no event handler or style, only safe URL schemes."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag not in FORBIDDEN_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in URL_ATTRIBUTES and value:
                # Browsers drop ASCII tabs and newlines and leading control characters from URLs.
                url = re.sub(r"[\t\n\r]", "", value).lstrip(
                    "\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c"
                )
                assert urlsplit(url).scheme.lower() in SAFE_SCHEMES, html
            if name == "data-embed":
                assert value and value.startswith(
                    ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")
                ), html
        if tag == "a" and any(name == "href" for name, _ in attrs):
            assert ("rel", "noopener noreferrer") in attrs, html


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="position:fixed;inset:0">cover</div>',
    '<form action="https://evil.example"><input name=password><button>Go</button></form>',
    '![alt](../images/x.svg "title\\" onerror=\\"alert(1)")',
    '![alt" onerror="alert(1)](../images/x.svg)',
    "[x](https://example.org \"a' onmouseover='alert(1)\")",
    "<a href='https://example.org' onclick='alert(1)'>x</a>",
    '<a href="https://example.org" """ onmouseover="alert(1)">x</a>',
    '<img src="x" alt="a"onerror="alert(1)">',
    "<img src=`x`onerror=alert(1)>",
    '<div class="quiz-slot" onclick="alert(1)"></div>',
    '<a class="video-link" data-embed="javascript:alert(1)" href="#">x</a>',
    '<a data-embed="https://evil.example/embed/x">x</a>',
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "::: note <img src=x onerror=alert(1)>\nx\n:::",
    "::: video javascript:alert(1)\nTitle\n:::",
    '::: video https://evil.example/"onmouseover="alert(1)\n<b onclick=alert(1)>t</b>\n:::',
    "::: quiz\n### <script>alert(1)</script> {#q-1}\n- [x] <img src=x onerror=alert(1)>\n  > "
    "[x](javascript:1)\n"
    "- [ ] b\n\nExplanation: <svg onload=alert(1)>\n:::",
    "<details open ontoggle=alert(1)>",
    '<a href="https://example.org" target="_blank">x</a>',
    "<sup id=csrf_token>1</sup>",
]


@pytest.fixture
def ctx(tmp_path: Path) -> RenderContext:
    (tmp_path / "demo" / "lessons").mkdir(parents=True)
    (tmp_path / "demo" / "images").mkdir()
    (tmp_path / "demo" / "images" / "x.svg").write_text("<svg/>")
    return RenderContext(
        "demo",
        tmp_path / "demo",
        tmp_path / "demo" / "lessons" / "a.md",
        "demo/lessons/a.md",
        frozenset({"a"}),
        None,
        5,
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text: str, ctx: RenderContext) -> None:
    result = render_lesson(text, ctx)
    assert_inert(result.html)
    if result.quiz is not None:
        for question in result.quiz.questions:
            for html in [
                question.prompt_html,
                question.explanation_html,
                *(c.text_html for c in question.choices),
                *(c.feedback_html for c in question.choices),
            ]:
                assert_inert(html)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_html_is_cleaned(text: str) -> None:
    assert_inert(clean(text))
    assert_inert(clean_inline(text))


def test_the_hostile_corpus_file_renders_inert(ctx: RenderContext) -> None:
    corpus = (Path(__file__).parent / "hostile_corpus.md").read_text(encoding="utf-8")
    result = render_lesson(corpus, ctx)
    assert_inert(result.html)
    assert "<script" not in result.html.lower()
    assert "Ordinary text survives." in result.html


def test_safe_formatting_survives(ctx: RenderContext) -> None:
    text = (
        "Some **bold**, *italic*, `code`, H~2~O, a [link](https://example.org) and <abbr "
        "title='Social and "
        "solidarity economy'>SSE</abbr>.\n\n## Section\n\n> A quote\n\n| a | b |\n|:-|-:|\n| 1 | "
        "2 |\n\n"
        "Term\n: Definition\n\nNote[^1].\n\n[^1]: The note.\n"
    )
    html = render_lesson(text, ctx).html
    for fragment in [
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<code>code</code>",
        "<h2>Section</h2>",
        "<blockquote>",
        '<th class="align-left">a</th>',
        '<td class="align-right" data-label="b">2</td>',
        "<dt>Term</dt>",
        "<dd>Definition</dd>",
        '<sup id="fnref:1">',
        '<li id="fn:1">',
        '<a href="https://example.org" rel="noopener noreferrer">link</a>',
        '<abbr title="Social and solidarity economy">SSE</abbr>',
    ]:
        assert fragment in html
    assert_inert(html)


MARKDOWNISH = st.lists(
    st.one_of(
        st.text(alphabet="<>\"'&:;=/[]()!#*`-_ \n\tabcjsx1{}|\\%~", max_size=12),
        st.sampled_from(
            [
                "javascript:",
                "JaVaScRiPt:",
                "&#106;",
                "&#x6A;",
                "vbscript:",
                "data:text/html,",
                "onerror=",
                "onload=",
                "<script",
                "</script>",
                "<img src=x ",
                "<svg",
                "<iframe",
                "<a href=",
                "<style>",
                "style=",
                "](",
                "![",
                "[x]",
                "\n\n",
                "::: quiz\n",
                "::: note ",
                "::: video ",
                "\n:::\n",
                "### Q {#q-1}\n",
                "- [x] ",
                "  > ",
                "Explanation: ",
                "Answer: ",
                "`",
                "```\n",
                "<!--",
                "-->",
                "&colon;",
                "\x00",
                "\u202e",
                "lesson:a",
                "glossary:",
                "../",
                "../images/x.svg",
            ]
        ),
    ),
    max_size=30,
).map("".join)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=MARKDOWNISH)
def test_generated_markdown_always_renders_inert(text: str, ctx: RenderContext) -> None:
    result = render_lesson(text, ctx)
    assert_inert(result.html)
    if result.quiz is not None:
        for question in result.quiz.questions:
            assert_inert(question.prompt_html + question.explanation_html)
            for choice in question.choices:
                assert_inert(choice.text_html + choice.feedback_html)


@settings(max_examples=200, deadline=None)
@given(text=MARKDOWNISH)
def test_generated_html_is_always_cleaned(text: str) -> None:
    assert_inert(clean(text))
    assert clean(clean(text)) == clean(text)

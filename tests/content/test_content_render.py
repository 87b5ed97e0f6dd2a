"""What lesson Markdown becomes: callouts, videos, links, images and the quiz placeholder."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from learning.content import QUIZ_SLOT
from learning.content.blocks import BlocksExtension, problems
from learning.content.quiz_block import QuizExtension
from learning.content.render import RenderContext, render_lesson


@pytest.fixture
def ctx(tmp_path: Path) -> RenderContext:
    course = tmp_path / "demo"
    (course / "lessons").mkdir(parents=True)
    (course / "images").mkdir()
    (course / "images" / "chart one.svg").write_text("<svg/>")
    (course / "files").mkdir()
    (course / "files" / "handout.pdf").write_bytes(b"%PDF-1.4")
    return RenderContext(
        "demo",
        course,
        course / "lessons" / "a.md",
        "demo/lessons/a.md",
        frozenset({"a", "b"}),
        frozenset({"cooperative"}),
        5,
    )


def render(text: str, ctx: RenderContext) -> str:
    result = render_lesson(text, ctx)
    assert [str(p) for p in result.problems] == []
    return result.html


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("key-ideas", "Key ideas"),
        ("example", "Example"),
        ("definition", "Definition"),
        ("note", "Note"),
    ],
)
def test_callouts_have_a_default_label_and_keep_their_kind_in_the_class(
    kind: str, label: str, ctx: RenderContext
) -> None:
    html = render(f"::: {kind}\n- one\n- two\n:::\n", ctx)
    assert html == (
        f'<aside class="callout callout-{kind}" role="note">\n'
        f'<p class="callout-title">{label}</p>\n'
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</aside>"
    )


def test_a_callout_title_is_inline_markdown_and_its_body_is_markdown(ctx: RenderContext) -> None:
    html = render(
        "::: example A *cooperative* in practice\nFirst.\n\nSecond, [b](lesson:b).\n:::\n", ctx
    )
    assert '<p class="callout-title">A <em>cooperative</em> in practice</p>' in html
    assert "<p>First.</p>" in html
    assert '<a href="/courses/demo/lessons/b" rel="noopener noreferrer">b</a>' in html


def test_callouts_nest_and_text_around_them_stays(ctx: RenderContext) -> None:
    html = render("Before.\n\n::: note\nOuter.\n\n::: example\nInner.\n:::\n:::\n\nAfter.\n", ctx)
    assert html.index("callout-note") < html.index("callout-example") < html.index("After.")
    assert html.count("</aside>") == 2
    assert html.startswith("<p>Before.</p>")


def test_colons_inside_code_are_code(ctx: RenderContext) -> None:
    html = render("```\n::: quiz\n### not a question\n:::\n```\n", ctx)
    assert "quiz-slot" not in html
    assert "::: quiz" in html


@pytest.mark.parametrize(
    ("url", "watch", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://vimeo.com/76979871",
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
    ],
)
def test_videos_are_links_that_a_click_turns_into_a_private_player(
    url: str, watch: str, embed: str, ctx: RenderContext
) -> None:
    html = render(f"::: video {url}\nThe ILO <explains>\n:::\n", ctx)
    assert html == (
        f'<p class="video"><a class="video-link" data-embed="{embed.replace("&", "&amp;")}" '
        f'href="{watch}" '
        'rel="noopener noreferrer">The ILO &lt;explains&gt; (video)</a></p>'
    )
    assert "<iframe" not in html


def test_videos_elsewhere_are_plain_links(ctx: RenderContext) -> None:
    html = render("::: video https://media.example.org/talk.mp4\nA talk\n:::\n", ctx)
    assert html == (
        '<p class="video"><a class="video-link" href="https://media.example.org/talk.mp4" '
        'rel="noopener noreferrer">A talk (video)</a></p>'
    )


def test_links_and_images_are_rewritten_to_platform_urls(ctx: RenderContext) -> None:
    html = render(
        "[next](lesson:b#part-2) [term](glossary:cooperative) [ILO](https://ilo.org) "
        "[mail](mailto:a@b.org) "
        "[handout](../files/handout.pdf) [top](#top)\n\n![A chart](<../images/chart one.svg>)\n",
        ctx,
    )
    assert 'href="/courses/demo/lessons/b#part-2"' in html
    assert 'href="/glossary#cooperative"' in html
    assert '<a href="https://ilo.org" rel="noopener noreferrer">ILO</a>' in html
    assert 'href="mailto:a@b.org"' in html
    assert 'href="/media/demo/files/handout.pdf"' in html
    assert 'href="#top"' in html
    assert '<img alt="A chart" loading="lazy" src="/media/demo/images/chart%20one.svg">' in html


def test_media_maps_what_the_lesson_uses_to_files(ctx: RenderContext) -> None:
    result = render_lesson("![A chart](<../images/chart one.svg>) [h](../files/handout.pdf)\n", ctx)
    assert result.media == {
        "images/chart one.svg": ctx.course_dir / "images" / "chart one.svg",
        "files/handout.pdf": ctx.course_dir / "files" / "handout.pdf",
    }


def test_the_quiz_leaves_only_a_placeholder(ctx: RenderContext) -> None:
    result = render_lesson(
        "Before.\n\n::: quiz\n### Q? {#q-1}\n- [x] Yes\n  > Right\n- [ ] No\n:::\n\nAfter.\n", ctx
    )
    assert result.html == f"<p>Before.</p>\n{QUIZ_SLOT}\n<p>After.</p>"
    assert result.quiz is not None
    assert result.quiz.questions[0].choices[0].feedback_html == "Right"


def test_quiz_texts_are_inline_markdown_with_checked_links(ctx: RenderContext) -> None:
    text = (
        "::: quiz\n### Is `x` **bold**? {#q-1}\nSee the table:\n\n| a |\n|---|\n| 1 |\n\n"
        "- [x] See [b](lesson:b)\n  > Because *of* it\n  > on two lines\n- [ ] "
        "No\n\nExplanation: It *is*\nreally.\n:::\n"
    )
    quiz = render_lesson(text, ctx).quiz
    assert quiz is not None
    question = quiz.questions[0]
    assert question.prompt_html.startswith(
        "Is <code>x</code> <strong>bold</strong>?<p>See the table:"
    )
    assert (
        question.choices[0].text_html
        == 'See <a href="/courses/demo/lessons/b" rel="noopener noreferrer">b</a>'
    )
    assert question.choices[0].feedback_html == "Because <em>of</em> it\non two lines"
    assert question.explanation_html == "It <em>is</em>\nreally."


def test_quiz_settings_defaults(ctx: RenderContext) -> None:
    quiz = render_lesson("::: quiz\n### Q? {#q-1}\nAnswer: 2.5\nTolerance: 0.1\n:::\n", ctx).quiz
    assert quiz is not None
    assert (quiz.pass_mark, quiz.max_attempts, quiz.graded) == (70, None, True)
    assert (quiz.questions[0].kind, quiz.questions[0].accepted, quiz.questions[0].tolerance) == (
        "numeric",
        ("2.5",),
        0.1,
    )


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("Pass mark: 100%\nAttempts: unlimited\nGraded: no\n", (100, None, False)),
        ("pass mark: 50\nattempts: 1\ngraded: yes\n", (50, 1, True)),
    ],
)
def test_quiz_settings(
    settings: str, expected: tuple[int, int | None, bool], ctx: RenderContext
) -> None:
    quiz = render_lesson(f"::: quiz\n{settings}\n### Q? {{#q-1}}\nAnswer: x\n:::\n", ctx).quiz
    assert quiz is not None
    assert (quiz.pass_mark, quiz.max_attempts, quiz.graded) == expected


def test_the_extensions_reset_like_meta_does() -> None:
    md = markdown.Markdown(extensions=[BlocksExtension(), QuizExtension()])
    md.convert("::: quiz\n### Q? {#q-1}\nAnswer: x\n:::\n\n::: tip\nx\n:::\n")
    assert md.quiz is not None  # type: ignore[attr-defined]
    assert problems(md) == [
        (
            6,
            "unknown block kind '::: tip'",
            "use one of: case-study, definition, example, key-ideas, note, quiz, video",
        )
    ]
    md.reset()
    assert md.quiz is None  # type: ignore[attr-defined]
    assert problems(md) == []
    md.convert("No quiz here.")
    assert md.quiz is None  # type: ignore[attr-defined]


def test_an_authors_own_quiz_slot_never_moves_the_quiz(ctx: RenderContext) -> None:
    body = ('<div class="quiz-slot"></div>\n\nBefore.\n\n::: quiz\n### Q? {#q-1}\nAnswer: x\n'
            ':::\n\nAfter.\n')
    result = render_lesson(body, ctx)
    before, after = result.html.partition(QUIZ_SLOT)[::2]

    assert result.html.count(QUIZ_SLOT) == 1
    assert "Before." in before and "After." in after


def test_table_cells_are_labelled_with_their_column_header(ctx: RenderContext) -> None:
    html = render(
        "| **Year** | Law \\| act | <br> |\n|---|---|---|\n"
        "| 1998 | Law 454 | x |\n| 2011 | Law \"5\" |\n",
        ctx,
    )
    assert '<th><strong>Year</strong></th>' in html
    assert '<td data-label="Year">1998</td>' in html
    assert '<td data-label="Law | act">Law 454</td>' in html
    assert '<td>x</td>' in html  # a column without a header's text has no label
    assert '<td data-label="Law | act">Law "5"</td>' in html
    assert html.count("data-label=") == 4


def test_a_label_is_text_in_an_attribute_whatever_the_header_holds(ctx: RenderContext) -> None:
    html = render('| a "b" <i>c</i> & d |\n|---|\n| 1 |\n', ctx)
    assert '<td data-label="a &quot;b&quot; c &amp; d">1</td>' in html


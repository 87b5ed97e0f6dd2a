"""Small charts drawn on the server as inline SVG: no script, no style attribute, no CDN.

Each function is pure: data in, markup out. Every chart is an image with a title and a
description for assistive technology (``role="img"`` named by its ``<title>`` and described
by its ``<desc>``); pages put a real table of the same figures beside it. Colours come from the
classes in static/style.css, so the page's Content-Security-Policy (no inline styles) holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
ROW = 30
LABEL_WIDTH = 230
VALUE_ROOM = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str = ""  # an extra class, such as "is-correct" or "is-flagged"
    note: str = ""  # shown after the value, e.g. "(most chosen wrong answer)"


def _clip(text: str, limit: int = 32) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _frame(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> Markup:
    cid = escape(chart_id)
    head = (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" id="{cid}">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar],
              suffix: str = "") -> Markup:
    """Horizontal bars, one per labelled value, scaled to the largest."""
    height = max(1, len(bars)) * ROW + 10
    top = max((b.value for b in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    body = []
    for i, bar in enumerate(bars):
        y = 5 + i * ROW
        width = round(room * bar.value / top, 1)
        label = f"{_number(bar.value)}{suffix}"
        body.append(
            f'<g class="chart-row {escape(bar.css)}">'
            f"<title>{escape(bar.label)}: {escape(label)} {escape(bar.note)}</title>"
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + 19}" '
            f'text-anchor="end">{escape(_clip(bar.label))}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" '
            f'height="{ROW - 8}"></rect>'
            f'<text class="chart-value" x="{LABEL_WIDTH + width + 6}" y="{y + 19}">'
            f"{escape(label)}</text></g>"
        )
    return _frame(chart_id, title, desc, height, body)


def column_chart(chart_id: str, title: str, desc: str,
                 points: Sequence[tuple[str, float]]) -> Markup:
    """Vertical columns over time, labelled at the first, last and a few points between."""
    height, base, left = 220, 190, 40
    top = max((v for _, v in points), default=0) or 1
    step = (WIDTH - left - 10) / max(1, len(points))
    every = max(1, len(points) // 6)
    body = [
        f'<line class="chart-axis" x1="{left}" y1="{base}" x2="{WIDTH - 10}" y2="{base}"></line>',
        f'<text class="chart-label" x="{left - 6}" y="{16}" text-anchor="end">'
        f"{escape(_number(top))}</text>",
        f'<text class="chart-label" x="{left - 6}" y="{base}" text-anchor="end">0</text>',
    ]
    for i, (label, value) in enumerate(points):
        x = round(left + i * step, 1)
        h = round((base - 12) * value / top, 1)
        body.append(
            f'<rect class="chart-bar" x="{x + 1}" y="{base - h}" width="{max(1, step - 2):.1f}" '
            f'height="{h}"><title>{escape(label)}: {escape(_number(value))}</title></rect>'
        )
        if i % every == 0 or i == len(points) - 1:
            body.append(
                f'<text class="chart-label chart-tick" x="{x + step / 2:.1f}" y="{base + 18}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _frame(chart_id, title, desc, height, body)


def funnel_chart(chart_id: str, title: str, desc: str,
                 steps: Sequence[tuple[str, int, int]], legend: tuple[str, str]) -> Markup:
    """Per step, a bar for the learners who reached it with the ones who completed it inside."""
    legend_height = 26
    height = legend_height + max(1, len(steps)) * ROW + 10
    top = max((reached for _, reached, _ in steps), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM - 40
    reached_label, completed_label = legend
    body = [
        f'<rect class="chart-reached" x="{LABEL_WIDTH}" y="6" width="14" height="14"></rect>',
        f'<text class="chart-label" x="{LABEL_WIDTH + 20}" y="18">{escape(reached_label)}</text>',
        f'<rect class="chart-bar" x="{LABEL_WIDTH + 180}" y="6" width="14" height="14"></rect>',
        f'<text class="chart-label" x="{LABEL_WIDTH + 200}" y="18">'
        f"{escape(completed_label)}</text>",
    ]
    for i, (label, reached, completed) in enumerate(steps):
        y = legend_height + 5 + i * ROW
        w_reached = round(room * reached / top, 1)
        w_done = round(room * completed / top, 1)
        body.append(
            f'<g class="chart-row"><title>{escape(label)}: {escape(reached_label)} {reached}, '
            f"{escape(completed_label)} {completed}</title>"
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + 19}" '
            f'text-anchor="end">{escape(_clip(label))}</text>'
            f'<rect class="chart-reached" x="{LABEL_WIDTH}" y="{y + 3}" width="{w_reached}" '
            f'height="{ROW - 6}"></rect>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 8}" width="{w_done}" '
            f'height="{ROW - 16}"></rect>'
            f'<text class="chart-value" x="{LABEL_WIDTH + w_reached + 6}" y="{y + 19}">'
            f"{completed} / {reached}</text></g>"
        )
    return _frame(chart_id, title, desc, height, body)

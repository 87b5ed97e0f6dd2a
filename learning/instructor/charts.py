"""Small charts drawn on the server as inline SVG: no script, no style attribute, no CDN.

Each function is pure: data in, markup out. Every chart is an image with a title and a
description for assistive technology (``role="img"`` named by its ``<title>`` and described
by its ``<desc>``); pages put a real table of the same figures beside it. Colours and font
sizes come from the classes in static/style.css, so the page's Content-Security-Policy (no
inline styles) holds.

A chart is drawn ``WIDTH`` units wide and shown at most that many CSS pixels wide, smaller on
a phone. style.css sizes its text in the chart's units from 14 (at full width) up to
``FONT_MAX`` (in a narrow column), so that it never shows smaller than 12 CSS pixels; the
layout leaves room for text that large. Labels sit above their bars, so a long one never
pushes the bars out of the picture; short ones go beside their bars.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 480
FONT_MAX = 22  # the largest font size style.css gives chart text, in the chart's units
ROW = 54  # a label line, then its bar
ROW_BESIDE = 30  # a bar with its label beside it
LABEL_BESIDE = 0.3 * WIDTH  # the longest label that goes beside the bars
BAR = 16
VALUE_ROOM = 60  # at least, after the longest bar, for its value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str = ""  # an extra class, such as "is-correct" or "is-flagged"
    note: str = ""  # shown after the value, e.g. "(most chosen wrong answer)"


def _text_width(text: str, size: float = FONT_MAX) -> float:
    """A generous estimate of the width of a line of text: wide (CJK) characters take a whole
    em, others at most 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)


def _clip(text: str, room: float = WIDTH) -> str:
    """The text, shortened with an ellipsis to fit ``room`` units at the largest font size."""
    text = " ".join(str(text).split())
    if _text_width(text) <= room:
        return text
    while text and _text_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


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
    """Horizontal bars, one per labelled value, scaled to the largest.

    Short labels (score bands) go beside their bars, longer ones (answers) above them."""
    top = float(max((b.value for b in bars), default=0) or 1)
    values = [f"{_number(b.value)}{suffix}" for b in bars]
    room = WIDTH - max(VALUE_ROOM, max(map(_text_width, values), default=0) + 8)
    widest = max((_text_width(b.label) for b in bars), default=0)
    beside = widest <= LABEL_BESIDE
    left = round(widest) + 10 if beside else 0
    room -= left
    row = ROW_BESIDE if beside else ROW
    body = []
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        y = 4 + i * row
        # float(): PostgreSQL gives sums as Decimal, which does not mix with float
        width = round(room * float(bar.value) / top, 1)
        if beside:
            label = (f'<text class="chart-label" x="{left - 8}" y="{y + 21}" text-anchor="end">'
                     f"{escape(bar.label)}</text>")
            bar_y, value_y = y + 7, y + 21
        else:
            label = (f'<text class="chart-label" x="2" y="{y + 20}">'
                     f"{escape(_clip(bar.label, WIDTH - 4))}</text>")
            bar_y, value_y = y + 28, y + 42
        body.append(
            f'<g class="chart-row {escape(bar.css)}">'
            f"<title>{escape(bar.label)}: {escape(value)} {escape(bar.note)}</title>{label}"
            f'<rect class="chart-bar" x="{left}" y="{bar_y}" width="{width}" height="{BAR}"></rect>'
            f'<text class="chart-value" x="{left + width + 6}" y="{value_y}">{escape(value)}</text>'
            "</g>"
        )
    return _frame(chart_id, title, desc, max(1, len(bars)) * row + 4, body)


def column_chart(chart_id: str, title: str, desc: str,
                 points: Sequence[tuple[str, float]]) -> Markup:
    """Vertical columns over time, labelled at the first, middle and last columns.

    The first label starts at its column and the last one ends at its column, so neither
    runs out of the picture; three dates fit side by side even at the largest font size."""
    height, top_line, base = 224, 24, 190
    top = float(max((v for _, v in points), default=0) or 1)
    left = round(_text_width(_number(top))) + 12
    step = (WIDTH - left) / max(1, len(points))
    labelled = {0: "start", len(points) // 2: "middle", len(points) - 1: "end"}
    body = [
        f'<line class="chart-axis" x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}"></line>',
        f'<text class="chart-label" x="{left - 8}" y="{top_line + 6}" text-anchor="end">'
        f"{escape(_number(top))}</text>",
        f'<text class="chart-label" x="{left - 8}" y="{base}" text-anchor="end">0</text>',
    ]
    for i, (label, value) in enumerate(points):
        x = round(left + i * step, 1)
        h = round((base - top_line) * float(value) / top, 1)
        body.append(
            f'<rect class="chart-bar" x="{x + 1}" y="{base - h}" width="{max(1, step - 2):.1f}" '
            f'height="{h}"><title>{escape(label)}: {escape(_number(value))}</title></rect>'
        )
        anchor = labelled.get(i)
        if anchor is not None:
            at = {"start": x, "middle": x + step / 2, "end": x + step}[anchor]
            body.append(
                f'<text class="chart-label chart-tick" x="{at:.1f}" y="{base + 24}" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    return _frame(chart_id, title, desc, height, body)


def funnel_chart(chart_id: str, title: str, desc: str,
                 steps: Sequence[tuple[str, int, int]], legend: tuple[str, str]) -> Markup:
    """Per step, a bar for the learners who reached it with the ones who completed it inside."""
    legend_height = 30
    height = legend_height + max(1, len(steps)) * ROW + 4
    top = float(max((reached for _, reached, _ in steps), default=0) or 1)
    values = [f"{completed} / {reached}" for _, reached, completed in steps]
    room = WIDTH - max(VALUE_ROOM, max(map(_text_width, values), default=0) + 8)
    reached_label, completed_label = (_clip(text, WIDTH / 2 - 30) for text in legend)
    second = round(20 + _text_width(reached_label) + 16)
    body = [
        '<rect class="chart-reached" x="0" y="6" width="14" height="14"></rect>',
        f'<text class="chart-label" x="20" y="20">{escape(reached_label)}</text>',
        f'<rect class="chart-bar" x="{second}" y="6" width="14" height="14"></rect>',
        f'<text class="chart-label" x="{second + 20}" y="20">{escape(completed_label)}</text>',
    ]
    for i, (label, reached, completed) in enumerate(steps):
        y = legend_height + 4 + i * ROW
        w_reached = round(room * float(reached) / top, 1)
        w_done = round(room * float(completed) / top, 1)
        body.append(
            f'<g class="chart-row"><title>{escape(label)}: {escape(legend[0])} {reached}, '
            f"{escape(legend[1])} {completed}</title>"
            f'<text class="chart-label" x="2" y="{y + 20}">{escape(_clip(label, WIDTH - 4))}</text>'
            f'<rect class="chart-reached" x="0" y="{y + 26}" width="{w_reached}" '
            f'height="{BAR + 4}"></rect>'
            f'<rect class="chart-bar" x="0" y="{y + 30}" width="{w_done}" '
            f'height="{BAR - 4}"></rect>'
            f'<text class="chart-value" x="{w_reached + 6}" y="{y + 42}">'
            f"{escape(values[i])}</text></g>"
        )
    return _frame(chart_id, title, desc, height, body)

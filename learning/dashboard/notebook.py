"""The learner's notebook exported: as Markdown (a text file they can keep and edit anywhere)
and as a PDF (to print or send), every answer under its course, lesson and question."""

from __future__ import annotations

import io
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from ..certificates.pdf import font_for, visual_order
from ..content.sanitize import plain_text
from ..learn.reflections import NotebookEntry


def _heading(entry: NotebookEntry) -> str:
    """The question an answer answers (the lesson's title, if the question has since gone)."""
    return plain_text(entry.prompt_html) or entry.lesson_title


def by_course(entries: list[NotebookEntry]):
    """(course title, entries) in the notebook's order."""
    return [(title, list(group)) for title, group in groupby(entries, lambda e: e.course_title)]


def as_markdown(title: str, entries: list[NotebookEntry], lesson_label: str) -> str:
    lines = [f"# {title}", ""]
    for course_title, group in by_course(entries):
        lines += [f"## {course_title}", ""]
        for entry in group:
            lines += [f"### {_heading(entry)}",
                      f"*{lesson_label}: {entry.lesson_title}*", "", entry.text, ""]
    return "\n".join(lines).rstrip() + "\n"


def as_pdf(title: str, entries: list[NotebookEntry], lesson_label: str) -> bytes:
    def paragraph(text: str, size: float, bold: bool = False, space: float = 4) -> Paragraph:
        font = font_for(text, "Sans-Bold" if bold else "Sans")
        style = ParagraphStyle("p", fontName=font, fontSize=size, leading=size * 1.35,
                               spaceAfter=space)
        lines = (escape(visual_order(line)) for line in text.split("\n"))
        return Paragraph("<br/>".join(lines), style)

    story = [paragraph(title, 20, bold=True, space=10)]
    for course_title, group in by_course(entries):
        story += [Spacer(1, 4 * mm), paragraph(course_title, 15, bold=True, space=6)]
        for entry in group:
            story += [paragraph(_heading(entry), 11.5, bold=True, space=2),
                      paragraph(f"{lesson_label}: {entry.lesson_title}", 9, space=3),
                      paragraph(entry.text, 11, space=8)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=20 * mm,
                      rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm).build(story)
    return buffer.getvalue()

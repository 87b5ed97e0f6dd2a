"""The printable certificate: one landscape A4 page, fonts embedded, a QR code to verify it.

The fonts ship with the package (learning/certificates/fonts) so every name prints the same on
any server: DejaVu Serif and Sans for Latin, Greek and Cyrillic scripts, DejaVu Sans for Arabic,
Droid Sans Fallback for Chinese, Japanese and Korean. A character the chosen font lacks is drawn
in the first of those that has it, and Arabic is shaped (joined letters) and laid out right to
left before it is drawn. ReportLab embeds the subset of each font that a certificate uses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS = Path(__file__).parent / "fonts"
INK = HexColor("#1f2933")
ACCENT = HexColor("#0b5d7a")
MUTED = HexColor("#52606d")


@dataclass(frozen=True)
class CertificateText:
    """Every word printed, already translated: the PDF knows nothing of gettext."""

    heading: str
    certifies: str
    holder: str
    achieved: str
    title: str
    date_line: str
    issuer: str
    id_label: str
    public_id: str
    verify_label: str
    verify_url: str
    language: str


FALLBACKS = {"Serif": ("Sans", "CJK"), "Serif-Bold": ("Sans-Bold", "CJK"),
             "Sans": ("CJK",), "Sans-Bold": ("CJK",)}
_RIGHT_TO_LEFT = ("\u0590", "\u08ff")  # Hebrew, Arabic and their supplements


@cache
def _register_fonts() -> None:
    for name, file in (("Serif", "DejaVuSerif.ttf"), ("Serif-Bold", "DejaVuSerif-Bold.ttf"),
                       ("Sans", "DejaVuSans.ttf"), ("Sans-Bold", "DejaVuSans-Bold.ttf"),
                       ("CJK", "DroidSansFallbackFull.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def _has_glyph(font: str, char: str) -> bool:
    return ord(char) in pdfmetrics.getFont(font).face.charToGlyph


def _runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` as (font, characters) runs: each character in ``font`` or its first fallback
    that has it (spaces and characters no font has stay in the run they are in)."""
    runs: list[tuple[str, str]] = []
    for char in text:
        chosen = next((f for f in (font, *FALLBACKS[font]) if _has_glyph(f, char)),
                      runs[-1][0] if runs else font)
        if runs and (runs[-1][0] == chosen or char.isspace()):
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        else:
            runs.append((chosen, char))
    return runs


def _visual(text: str) -> str:
    """Text as it is drawn: Arabic letters joined and right-to-left runs in display order."""
    if not any(_RIGHT_TO_LEFT[0] <= char <= _RIGHT_TO_LEFT[1] for char in text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def _width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(chars, f, size) for f, chars in _runs(_visual(text), font))


def _draw(canvas: Canvas, x: float, y: float, text: str, font: str, size: float,
          centred: bool = False) -> None:
    """Draw ``text`` from ``x`` (or centred on it), each run in a font that has its glyphs."""
    runs = _runs(_visual(text), font)
    if centred:
        x -= sum(pdfmetrics.stringWidth(chars, f, size) for f, chars in runs) / 2
    for run_font, chars in runs:
        canvas.setFont(run_font, size)
        canvas.drawString(x, y, chars)
        x += pdfmetrics.stringWidth(chars, run_font, size)


def _fits(lines: list[str], font: str, size: float, width: float, max_lines: int) -> bool:
    return len(lines) <= max_lines and all(_width(line, font, size) <= width for line in lines)


def _break_inside_words(line: str, font: str, size: float, width: float) -> list[str]:
    """A line too wide for ``width`` (one long word, in any script) cut between characters."""
    pieces, piece = [], ""
    for char in line:
        if piece and _width(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def _fit_lines(text: str, font: str, size: float, width: float, *, max_lines: int = 2,
              min_size: float = 14) -> tuple[list[str], float]:
    """The lines ``text`` prints as, and their size, so that every character is on the page:
    smaller type until it fits in ``max_lines`` lines of ``width``, and at ``min_size``, lines
    broken inside words that are still too wide."""
    lines = simpleSplit(text, font, size, width)
    while size > min_size and not _fits(lines, font, size, width, max_lines):
        size = max(size - 2, min_size)
        lines = simpleSplit(text, font, size, width)
    return [piece for line in lines for piece in _break_inside_words(line, font, size, width)], size


def _centred_lines(canvas: Canvas, text: str, font: str, size: float, y: float,
                   width: float) -> float:
    """Draw ``text`` centred in lines that fit ``width``; the baseline below the last line."""
    lines, size = _fit_lines(text, font, size, width)
    leading = size * 1.25
    page_width = landscape(A4)[0]
    for line in lines:
        _draw(canvas, page_width / 2, y, line, font, size, centred=True)
        y -= leading
    return y


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code as filled squares, with the four-module quiet zone scanners need."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(data)
    qr.make()
    count = qr.getModuleCount()
    module = size / (count + 8)
    canvas.setFillColor(HexColor("#000000"))
    for row in range(count):
        for col in range(count):
            if qr.isDark(row, col):
                canvas.rect(x + (col + 4) * module, y + size - (row + 5) * module,
                            module, module, stroke=0, fill=1)


def render_pdf(text: CertificateText, logo: str | None = None) -> bytes:
    _register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1, lang=text.language,
                    initialFontName="Sans", initialFontSize=11)
    canvas.setTitle(f"{text.heading}: {text.holder}, {text.title}")
    canvas.setAuthor(text.issuer)
    canvas.setSubject(text.verify_url)

    # Frame: a thick accent border and a thin inner rule.
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(6)
    canvas.rect(24, 24, width - 48, height - 48)
    canvas.setLineWidth(0.8)
    canvas.rect(36, 36, width - 72, height - 72)

    # Issuer, with its logo when one is configured, else a simple emblem.
    top = height - 92
    if logo:
        canvas.drawImage(ImageReader(logo), width / 2 - 24, top - 4, 48, 48,
                         preserveAspectRatio=True, mask="auto")
    else:
        canvas.setFillColor(ACCENT)
        canvas.circle(width / 2, top + 20, 22, stroke=0, fill=1)
        canvas.setFillColor(HexColor("#ffffff"))
        canvas.setFont("Sans-Bold", 15)
        canvas.drawCentredString(width / 2, top + 14, text.issuer[:1].upper())
    canvas.setFillColor(MUTED)
    _draw(canvas, width / 2, top - 22, text.issuer, "Sans", 11, centred=True)

    canvas.setFillColor(ACCENT)
    y = _centred_lines(canvas, text.heading.upper(), "Serif-Bold", 30, top - 74, width - 160)
    canvas.setFillColor(INK)
    _draw(canvas, width / 2, y - 12, text.certifies, "Serif", 14, centred=True)
    y = _centred_lines(canvas, text.holder, "Serif-Bold", 34, y - 60, width - 160)
    _draw(canvas, width / 2, y - 8, text.achieved, "Serif", 14, centred=True)
    y = _centred_lines(canvas, text.title, "Serif-Bold", 22, y - 42, width - 200)
    canvas.setFillColor(MUTED)
    _draw(canvas, width / 2, y - 10, text.date_line, "Sans", 12, centred=True)

    # Bottom: the id and the address to check it, and the same address as a QR code.
    _draw_qr(canvas, text.verify_url, x=width - 60 - 96, y=52, size=96)
    canvas.setFillColor(MUTED)
    _draw(canvas, 62, 92, f"{text.id_label}: {text.public_id}", "Sans", 9)
    _draw(canvas, 62, 78, text.verify_label, "Sans", 9)
    canvas.setFillColor(ACCENT)
    canvas.setFont("Sans", 9)
    canvas.drawString(62, 64, text.verify_url)
    canvas.linkURL(text.verify_url, (60, 60, 60 + pdfmetrics.stringWidth(
        text.verify_url, "Sans", 9), 72))

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

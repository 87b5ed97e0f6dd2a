"""The printable certificate: one landscape A4 page, fonts embedded, a QR code to verify it.

The page reads top to bottom: the issuer (logo and name), what is certified (holder, course or
programme, its hours and date, a programme's courses), then who signs it and how to check it.
The platform's colour draws the frame, the heading and the link, and nothing else.

The fonts ship with the package (learning/certificates/fonts) so every name prints the same on
any server: DejaVu Serif and Sans for Latin, Greek and Cyrillic scripts, DejaVu Sans for Arabic,
Droid Sans Fallback for Chinese, Japanese and Korean. A character the chosen font lacks is drawn
in the first of those that has it, and Arabic is shaped (joined letters) and laid out right to
left before it is drawn. ReportLab embeds the subset of each font that a certificate uses.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..identity import DEFAULT_COLOUR
from . import design

FONTS = Path(__file__).parent / "fonts"
INK = HexColor(design.INK)
MUTED = HexColor(design.MUTED)
HAIRLINE = HexColor(design.HAIRLINE)
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)


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
    hours: str = ""  # "6 hours", in the holder's language; empty: not printed
    courses_label: str = ""  # above a programme's courses
    courses: tuple[str, ...] = ()  # a programme's, as the holder completed them
    signatory_name: str = ""  # empty: the issuer's name under ``issued_by_label`` instead
    signatory_role: str = ""
    issued_by_label: str = ""


FALLBACKS = {"Serif": ("Sans", "CJK"), "Serif-Bold": ("Sans-Bold", "CJK"),
             "Sans": ("CJK",), "Sans-Bold": ("CJK",)}
FONT_FILES = {"Serif": "DejaVuSerif.ttf", "Serif-Bold": "DejaVuSerif-Bold.ttf",
              "Sans": "DejaVuSans.ttf", "Sans-Bold": "DejaVuSans-Bold.ttf",
              "CJK": "DroidSansFallbackFull.ttf"}
_RIGHT_TO_LEFT = ("\u0590", "\u08ff")  # Hebrew, Arabic and their supplements


@cache
def _register_fonts() -> None:
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def _has_glyph(font: str, char: str) -> bool:
    return ord(char) in pdfmetrics.getFont(font).face.charToGlyph


def font_for(text: str, font: str) -> str:
    """The first of ``font`` and its fallbacks with a glyph for every letter of ``text``, for
    images, which draw a line in one font."""
    _register_fonts()
    return next((f for f in (font, *FALLBACKS[font])
                 if all(_has_glyph(f, char) for char in text if not char.isspace())), font)


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


def is_right_to_left(text: str) -> bool:
    return any(_RIGHT_TO_LEFT[0] <= char <= _RIGHT_TO_LEFT[1] for char in text)


def visual_order(text: str) -> str:
    """Text as it is drawn: Arabic letters joined and right-to-left runs in display order."""
    if not is_right_to_left(text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def _spacing(text: str, tracking: float) -> float:
    """Letter spacing for ``text``: none for joined scripts, whose letters it would part."""
    return 0 if is_right_to_left(text) else tracking


def _width(text: str, font: str, size: float, tracking: float = 0) -> float:
    shown = visual_order(text)
    return (sum(pdfmetrics.stringWidth(chars, f, size) for f, chars in _runs(shown, font))
            + _spacing(text, tracking) * len(shown))


def _draw(canvas: Canvas, x: float, y: float, text: str, font: str, size: float,
          centred: bool = False, *, right: bool = False, tracking: float = 0) -> None:
    """Draw ``text`` from ``x`` (or centred on it, or ending at it), each run in a font that
    has its glyphs, its letters ``tracking`` points apart."""
    runs = _runs(visual_order(text), font)
    space = _spacing(text, tracking)
    if centred or right:
        width = _width(text, font, size, tracking)
        x -= width / 2 if centred else width
    for run_font, chars in runs:
        canvas.setFont(run_font, size)
        canvas.drawString(x, y, chars, charSpace=space)
        x += pdfmetrics.stringWidth(chars, run_font, size) + space * len(chars)


def _fits(lines: list[str], font: str, size: float, width: float, max_lines: int,
          tracking: float = 0) -> bool:
    return len(lines) <= max_lines and all(_width(line, font, size, tracking) <= width
                                           for line in lines)


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
              min_size: float = 14, tracking: float = 0) -> tuple[list[str], float]:
    """The lines ``text`` prints as, and their size, so that every character is on the page:
    smaller type until it fits in ``max_lines`` lines of ``width``, and at ``min_size``, lines
    broken inside words that are still too wide."""
    lines = simpleSplit(text, font, size, width)
    while size > min_size and not _fits(lines, font, size, width, max_lines, tracking):
        size = max(size - 1, min_size)
        lines = simpleSplit(text, font, size, width)
    return [piece for line in lines for piece in _break_inside_words(line, font, size, width)], size


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


# --- The page, top to bottom ------------------------------------------------------------------

LOGO_BOX = (170, 46)  # the widest and tallest a logo is drawn
QR_SIZE = 92
QR_QUIET_ZONE = 10  # about four modules: white, part of QR_SIZE
FOOTER_INSET = 74  # from the page's edge to the signature, and to the QR code's dark part
COURSE_COLUMN, COURSE_GUTTER, BULLET = 300, 40, 12
SIGNATURE_WIDTH = 250


def _frame(canvas: Canvas, accent: Color) -> None:
    """A fine double rule in the platform's colour, a calm border for the whole page."""
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(1.6)
    canvas.rect(20, 20, PAGE_WIDTH - 40, PAGE_HEIGHT - 40)
    canvas.setLineWidth(0.5)
    canvas.rect(26, 26, PAGE_WIDTH - 52, PAGE_HEIGHT - 52)


def _in_embedded_fonts(drawing: Drawing) -> None:
    """The drawing's text, and its default font, in DejaVu Sans: ReportLab would otherwise
    reach for Times or Helvetica, fonts the PDF does not embed."""
    drawing.initialFontName = "Sans"
    nodes = list(drawing.contents)
    while nodes:
        node = nodes.pop()
        if isinstance(node, String):
            node.fontName = "Sans"
        nodes.extend(getattr(node, "contents", ()))


def _draw_logo(canvas: Canvas, logo: tuple[bytes, str], top: float) -> float:
    """The logo centred under ``top``, within LOGO_BOX; the height it took (0: unreadable)."""
    data, media_type = logo
    box_width, box_height = LOGO_BOX
    if media_type == design.SVG_TYPE:
        drawing = design.svg_drawing(data)
        if drawing is None or not drawing.width or not drawing.height:
            return 0
        natural = (drawing.width, drawing.height)
    else:
        try:
            image = ImageReader(io.BytesIO(data))
            natural = image.getSize()
        except OSError:
            return 0
    scale = min(box_width / natural[0], box_height / natural[1])
    width, height = natural[0] * scale, natural[1] * scale
    x, y = (PAGE_WIDTH - width) / 2, top - height
    if media_type == design.SVG_TYPE:
        _in_embedded_fonts(drawing)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.restoreState()
    else:
        canvas.drawImage(image, x, y, width, height, mask="auto")
    return height


def _header(canvas: Canvas, text: CertificateText, logo: tuple[bytes, str] | None) -> float:
    """The issuer's logo and name at the top; the height below which the body may start."""
    top = PAGE_HEIGHT - 54
    if logo is not None:
        top -= _draw_logo(canvas, logo, top) + 16
    lines, size = _fit_lines(text.issuer.upper(), "Sans", 9.5, PAGE_WIDTH - 280,
                             min_size=7, tracking=1.6)
    canvas.setFillColor(MUTED)
    for line in lines:
        top -= size * 1.35
        _draw(canvas, PAGE_WIDTH / 2, top, line, "Sans", size, centred=True, tracking=1.6)
    return top - 24


Block = tuple[float, Callable[[Canvas, float], None]]  # its height, and how to draw it at a top


def _text_block(text: str, font: str, size: float, colour: Color, *, width: float,
                before: float = 0, max_lines: int = 2, min_size: float = 9,
                tracking: float = 0) -> Block:
    """Centred lines that fit ``width``, ``before`` points below the block above."""
    lines, size = _fit_lines(text, font, size, width, max_lines=max_lines, min_size=min_size,
                             tracking=tracking)
    leading = size * 1.28

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(colour)
        for index, line in enumerate(lines):
            _draw(canvas, PAGE_WIDTH / 2, top - before - size - index * leading, line, font,
                  size, centred=True, tracking=tracking)

    return before + size * 0.28 + len(lines) * leading, draw


def _rule_block(colour: Color, width: float, before: float, after: float) -> Block:
    def draw(canvas: Canvas, top: float) -> None:
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(1.1)
        canvas.line((PAGE_WIDTH - width) / 2, top - before, (PAGE_WIDTH + width) / 2,
                    top - before)

    return before + after, draw


def _stack(blocks: list[Block], before: float = 0) -> Block:
    """Blocks one under the other, as one block."""
    def draw(canvas: Canvas, top: float) -> None:
        top -= before
        for height, draw_block in blocks:
            draw_block(canvas, top)
            top -= height

    return before + sum(height for height, _ in blocks), draw


def _courses_block(courses: tuple[str, ...], scale: float, before: float) -> Block:
    """A programme's courses: one centred column for a few, else two columns centred as a
    pair, in programme order down the left column, then the right."""
    size, gap = 10.5 * scale, 2.5 * scale
    if len(courses) <= 4:
        return _stack([_text_block(title, "Sans", size, INK, width=560, before=gap if index
                                   else 0, min_size=7) for index, title in enumerate(courses)],
                      before)
    rows = -(-len(courses) // 2)  # the left column takes the odd one
    fitted = [_fit_lines(title, "Sans", size, COURSE_COLUMN - BULLET, min_size=7)
              for title in courses]
    columns = [fitted[:rows], fitted[rows:]]
    widths = [BULLET + max(_width(line, "Sans", line_size)
                           for lines, line_size in column for line in lines)
              for column in columns]
    row_heights = [gap + max(len(lines) * line_size * 1.3 for lines, line_size in
                             (column[row] for column in columns if row < len(column)))
                   for row in range(rows)]

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(INK)
        x = (PAGE_WIDTH - sum(widths) - COURSE_GUTTER) / 2
        for column, width in zip(columns, widths, strict=True):
            y = top - before
            for (lines, line_size), row_height in zip(column, row_heights, strict=False):
                canvas.circle(x + 2, y - line_size * 0.68, 1.4, stroke=0, fill=1)
                for number, line in enumerate(lines):
                    _draw(canvas, x + BULLET, y - line_size - number * line_size * 1.3, line,
                          "Sans", line_size)
                y -= row_height
            x += width + COURSE_GUTTER

    return before + sum(row_heights), draw


def _body(text: CertificateText, accent: Color, scale: float) -> list[Block]:
    """What is certified, as blocks in reading order, in type ``scale`` times the usual."""
    wide = PAGE_WIDTH - 180
    details = "  ·  ".join(part for part in (text.hours, text.date_line) if part)
    blocks = [
        _text_block(text.heading.upper(), "Serif-Bold", 22 * scale, accent, width=wide,
                    min_size=14, tracking=2.4),
        _rule_block(accent, 56, before=12 * scale, after=8 * scale),
        _text_block(text.certifies, "Serif", 13 * scale, MUTED, width=wide,
                    before=10 * scale),
        _text_block(text.holder, "Serif-Bold", 32 * scale, INK, width=wide, before=6 * scale,
                    min_size=14),
        _text_block(text.achieved, "Serif", 13 * scale, MUTED, width=wide, before=6 * scale),
        _text_block(text.title, "Serif-Bold", 20 * scale, INK, width=wide - 40,
                    before=6 * scale, min_size=12),
        _text_block(details, "Sans", 10.5 * scale, MUTED, width=wide, before=12 * scale),
    ]
    if text.courses:
        blocks.append(_rule_block(HAIRLINE, 220, before=16 * scale, after=4 * scale))
        blocks.append(_text_block(text.courses_label.upper(), "Sans-Bold", 8 * scale, MUTED,
                                  width=wide, before=8 * scale, tracking=1.4, min_size=6))
        blocks.append(_courses_block(text.courses, scale, before=6 * scale))
    return blocks


def _draw_body(canvas: Canvas, text: CertificateText, accent: Color, top: float,
               bottom: float) -> None:
    """The body centred between header and footer, in smaller type if that is what fits."""
    scale = 1.1  # a course's page has room to spare; a programme's may need less
    blocks = _body(text, accent, scale)
    while sum(height for height, _ in blocks) > top - bottom and scale > 0.6:
        scale -= 0.05
        blocks = _body(text, accent, scale)
    y = top - max(0, (top - bottom - sum(height for height, _ in blocks)) / 2)
    for height, draw in blocks:
        draw(canvas, y)
        y -= height


def _left_lines(canvas: Canvas, text: str, font: str, size: float, x: float, y: float, *,
                max_lines: int = 2) -> None:
    """``text`` from ``x``, its first baseline at ``y``, in lines of the signature's width."""
    lines, size = _fit_lines(text, font, size, SIGNATURE_WIDTH, max_lines=max_lines,
                             min_size=7)
    for line in lines:
        _draw(canvas, x, y, line, font, size)
        y -= size * 1.3


def _signature(canvas: Canvas, text: CertificateText) -> None:
    """Bottom left: a rule, the signatory's name and role; without a signatory, the issuer
    under "Issued by" (never a line left blank for a signature)."""
    x = FOOTER_INSET
    if text.signatory_name:
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(x, 114, x + 210, 114)
        canvas.setFillColor(INK)
        _left_lines(canvas, text.signatory_name, "Serif-Bold", 12, x, 98, max_lines=1)
        canvas.setFillColor(MUTED)
        _left_lines(canvas, text.signatory_role, "Sans", 9, x, 84)
    else:
        canvas.setFillColor(MUTED)
        _draw(canvas, x, 106, text.issued_by_label.upper(), "Sans", 7.5, tracking=1.2)
        canvas.setFillColor(INK)
        _left_lines(canvas, text.issuer, "Serif-Bold", 12, x, 90)


def _verification(canvas: Canvas, text: CertificateText, accent: Color) -> None:
    """Bottom right: the QR code, and beside it the id and the address it leads to."""
    qr_x = PAGE_WIDTH - FOOTER_INSET - QR_SIZE + QR_QUIET_ZONE
    _draw_qr(canvas, text.verify_url, x=qr_x, y=40, size=QR_SIZE)
    right = qr_x - 2  # clear of the quiet zone, which scanners need white
    room = right - (FOOTER_INSET + SIGNATURE_WIDTH + 24)
    canvas.setFillColor(MUTED)
    _draw(canvas, right, 104, f"{text.id_label}: {text.public_id}", "Sans", 8, right=True)
    _draw(canvas, right, 91, text.verify_label, "Sans", 8, right=True)
    size = 8.0
    while size > 5.5 and pdfmetrics.stringWidth(text.verify_url, "Sans", size) > room:
        size -= 0.5
    width = pdfmetrics.stringWidth(text.verify_url, "Sans", size)
    canvas.setFillColor(accent)
    canvas.setFont("Sans", size)
    canvas.drawString(right - width, 78, text.verify_url)
    canvas.linkURL(text.verify_url, (right - width - 2, 75, right + 2, 78 + size + 2))


def render_pdf(text: CertificateText, logo: tuple[bytes, str] | None = None,
               colour: str = DEFAULT_COLOUR) -> bytes:
    """The certificate; ``logo`` is the issuer's (SVG or PNG bytes, and their media type),
    ``colour`` the platform's (#rrggbb)."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1,
                    lang=text.language, initialFontName="Sans", initialFontSize=11)
    canvas.setTitle(f"{text.heading}: {text.holder}, {text.title}")
    canvas.setAuthor(text.issuer)
    canvas.setSubject(text.verify_url)
    accent = HexColor(colour)

    _frame(canvas, accent)
    body_top = _header(canvas, text, logo)
    _draw_body(canvas, text, accent, top=body_top, bottom=146)
    _signature(canvas, text)
    _verification(canvas, text, accent)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()

"""The badge image: a medallion around the course's cover, the credential baked in.

The medallion is the platform's colour, with the issuer's name along its upper rim. Its centre
is the course's cover, cropped to a circle, so each course's badge looks like its course; a
programme, or a course without a cover, shows the issuer's logo there instead. A ribbon across
the lower part carries the achievement's title.

Open Badges 3.0 bakes a credential into a PNG as an ``iTXt`` chunk named
``openbadgecredential``, so the image alone carries its proof.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache, lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFont, PngImagePlugin

from .design import artwork_image
from .pdf import FONT_FILES, FONTS, font_for, is_right_to_left, visual_order

SIZE = 400
SCALE = 4  # drawn this many times larger, then reduced: smooth curves and text
BAKED_KEYWORD = "openbadgecredential"
WHITE = (255, 255, 255, 255)
CENTRE = SIZE / 2
DISC = 196  # radii, in pixels of the final image
INNER = 146
RIM_TEXT = 172
ART_LIFT = 14  # the centre's artwork sits this much higher, clear of the ribbon


@dataclass(frozen=True)
class BadgeDesign:
    """Everything the image shows, so equal designs share one cached image."""

    title: str
    issuer: str
    colour: str  # #rrggbb
    dark_colour: str
    logo: tuple[bytes, str]  # the issuer's, when there is no cover
    cover: tuple[bytes, str] | None = None


def _rgba(colour: str) -> tuple[int, int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16), 255


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: visual_order has already joined and ordered right-to-left text.
    return ImageFont.truetype(str(FONTS / FONT_FILES[name]), size,
                              layout_engine=ImageFont.Layout.BASIC)


def _centre_art(design: BadgeDesign) -> Image.Image:
    """The medallion's centre, in final pixels, cut to a circle: the cover, else the logo on
    white. Artwork is painted smooth at this size already (see design.rasterise)."""
    side = 2 * INNER
    art = Image.new("RGBA", (side, side), WHITE)
    cover = artwork_image(*design.cover, side, side) if design.cover else None
    if cover is not None:
        art.alpha_composite(cover, (0, -ART_LIFT))
    else:
        logo = artwork_image(*design.logo, side // 2, side // 2, contain=True)
        if logo is not None:  # in the upper part, clear of the ribbon
            art.alpha_composite(logo, ((side - logo.width) // 2,
                                       round(side * 0.42 - logo.height / 2)))
    circle = Image.new("L", (side * SCALE, side * SCALE))
    ImageDraw.Draw(circle).ellipse((0, 0, side * SCALE, side * SCALE), fill=255)
    art.putalpha(ImageChops.multiply(art.getchannel("A"),
                                     circle.resize((side, side), Image.Resampling.BOX)))
    return art


def _rim_text(canvas: Image.Image, text: str) -> None:
    """``text`` along the upper rim, centred on its top, in smaller type if it is long, and
    cut short (…) if it is longer than the rim."""
    text = text.upper()
    font_name = font_for(text, "Sans-Bold")
    radius = RIM_TEXT * SCALE
    longest = radius * math.radians(200)
    for size in range(15, 9, -1):
        font = _font(font_name, size * SCALE)
        # Letters spaced apart, except joined ones (Arabic), which spacing would part.
        tracking = 0 if is_right_to_left(text) else size * SCALE * 0.12
        shown = visual_order(text)
        advances = [font.getlength(char) + tracking for char in shown]
        if sum(advances) <= longest:
            break
    while sum(advances) > longest and len(text) > 1:
        text = text[:-1].rstrip()
        shown = visual_order(text + "…")
        advances = [font.getlength(char) + tracking for char in shown]
    angle = math.pi / 2 + sum(advances) / radius / 2  # where the first letter starts
    box = round(size * SCALE * 2.2)
    for char, advance in zip(shown, advances, strict=True):
        middle = angle - advance / 2 / radius
        angle -= advance / radius
        if char.isspace():
            continue
        glyph = Image.new("RGBA", (box, box))
        ImageDraw.Draw(glyph).text((box / 2, box / 2), char, font=font, fill=WHITE, anchor="mm")
        glyph = glyph.rotate(math.degrees(middle - math.pi / 2), Image.Resampling.BICUBIC)
        x = CENTRE * SCALE + radius * math.cos(middle)
        y = CENTRE * SCALE - radius * math.sin(middle)
        canvas.alpha_composite(glyph, (round(x - box / 2), round(y - box / 2)))


def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(visual_order(text))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """``text`` in lines of ``width``, between words, or inside a word (as in Chinese, which
    has no spaces) too wide for a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and _length(font, f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        lines.append("")
        for char in word:
            if lines[-1] and _length(font, lines[-1] + char) > width:
                lines.append("")
            lines[-1] += char
    return lines


def _title_lines(text: str, width: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The title in at most three lines of ``width``, in the largest type that fits; at the
    smallest, a longer title loses its end (its full name is in the credential)."""
    font_name = font_for(text, "Sans-Bold")
    for size, most in ((24, 2), (21, 2), (18, 3), (15, 3), (13, 3)):
        font = _font(font_name, size * SCALE)
        lines = _wrap(text, font, width)
        if len(lines) <= most:
            return font, lines
    last = lines[2]
    while last and _length(font, last + "…") > width:
        last = last[:-1]
    return font, [*lines[:2], last.rstrip() + "…"]


def _ribbon(canvas: Image.Image, design: BadgeDesign) -> None:
    """A band with notched ends across the lower part, the title on it in white."""
    font, lines = _title_lines(design.title, 276 * SCALE)
    leading = font.size * 1.18
    height = len(lines) * leading + 22 * SCALE
    middle = 322 * SCALE if len(lines) < 3 else 312 * SCALE
    top, bottom = middle - height / 2, middle + height / 2
    left, right, notch = 14 * SCALE, (SIZE - 14) * SCALE, 12 * SCALE
    draw = ImageDraw.Draw(canvas)
    draw.polygon([(left, top), (right, top), (right - notch, middle), (right, bottom),
                  (left, bottom), (left + notch, middle)], fill=_rgba(design.dark_colour))
    for edge in (top + 4 * SCALE, bottom - 4 * SCALE):
        draw.line([(left + notch, edge), (right - notch, edge)], fill=(255, 255, 255, 110),
                  width=SCALE)
    y = middle - (len(lines) - 1) * leading / 2
    for line in lines:
        draw.text((CENTRE * SCALE, y), visual_order(line), font=font, fill=WHITE, anchor="mm")
        y += leading


def _ring(draw: ImageDraw.ImageDraw, radius: float, **style) -> None:
    centre, radius = CENTRE * SCALE, radius * SCALE
    draw.ellipse((centre - radius, centre - radius, centre + radius, centre + radius), **style)


@lru_cache(maxsize=256)
def badge_image(design: BadgeDesign) -> bytes:
    """The plain image for an achievement (cached: few achievements, many downloads).

    Three layers: the disc and its rings; the centre's artwork; the rim's text and the
    ribbon. The first and last are drawn large and reduced, for smooth edges."""
    big = SIZE * SCALE
    disc = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(disc)
    _ring(draw, DISC, fill=_rgba(design.colour))
    _ring(draw, DISC - 7, outline=(255, 255, 255, 140), width=SCALE)
    _ring(draw, INNER + 5, fill=WHITE)
    image = disc.resize((SIZE, SIZE), Image.Resampling.BOX)

    image.alpha_composite(_centre_art(design), (SIZE // 2 - INNER, SIZE // 2 - INNER))

    words = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(words)
    for degrees in (256, 270, 284):  # three dots where the rim's lower half is empty
        x = (CENTRE + RIM_TEXT * math.cos(math.radians(degrees))) * SCALE
        y = (CENTRE - RIM_TEXT * math.sin(math.radians(degrees))) * SCALE
        draw.ellipse((x - 2.5 * SCALE, y - 2.5 * SCALE, x + 2.5 * SCALE, y + 2.5 * SCALE),
                     fill=WHITE)
    _rim_text(words, design.issuer)
    _ribbon(words, design)
    image.alpha_composite(words.resize((SIZE, SIZE), Image.Resampling.BOX))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def baked_badge(design: BadgeDesign, credential_jwt: str) -> bytes:
    """The achievement's image with the signed credential in an uncompressed iTXt chunk."""
    image = Image.open(io.BytesIO(badge_image(design)))
    info = PngImagePlugin.PngInfo()
    info.add_itxt(BAKED_KEYWORD, credential_jwt, zip=False)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def baked_credential(png: bytes) -> str | None:
    """The credential baked into a badge image (OB 3.0 §5.3), or None if there is none."""
    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            return image.text.get(BAKED_KEYWORD)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None

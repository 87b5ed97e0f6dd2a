"""The badge image: a round emblem with the achievement's name, the credential baked in.

Open Badges 3.0 bakes a credential into a PNG as an ``iTXt`` chunk named
``openbadgecredential``, so the image alone carries its proof.
"""

from __future__ import annotations

import io
import textwrap
from functools import cache

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from .pdf import FONTS

SIZE = 400
ACCENT = (11, 93, 122)
WHITE = (255, 255, 255)
BAKED_KEYWORD = "openbadgecredential"


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")),
                              size)


def _draw_centred(draw: ImageDraw.ImageDraw, lines: list[str], font, top: float,
                  leading: float) -> None:
    for i, line in enumerate(lines):
        draw.text((SIZE / 2, top + i * leading), line, font=font, fill=WHITE, anchor="ma")


@cache
def badge_image(title: str, issuer: str) -> bytes:
    """The plain image for an achievement (cached: few achievements, many downloads)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, SIZE - 4, SIZE - 4), fill=ACCENT)
    draw.ellipse((22, 22, SIZE - 22, SIZE - 22), outline=WHITE, width=3)
    lines = textwrap.wrap(title, 18)[:4]
    _draw_centred(draw, lines, _font(True, 30), SIZE / 2 - 19 * len(lines), 38)
    _draw_centred(draw, textwrap.wrap(issuer, 28)[:2], _font(False, 16), SIZE - 104, 20)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def baked_badge(title: str, issuer: str, credential_jwt: str) -> bytes:
    """The achievement's image with the signed credential in an uncompressed iTXt chunk."""
    image = Image.open(io.BytesIO(badge_image(title, issuer)))
    info = PngImagePlugin.PngInfo()
    info.add_itxt(BAKED_KEYWORD, credential_jwt, zip=False)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()

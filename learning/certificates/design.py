"""What the certificate and the badge share: their ink, and artwork read from SVG or PNG.

Logos and course covers are mostly SVG. svglib turns one into ReportLab shapes, which the PDF
draws as vectors. The badge is a PNG, and neither Pillow nor ReportLab (without rlPyCairo)
rasterises SVG, so ``rasterise`` paints those shapes with Pillow: fills, strokes, dashes,
opacity and transforms, enough for artwork drawn as flat shapes. Text, gradients and embedded
images inside an SVG are left out of the picture.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator

from lxml import etree
from PIL import Image, ImageChops, ImageDraw
from reportlab.graphics import shapes
from svglib.svglib import svg2rlg

INK = "#1f2933"
MUTED = "#52606d"
HAIRLINE = "#c5ced6"
SVG_TYPE = "image/svg+xml"

Matrix = tuple[float, float, float, float, float, float]  # ReportLab's (a, b, c, d, e, f)
SUPERSAMPLE = 3  # painted this many times larger, then reduced: smooth edges
_OPACITY_STYLE = re.compile(r"(?:^|;)\s*opacity\s*:\s*([0-9.]+%?)")


def svg_drawing(data: bytes) -> shapes.Drawing | None:
    """The SVG as a ReportLab drawing, or None when it cannot be read.

    Read from memory, so svglib follows no reference to another file, with no entities or
    network; and with each ``opacity`` folded into fill and stroke opacity, which svglib
    reads while it ignores ``opacity`` (the covers fade their background shapes with it).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    for element in root.iter("*"):
        match = _OPACITY_STYLE.search(element.get("style", ""))
        opacity = _fraction(element.attrib.pop("opacity", None) or (match and match[1]))
        if opacity is not None:
            for name in ("fill-opacity", "stroke-opacity"):
                own = _fraction(element.get(name))
                element.set(name, f"{(1.0 if own is None else own) * opacity:g}")
    return svg2rlg(io.BytesIO(etree.tostring(root)))


def _fraction(value: str | None) -> float | None:
    """An opacity written as a number ("0.4") or a percentage ("40%"); None if neither."""
    if not value:
        return None
    try:
        return float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        return None


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    return (a * n[0] + c * n[1], b * n[0] + d * n[1], a * n[2] + c * n[3],
            b * n[2] + d * n[3], a * n[4] + c * n[5] + e, b * n[4] + d * n[5] + f)


def _ellipse(cx: float, cy: float, rx: float, ry: float, start: float = 0,
             sweep: float = 2 * math.pi, steps: int = 48) -> list[tuple[float, float]]:
    return [(cx + rx * math.cos(start + sweep * i / steps),
             cy + ry * math.sin(start + sweep * i / steps)) for i in range(steps + 1)]


def _rounded_rect(shape: shapes.Rect) -> list[tuple[float, float]]:
    x, y, w, h = shape.x, shape.y, shape.width, shape.height
    rx = min(shape.rx or shape.ry or 0, w / 2)
    ry = min(shape.ry or shape.rx or 0, h / 2)
    if not rx or not ry:
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
    quarter = math.pi / 2
    corners = ((x + w - rx, y + ry, -quarter), (x + w - rx, y + h - ry, 0),
               (x + rx, y + h - ry, quarter), (x + rx, y + ry, 2 * quarter))
    points = [p for cx, cy, start in corners
              for p in _ellipse(cx, cy, rx, ry, start, quarter, 8)]
    return [*points, points[0]]


def _cubic(p0, p1, p2, p3, steps: int = 16) -> list[tuple[float, float]]:
    def at(t: float) -> tuple[float, float]:
        u = 1 - t
        return (u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
                u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1])
    return [at(i / steps) for i in range(1, steps + 1)]


def _path_outlines(shape: shapes.Path) -> list[tuple[list[tuple[float, float]], bool]]:
    """A path's subpaths as (points, closed), its curves flattened."""
    outlines: list[tuple[list[tuple[float, float]], bool]] = []
    points = list(zip(shape.points[::2], shape.points[1::2], strict=True))
    current: list[tuple[float, float]] = []
    index = 0
    for operator in shape.operators:
        if operator == 0:  # move to
            if len(current) > 1:
                outlines.append((current, False))
            current = [points[index]]
            index += 1
        elif operator == 1:  # line to
            current.append(points[index])
            index += 1
        elif operator == 2:  # curve to
            start = current[-1] if current else points[index]
            current.extend(_cubic(start, *points[index:index + 3]))
            index += 3
        elif operator == 3 and current:  # close
            outlines.append(([*current, current[0]], True))
            current = [current[0]]
    if len(current) > 1:
        outlines.append((current, False))
    return outlines


def _outlines(shape) -> list[tuple[list[tuple[float, float]], bool]]:
    """The shape as (points, closed) outlines in its own coordinates; [] for what we skip."""
    if isinstance(shape, shapes.Rect):
        return [(_rounded_rect(shape), True)]
    if isinstance(shape, shapes.Circle):
        return [(_ellipse(shape.cx, shape.cy, shape.r, shape.r), True)]
    if isinstance(shape, shapes.Ellipse):
        return [(_ellipse(shape.cx, shape.cy, shape.rx, shape.ry), True)]
    if isinstance(shape, shapes.Line):
        return [([(shape.x1, shape.y1), (shape.x2, shape.y2)], False)]
    if isinstance(shape, (shapes.Polygon, shapes.PolyLine)):
        points = list(zip(shape.points[::2], shape.points[1::2], strict=True))
        closed = isinstance(shape, shapes.Polygon)
        return [([*points, points[0]] if closed and points else points, closed)]
    if isinstance(shape, shapes.Path):
        return _path_outlines(shape)
    return []  # text, images: see the module's docstring


def _shapes(node, matrix: Matrix) -> Iterator[tuple[object, Matrix]]:
    """Every shape to paint, in order, with the matrix that places it on the image."""
    for child in node.getContents():
        if isinstance(child, shapes.Group):
            yield from _shapes(child, _multiply(matrix, tuple(child.transform)))
        elif not getattr(child, "isClipPath", False):
            yield child, matrix


def _dashes(points: list[tuple[float, float]], pattern: list[float]
            ) -> list[list[tuple[float, float]]]:
    """An outline cut into the dashes of ``pattern`` (lengths in the outline's units)."""
    dashes, dash, on, left = [], [points[0]], True, pattern[0]
    phase = 0
    for start, end in zip(points, points[1:], strict=False):
        length = math.dist(start, end)
        done = 0.0
        while length - done > left:
            done += left
            t = done / length
            point = (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
            if on:
                dashes.append([*dash, point])
            dash, on = [point], not on
            phase = (phase + 1) % len(pattern)
            left = pattern[phase]
        left -= length - done
        dash.append(end)
    if on and len(dash) > 1:
        dashes.append(dash)
    return dashes


def _colour(color, opacity: float) -> tuple[int, int, int, float]:
    return (round(color.red * 255), round(color.green * 255), round(color.blue * 255),
            opacity * getattr(color, "alpha", 1))


def _layer(canvas: Image.Image, mask: Image.Image, colour: tuple[int, int, int, float],
           corner: tuple[int, int]) -> None:
    """Lay ``colour`` on the canvas where ``mask`` (placed at ``corner``) is set, at the
    colour's opacity."""
    paint = Image.new("RGBA", mask.size, colour[:3] + (0,))
    paint.putalpha(mask.convert("L").point(lambda value: round(value * colour[3])))
    canvas.alpha_composite(paint, corner)


def _paint(canvas: Image.Image, shape, matrix: Matrix) -> None:
    """Fill, then stroke, one shape, working only on the part of the canvas it covers."""
    outlines = _outlines(shape)
    if not outlines:
        return
    a, b, c, d, e, f = matrix
    scale = math.sqrt(abs(a * d - b * c))
    stroke = getattr(shape, "strokeColor", None)
    width = (getattr(shape, "strokeWidth", 0) or 0) * scale if stroke is not None else 0
    placed = [([(a * x + c * y + e, b * x + d * y + f) for x, y in points], closed)
              for points, closed in outlines]
    xs = [x for points, _ in placed for x, _ in points]
    ys = [y for points, _ in placed for _, y in points]
    reach = width / 2 + 2
    left, top = max(0, math.floor(min(xs) - reach)), max(0, math.floor(min(ys) - reach))
    right = min(canvas.width, math.ceil(max(xs) + reach))
    bottom = min(canvas.height, math.ceil(max(ys) + reach))
    if right <= left or bottom <= top:
        return  # outside the picture
    region = (right - left, bottom - top)
    placed = [([(x - left, y - top) for x, y in points], closed) for points, closed in placed]

    fill = getattr(shape, "fillColor", None)
    if fill is not None:
        mask = Image.new("1", region)
        for points, _ in placed:  # each subpath toggles: holes stay empty (even-odd)
            if len(points) > 2:
                subpath = Image.new("1", region)
                ImageDraw.Draw(subpath).polygon(points, fill=1)
                mask = ImageChops.logical_xor(mask, subpath)
        _layer(canvas, mask, _colour(fill, getattr(shape, "fillOpacity", 1) or 1), (left, top))
    if width <= 0:
        return
    mask = Image.new("L", region)
    draw = ImageDraw.Draw(mask)
    pattern = [length * scale for length in (getattr(shape, "strokeDashArray", None) or [])]
    for points, _ in placed:
        for piece in (_dashes(points, pattern) if any(pattern) else [points]):
            draw.line(piece, fill=255, width=max(1, round(width)), joint="curve")
            if getattr(shape, "strokeLineCap", 0) == 1:  # round caps
                for x, y in (piece[0], piece[-1]):
                    draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2),
                                 fill=255)
    _layer(canvas, mask, _colour(stroke, getattr(shape, "strokeOpacity", 1) or 1), (left, top))


def rasterise(drawing: shapes.Drawing, width: int, height: int) -> Image.Image:
    """The drawing painted on a transparent ``width`` x ``height`` image, stretched to it."""
    big = (width * SUPERSAMPLE, height * SUPERSAMPLE)
    canvas = Image.new("RGBA", big, (0, 0, 0, 0))
    # Drawing units, y upwards, to pixels, y downwards.
    root = (big[0] / drawing.width, 0, 0, -big[1] / drawing.height, 0, big[1])
    for shape, matrix in _shapes(drawing, root):
        _paint(canvas, shape, matrix)
    return canvas.resize((width, height), Image.Resampling.BOX)


def artwork_image(data: bytes, media_type: str, width: int, height: int, *,
                  contain: bool = False) -> Image.Image | None:
    """An SVG, PNG or JPEG as an RGBA image, keeping its proportions: cropped from the centre
    to ``width`` x ``height``, or with ``contain`` scaled to fit inside them; None when it
    cannot be read."""
    if media_type == SVG_TYPE:
        drawing = svg_drawing(data)
        if drawing is None or not drawing.width or not drawing.height:
            return None
        natural = (drawing.width, drawing.height)
    else:
        try:
            picture = Image.open(io.BytesIO(data))
            picture.load()
        except (OSError, ValueError, Image.DecompressionBombError):
            return None
        natural = picture.size
    fit = min if contain else max
    scale = fit(width / natural[0], height / natural[1])
    size = (max(1, round(natural[0] * scale)), max(1, round(natural[1] * scale)))
    if media_type == SVG_TYPE:
        full = rasterise(drawing, *size)
    else:
        full = picture.convert("RGBA").resize(size, Image.Resampling.LANCZOS)
    if contain:
        return full
    left, top = (full.width - width) // 2, (full.height - height) // 2
    return full.crop((left, top, left + width, top + height))

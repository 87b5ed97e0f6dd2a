"""How typed answers are compared: shared by the validator (what counts as a number) and the grader.

Learners type on phones, in French or Spanish, with or without accents: the comparison forgives
case, accents, spacing, end punctuation and the local way of writing numbers.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_STRICT_NUMBER = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)%?$")
_LOOSE_NUMBER = re.compile(r"^[+-]?[\d.,]*\d[\d.,]*%?$")
_GROUPS = re.compile(r"^[1-9]\d{0,2}(?:S\d{3})+$")


def normalize_text(text: str) -> str:
    """Fold case and accents, collapse spaces, drop punctuation at both ends."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = " ".join(folded.translate(_QUOTES).split())
    start, end = 0, len(folded)
    while start < end and unicodedata.category(folded[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(folded[end - 1]).startswith("P"):
        end -= 1
    return folded[start:end].strip()


def author_number(text: str) -> float | None:
    """An author's accepted number: plain digits with an optional dot for decimals."""
    compact = text.strip().translate(_QUOTES)
    if not _STRICT_NUMBER.match(compact):
        return None
    return float(compact.rstrip("%"))


def looks_like_number(text: str) -> bool:
    return bool(number_candidates(text))


def number_candidates(text: str) -> set[float]:
    """Every value a typed number may mean: "2,5" -> 2.5; "2,500" -> 2.5 or 2500; "" -> none."""
    compact = "".join(text.translate(_QUOTES).split()).replace("'", "").replace("_", "")
    if len(compact) > 40 or not _LOOSE_NUMBER.match(compact):
        return set()
    sign = -1.0 if compact.startswith("-") else 1.0
    digits = compact.lstrip("+-").rstrip("%")
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _, fraction = digits.rpartition(decimal)
        if decimal in whole or not _is_grouped(whole, thousands):
            return set()
        return {sign * float(whole.replace(thousands, "") + "." + fraction)}
    separator = "," if commas else "." if dots else ""
    if not separator:
        return {sign * float(digits)}
    count = commas or dots
    candidates: set[float] = set()
    if _is_grouped(digits, separator):
        candidates.add(sign * float(digits.replace(separator, "")))
    if count == 1:
        whole, _, fraction = digits.partition(separator)
        if fraction:
            candidates.add(sign * float((whole or "0") + "." + fraction))
    return candidates


def _is_grouped(digits: str, separator: str) -> bool:
    """True for "2500" or "2,500" / "1.000.000" (thousands written in groups of three)."""
    if separator not in digits:
        return digits.isdigit()
    return bool(_GROUPS.match(digits.replace(separator, "S")))

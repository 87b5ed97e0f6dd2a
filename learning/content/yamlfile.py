"""An author's YAML file: read as text, parsed with the line of every key, checked field by field.

No check stops at a problem: each one goes to the file's ``Report`` and the check gives None, so
an author sees every problem of a file at once, each with its line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .schema import ContentProblem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_HINT = "use lowercase letters, digits and hyphens, e.g. what-is-the-sse"


class Report:
    """The problems of one file, collected into a list that several files may share."""

    def __init__(self, file: str, into: list[ContentProblem]) -> None:
        self.file, self.into = file, into
        self.count = 0  # problems reported for this file

    def __call__(self, line: int | None, message: str, hint: str | None = None) -> None:
        self.into.append(ContentProblem(self.file, line, message, hint))
        self.count += 1


def read_text(path: Path, report: Report) -> str | None:
    """The file's text with Unix line ends and no byte-order mark (None when unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report(None, "the file is not UTF-8 text", "save it as UTF-8")
        return None
    except OSError as error:
        report(None, f"cannot read the file: {error.strerror}", None)
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- YAML with line numbers -------------------------------------------------------------------


class YamlMap(dict[Any, Any]):
    """A YAML mapping that remembers the line of each key (for error messages)."""

    line: int = 0
    lines: dict[Any, int]


class YamlList(list[Any]):
    """A YAML list that remembers the line of each item."""

    line: int = 0
    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    offset = 0
    duplicates: list[tuple[int, str]]


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line, result.lines = node.start_mark.line + 1 + loader.offset, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.offset
        if not isinstance(key, str | int | float | bool) and key is not None:
            loader.duplicates.append((line, "a key must be a plain word"))
            continue
        if key in result:
            loader.duplicates.append((line, f"key '{key}' is given twice"))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.offset
    result.lines = [child.start_mark.line + 1 + loader.offset for child in node.value]
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)  # type: ignore[arg-type]
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)  # type: ignore[arg-type]


def load_yaml(text: str, report: Report, offset: int = 0) -> Any:
    """Parse YAML; ``offset`` is the number of lines above ``text`` in its file."""
    loader = _LineLoader(text)
    loader.offset, loader.duplicates = offset, []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + offset if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        report(
            line,
            f"malformed YAML: {problem}",
            "check the indentation, and quote values that contain ': ' or start with a symbol",
        )
        return None
    finally:
        loader.dispose()
    for line, message in loader.duplicates:
        report(line, message, "keep only one")
    return data


def _item_lines(items: list, line: int | None) -> list[int | None]:
    """The line of each item of a YAML list (the list's own line when it was not read here)."""
    return items.lines if isinstance(items, YamlList) else [line] * len(items)


def line_of(mapping: Any, key: Any = None) -> int | None:
    """The line of ``key`` in a YamlMap (of the mapping itself without a key or a known key)."""
    if isinstance(mapping, YamlMap):
        return mapping.lines.get(key, mapping.line) if key is not None else mapping.line
    return None


# --- field checks: each gives the value, or None after reporting why it is wrong ---------------


def check_keys(
    mapping: YamlMap, allowed: Iterable[str], required: Iterable[str], report: Report, where: str
) -> None:
    allowed = set(allowed)
    for key in mapping:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = (
                f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(sorted(allowed))
            )
            report(line_of(mapping, key), f"unknown key '{key}' in {where}", hint)
    for key in required:
        if key not in mapping or mapping[key] is None:
            report(line_of(mapping), f"{where} has no '{key}'", f"add '{key}: ...'")


def check_text(mapping: YamlMap, key: str, report: Report, where: str) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        report(line_of(mapping, key), f"'{key}' in {where} must be text", None)
        return None
    return value.strip()


def check_text_list(
    mapping: YamlMap, key: str, report: Report, where: str, size: tuple[int, int], hint: str
) -> tuple[str, ...]:
    """A required list of short texts (objectives), with ``size`` the fewest and most items."""
    value = mapping.get(key)
    line = line_of(mapping, key) if key in mapping else line_of(mapping)
    if value is None:
        report(line, f"{where} has no '{key}'", hint)
        return ()
    if not isinstance(value, list):
        report(line, f"'{key}' in {where} must be a list", "write one '- ...' per line")
        return ()
    texts = []
    for item, item_line in zip(value, _item_lines(value, line), strict=True):
        if isinstance(item, str) and item.strip():
            texts.append(" ".join(item.split()))
        else:
            report(item_line, f"an item of '{key}' in {where} is not text", None)
    least, most = size
    if not least <= len(value) <= most:
        report(line, f"'{key}' in {where} has {len(value)} items",
               f"write {least} to {most}; {hint}")
    return tuple(texts)


def check_slug(mapping: YamlMap, key: str, report: Report, where: str) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not SLUG_RE.match(value):
        report(line_of(mapping, key), f"{key} '{value}' in {where} is not valid", SLUG_HINT)
        return None
    return value


def check_number(mapping: YamlMap, key: str, report: Report, where: str) -> float | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 10_000:
        report(
            line_of(mapping, key),
            f"'{key}' in {where} must be a positive number, not '{value}'",
            f"write e.g. '{key}: 8'",
        )
        return None
    return value


def check_flag(mapping: YamlMap, key: str, report: Report, where: str, default: bool) -> bool:
    """A yes-or-no setting (``default`` when it is not given)."""
    value = mapping.get(key, default)
    if not isinstance(value, bool):
        report(line_of(mapping, key), f"'{key}' in {where} must be yes or no, not '{value}'",
               f"write '{key}: yes' or '{key}: no'")
        return default
    return value


def check_id_list(
    value: Any, report: Report, line: int | None, what: str
) -> list[tuple[str, int | None]]:
    """A YAML list of ids, each with its line (the valid ones only)."""
    if not isinstance(value, list):
        report(line, f"{what} must be a list", "write one '- id' per line")
        return []
    result = []
    for item, item_line in zip(value, _item_lines(value, line), strict=True):
        if not isinstance(item, str) or not SLUG_RE.match(item):
            report(item_line, f"'{item}' in {what} is not a valid id", SLUG_HINT)
        else:
            result.append((item, item_line))
    return result

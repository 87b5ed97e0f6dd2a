"""``courses/programmes/*.yml`` -> Programmes: courses a learner completes together."""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

from .schema import LANGUAGES, ContentProblem, Programme
from .yamlfile import (
    Report,
    YamlMap,
    check_id_list,
    check_keys,
    check_slug,
    check_text,
    line_of,
    load_yaml,
    read_text,
)

PROGRAMME_KEYS = {"slug", "title", "summary", "required", "electives", "electives_required",
                  "translations"}


def load_programmes(
    root: Path, course_slugs: Container[str]
) -> tuple[dict[str, Programme], list[ContentProblem]]:
    """Every programme under ``root/programmes``; one naming a course not in ``course_slugs``
    (the slugs the course folders give) is reported and left out."""
    folder = root / "programmes"
    problems: list[ContentProblem] = []
    programmes: dict[str, Programme] = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        shown = path.relative_to(root).as_posix()
        programme, found = load_programme(path, shown)
        problems += found
        if programme is None:
            continue
        unknown = [s for s in programme.required + programme.electives if s not in course_slugs]
        for slug in unknown:
            problems.append(
                ContentProblem(shown, None, f"programme lists unknown course '{slug}'", None)
            )
        if programme.slug in programmes:
            problems.append(
                ContentProblem(
                    shown, None, f"programme slug '{programme.slug}' is used twice", None
                )
            )
        elif not unknown:
            programmes[programme.slug] = programme
    return programmes, problems


def load_programme(path: Path, display: str) -> tuple[Programme | None, list[ContentProblem]]:
    """``courses/programmes/NAME.yml`` -> Programme (its course slugs are checked by
    load_programmes)."""
    problems: list[ContentProblem] = []
    report = Report(display, problems)
    text = read_text(path, report)
    data = load_yaml(text, report) if text is not None else None
    if not isinstance(data, YamlMap):
        if text is not None and not problems:
            report(1, "a programme must be a mapping (slug:, title:, ...)", None)
        return None, problems
    where = "the programme"
    check_keys(data, PROGRAMME_KEYS, ("slug", "title", "summary", "required"), report, where)
    slug = check_slug(data, "slug", report, where)
    title = check_text(data, "title", report, where)
    summary = check_text(data, "summary", report, where)
    required = [
        s
        for s, _ in check_id_list(
            data.get("required", []), report, line_of(data, "required"), "required"
        )
    ]
    electives = [
        s
        for s, _ in check_id_list(
            data.get("electives", []), report, line_of(data, "electives"), "electives"
        )
    ]
    count = data.get("electives_required", 0)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= len(electives):
        report(
            line_of(data, "electives_required"),
            f"electives_required must be a whole number from 0 to {len(electives)}",
            None,
        )
    elif electives and "electives_required" not in data:
        report(
            line_of(data),
            "the programme has electives but no 'electives_required'",
            "say how many electives a learner must complete",
        )
    for duplicate in {s for s in required + electives if (required + electives).count(s) > 1}:
        report(line_of(data), f"course '{duplicate}' is listed twice in the programme", None)
    translations = _translations(data, report)
    if problems or not (slug and title and summary):
        return None, problems
    return Programme(slug, title, summary, tuple(required), tuple(electives), count,
                     translations), problems


def _translations(data: YamlMap, report: Report) -> dict[str, dict[str, str]]:
    """``translations: {fr: {title: ..., summary: ...}}``: the programme's texts in the other
    languages of the platform's content (the programme itself is written in English)."""
    raw = data.get("translations", YamlMap())
    if not isinstance(raw, YamlMap):
        report(line_of(data, "translations"), "translations must map a language to its texts",
               "translations: {fr: {title: ..., summary: ...}}")
        return {}
    result = {}
    for lang, value in raw.items():
        if lang not in LANGUAGES or lang == "en" or not isinstance(value, YamlMap):
            report(line_of(raw, lang), f"'{lang}' is not a translation of the programme",
                   "use fr or es, each with title and summary")
            continue
        where = f"translation '{lang}'"
        check_keys(value, {"title", "summary"}, ("title", "summary"), report, where)
        texts = {key: check_text(value, key, report, where) for key in ("title", "summary")}
        result[lang] = {key: text for key, text in texts.items() if text}
    return result

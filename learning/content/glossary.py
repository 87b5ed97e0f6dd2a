"""``courses/glossary.yml`` -> the Glossary that every course's ``glossary:ID`` links point into."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .render import render_text
from .schema import LANGUAGES, ContentProblem, Glossary, GlossaryTerm, GlossaryTranslation
from .yamlfile import (
    Report,
    YamlMap,
    check_keys,
    check_slug,
    check_text,
    line_of,
    load_yaml,
    read_text,
)


def load_glossary(
    path: Path, display: str = "glossary.yml"
) -> tuple[Glossary | None, list[ContentProblem]]:
    """``courses/glossary.yml`` -> Glossary (None when it has problems)."""
    problems: list[ContentProblem] = []
    report = Report(display, problems)
    text = read_text(path, report)
    data = load_yaml(text, report) if text is not None else None
    terms: dict[str, GlossaryTerm] = {}
    if isinstance(data, YamlMap):
        check_keys(data, {"terms"}, ("terms",), report, "the glossary")
        entries = data.get("terms")
        if entries is not None and not isinstance(entries, list):
            report(line_of(data, "terms"), "'terms' must be a list", None)
            entries = []
        for entry in entries or []:
            term = _glossary_term(entry, report)
            if term is None:
                continue
            if term.id in terms:
                report(line_of(entry, "id"), f"glossary term id '{term.id}' is used twice", None)
            terms[term.id] = term
    elif text is not None and not problems:
        report(1, "the glossary must start with 'terms:'", None)
    return (None if problems else Glossary(terms)), problems


def _glossary_term(entry: Any, report: Report) -> GlossaryTerm | None:
    if not isinstance(entry, YamlMap):
        report(None, "each glossary term must be a mapping with id, term and definition", None)
        return None
    where = "a glossary term"
    check_keys(
        entry,
        {"id", "term", "definition", "source", "translations"},
        ("id", "term", "definition"),
        report,
        where,
    )
    term_id = check_slug(entry, "id", report, where)
    term, definition = (
        check_text(entry, "term", report, where),
        check_text(entry, "definition", report, where),
    )
    source = check_text(entry, "source", report, where)
    translations: dict[str, GlossaryTranslation] = {}
    raw = entry.get("translations") or YamlMap()
    if not isinstance(raw, YamlMap):
        report(
            line_of(entry, "translations"),
            "'translations' must map a language to term and definition",
        )
        raw = YamlMap()
    for language, value in raw.items():
        if language not in LANGUAGES:
            report(line_of(raw, language), f"unknown language '{language}'", "use en, fr or es")
            continue
        if not isinstance(value, YamlMap):
            report(
                line_of(raw, language), f"translation '{language}' must have term and definition"
            )
            continue
        check_keys(
            value,
            {"term", "definition"},
            ("term", "definition"),
            report,
            f"translation '{language}'",
        )
        t_term, t_def = (
            check_text(value, "term", report, where),
            check_text(value, "definition", report, where),
        )
        if t_term and t_def:
            translations[language] = GlossaryTranslation(t_term, t_def, render_text(t_def))
    if not (term_id and term and definition):
        return None
    return GlossaryTerm(term_id, term, definition, render_text(definition), source, translations)

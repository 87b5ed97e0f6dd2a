"""The interface speaks the six UN languages; the catalogues are complete and safe, with the
plural forms of each language, and Arabic pages read right to left."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

from .support import TRANSLATIONS, add_user, find_user

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source)


@cache
def strings_of_the_interface() -> list[str | tuple[str, str]]:
    """Every string the code and templates pass to gettext, read from them now (as
    `make messages` does), so a string added without its translations is caught."""
    root = TRANSLATIONS.parents[1]
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = extract_from_dir(str(root), method_map, options_map, keywords,
                             directory_filter=lambda path: ".venv" not in Path(path).parts)
    return list(dict.fromkeys(message for _file, _line, message, _comments, _context in found))


INTERFACE = ["fr", "es", "ar", "zh", "ru"]


@pytest.mark.parametrize("language", INTERFACE)
def test_every_string_of_the_interface_is_translated(language):
    translated = catalogue(language)
    missing = []
    for message in strings_of_the_interface():
        found = translated.get(message)
        strings = () if found is None or found.fuzzy else (
            found.string if isinstance(found.string, tuple) else (found.string,))
        if not (strings and all(strings)):
            missing.append(message)
    assert missing == [], f"untranslated in {language} (make messages): {missing[:10]}"


@pytest.mark.parametrize("language", INTERFACE)
def test_translations_keep_every_placeholder(language):
    for message in catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            found = sorted(PLACEHOLDER.findall(string))
            # A singular form may leave the number out ("une tentative"), never add or rename.
            assert set(found) <= set(expected) and (len(strings) > 1 or found == expected), (
                language, message.id, string)


def test_a_reader_gets_the_language_their_browser_asks_for(client):
    page = client.get("/courses", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    text = page.get_data(as_text=True)
    assert '<html lang="fr"' in text and "Se connecter" in text
    page = client.get("/courses?lang=es").get_data(as_text=True)
    assert '<html lang="es"' in page and "Iniciar sesión" in page


def test_a_learner_s_chosen_language_follows_them(app, client):
    add_user(app)
    client.submit("/login", {"email": "learner@example.org", "password": "a long enough password"})
    client.submit("/account", {"full_name": "Ñúñez Çelik-Øberg", "language": "es"})
    assert '<html lang="es"' in client.get("/dashboard").get_data(as_text=True)
    assert "Mi aprendizaje" in client.get("/dashboard").get_data(as_text=True)


def test_templates_translate_plurals_and_escape_what_they_fill_in(app):
    page = ('{{ ngettext("%(num)s lesson", "%(num)s lessons", 1) }} / '
            '{{ ngettext("%(num)s lesson", "%(num)s lessons", 3) }} / '
            '{{ _("matching “%(search)s”", search="<b>x</b>") }}')
    with app.test_request_context("/?lang=fr"):
        assert render_template_string(page) == "1 leçon / 3 leçons / pour « &lt;b&gt;x&lt;/b&gt; »"


def test_a_template_rendered_in_another_locale_speaks_that_locale(app):
    """Certificates are written in their own language, whatever the reader's (force_locale)."""
    with app.test_request_context("/?lang=fr"):
        with force_locale("es"):
            inside = render_template_string('{{ _("Log in") }}')
        after = render_template_string('{{ _("Log in") }}')
    assert (inside, after) == ("Iniciar sesión", "Se connecter")


def test_a_language_picked_in_the_footer_stays_picked_and_is_saved_to_the_profile(
        app, client, auth):
    add_user(app, email="ana@example.org")  # the profile says English
    auth.login(email="ana@example.org")
    assert '<html lang="fr"' in client.get("/courses?lang=fr").get_data(as_text=True)
    assert '<html lang="fr"' in client.get("/dashboard").get_data(as_text=True)
    assert find_user(app, "ana@example.org").language == "fr"


def test_a_reader_without_an_account_keeps_the_language_they_picked(client):
    client.get("/courses?lang=es", headers={"Accept-Language": "fr"})
    page = client.get("/glossary", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="es"' in page


PLURAL_FORMS = {"fr": 2, "es": 2, "ar": 6, "zh": 1, "ru": 3}


@pytest.mark.parametrize(("language", "forms"), PLURAL_FORMS.items())
def test_every_plural_has_the_forms_its_language_needs(language, forms):
    translated = catalogue(language)
    assert translated.num_plurals == forms
    for message in translated:
        if isinstance(message.id, tuple):
            assert len(message.string) == forms and all(message.string), message.id


def test_an_arabic_reader_gets_a_right_to_left_page_around_content_in_its_own_direction(client):
    page = client.get("/courses?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert '<option value="ar"' not in page  # courses are in English, French and Spanish
    assert '<a href="?lang=ar" lang="ar" hreflang="ar"' in page  # the interface speaks Arabic

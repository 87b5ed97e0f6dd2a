"""Which language each request speaks: the learner's choice, then the browser's."""

from __future__ import annotations

import os

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_decimal, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from .content.schema import LANGUAGES as CONTENT_LANGUAGES
from .extensions import babel, db

# The interface speaks the six UN languages; courses are written in the content LANGUAGES of
# content/schema.py (English, French, Spanish), the others read them in the best one there is.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية",
                  "zh": "中文", "ru": "Русский"}
INTERFACE_LANGUAGES = tuple(LANGUAGE_NAMES)
RIGHT_TO_LEFT = frozenset({"ar"})


def text_direction(language: str) -> str:
    """The ``dir`` of a page or a block in ``language``."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"

LEVEL_NAMES = {
    "introductory": _l("Introductory"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}


ROLE_NAMES = {"learner": _l("Learner"), "instructor": _l("Instructor"), "admin": _l("Admin")}


def level_name(level: str) -> str:
    return str(LEVEL_NAMES.get(level, level))


def role_name(role) -> str:
    value = getattr(role, "value", role)
    return str(ROLE_NAMES.get(value, value))


def remember_language_choice() -> None:
    """A language picked in the footer (``?lang=``) stays picked: kept in the session, and in
    the profile of a signed-in learner, for the pages after this one and their next visit."""
    chosen = request.args.get("lang")
    if chosen not in current_app.config["LANGUAGES"]:
        return
    session["lang"] = chosen
    if current_user.is_authenticated and current_user.language != chosen:
        current_user.language = chosen
        db.session.commit()


def browser_language(accept_language: str | None, config) -> str:
    """The interface language that best matches an ``Accept-Language`` header, else the
    default (the page cache asks this too, before Flask sees the request)."""
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(config["LANGUAGES"]) or config["BABEL_DEFAULT_LOCALE"]


def select_locale() -> str:
    """The language picked on this request, else the learner's profile language, else the
    one picked earlier in this session, else the browser's."""
    if not has_request_context():  # a command: its messages are in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return browser_language(request.headers.get("Accept-Language"), current_app.config)


def _template_gettext(translate):
    """Jinja's "newstyle" gettext (escaped, then %-formatted) around one translations object."""

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        text = translate(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return gettext


def _template_ngettext(translate):
    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        text = translate(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return ngettext


def translations_for_templates() -> dict:
    """The translations, looked up once per render rather than once per string.

    Flask-Babel's own template callables look the locale and catalogue up again for every
    ``_()``; a lesson page has some thirty, and that lookup was a fifth of the page's time.
    Resolved when ``render_template`` runs, so ``force_locale`` around it still applies.
    """
    translations = get_translations()
    return {"gettext": _template_gettext(translations.ugettext),
            "ngettext": _template_ngettext(translations.ungettext)}


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        CONTENT_LANGUAGES=CONTENT_LANGUAGES,
        text_direction=text_direction,
        get_locale=get_locale,
        level_name=level_name,
        role_name=role_name,
        format_date=format_date,
        format_decimal=format_decimal,  # 1.25 in English, 1,25 in French
    )
    app.context_processor(translations_for_templates)
    app.before_request(remember_language_choice)

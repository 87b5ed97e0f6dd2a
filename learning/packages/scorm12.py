"""A course as a SCORM 1.2 package, for the LMS of a partner (Moodle, Canvas, Open edX...).

One SCO per lesson: the LMS then shows the course's outline, keeps each lesson's status, score
and place, and learners can take the lessons in any order, as they can here; a single SCO for
the whole course would hide all of that inside one page. Each SCO is the lesson in each of the
course's languages (``lessons/<id>/<language>.html``, the main language launched first), with
the same sanitised HTML, the platform's stylesheet and the course's media, all in the zip: no
CDN, no call home. Polls and reflections need the platform (everyone's answers): the package
links to the lesson there instead.

The quiz is graded in the browser (static/package/sco.js) from an answer key in the page: a
SCORM package cannot keep answers secret, and docs/interoperability.md says so. The SCO reports
``cmi.core.lesson_status`` (incomplete, then completed, passed or failed), the score in percent
and the language read (``cmi.core.lesson_location``), keeps the answers in ``cmi.suspend_data``
to show them again, and records nothing in the LMS's browse or review modes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from lxml import etree
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..content.question_kinds import KINDS
from ..extensions import db
from ..i18n import LANGUAGE_NAMES
from ..learn import activities
from ..models import Course, CourseMedia, Lesson

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATIONS = (f"{CP} imscp_rootv1p1p2.xsd "
                    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
                    f"{ADLCP} adlcp_rootv1p2.xsd")
SHARED = ("style.css", "package/sco.js")  # from static/, into shared/


def _lessons(course: Course) -> list[Lesson]:
    return db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id, Lesson.removed_at.is_(None))
        .options(selectinload(Lesson.contents), selectinload(Lesson.quiz))
        .order_by(Lesson.position)).all()


def _localised(html: str, slug: str) -> str:
    """The lesson's links as the package holds them: its media in the zip, the rest of the
    platform (other lessons, the glossary) on the platform."""
    html = html.replace(f'src="/media/{slug}/', 'src="../../media/')
    html = html.replace(f'href="/media/{slug}/', 'href="../../media/')
    public = current_app.config["PUBLIC_URL"]
    return re.sub(r'href="/(?!/)', f'href="{public}/', html)


def _elsewhere(course: Course, lesson: Lesson):
    """What stands for a poll or a reflection: a link to the lesson on the platform."""
    link = f"{current_app.config['PUBLIC_URL']}/courses/{course.slug}/lessons/{lesson.key}"

    def draw(kind: str, _activity_id: str) -> str:
        what = _("This lesson asks a poll on the platform, where everyone's answers are.") if (
            kind == "poll") else _("This lesson asks a reflection on the platform, where you "
                                   "keep your answers in your notebook.")
        return f'<p class="hint">{escape(what)} <a href="{escape(link)}">{escape(link)}</a></p>'
    return draw


def _public_quiz(content) -> dict | None:
    """The quiz as the form shows it; an "explain why" question as its choice alone (the
    explanation would go nowhere)."""
    if content.quiz_public is None:
        return None
    questions = [{**q, "widget": "radio"} if q["widget"] == "explained" else q
                 for q in content.quiz_public["questions"]]
    return {**content.quiz_public, "questions": questions}


def _answer_key(content) -> dict:
    quiz = content.quiz()
    return {"pass_mark": quiz.pass_mark, "graded": quiz.graded,
            "questions": [{"id": q.id, **KINDS[q.kind].offline_key(q)} for q in quiz.questions]}


def _page(course: Course, lesson: Lesson, content, languages: list[str], total: int) -> str:
    draw = _elsewhere(course, lesson)
    quiz = _public_quiz(content)
    with force_locale(content.language):
        return render_template(
            "packages/scorm_lesson.html", language=content.language,
            course_title=course.texts(content.language).title, title=content.title,
            minutes=content.minutes, objectives=content.objectives or [],
            position=lesson.position, total=total,
            others=[(other, LANGUAGE_NAMES.get(other, other)) for other in languages
                    if other != content.language],
            before=Markup(_localised(str(activities.fill(content.html_before_quiz, draw)),
                                     course.slug)),
            after=Markup(_localised(str(activities.fill(content.html_after_quiz, draw)),
                                    course.slug)),
            quiz=quiz, answer_key=_answer_key(content) if quiz else None,
            graded=bool(quiz and quiz["graded"]))


def export_scorm12(course: Course) -> bytes:
    """The course as a SCORM 1.2 package (a zip)."""
    lessons = _lessons(course)
    files: dict[str, bytes] = {}
    scos = []
    for lesson in lessons:
        contents = {c.language: c for c in lesson.contents}
        languages = [lang for lang in course.languages if lang in contents]
        for language in languages:
            files[f"lessons/{lesson.key}/{language}.html"] = _page(
                course, lesson, contents[language], languages, len(lessons)).encode()
        scos.append((lesson, contents[course.language], languages))
    for name in SHARED:
        static = Path(current_app.static_folder or "")
        files[f"shared/{name.rsplit('/', 1)[-1]}"] = (static / name).read_bytes()
    media = db.session.execute(select(CourseMedia.path, CourseMedia.data).where(
        CourseMedia.course_id == course.id)).all()
    for path, data in media:
        files[f"media/{path}"] = data
    files["imsmanifest.xml"] = _manifest(course, scos, sorted(
        name for name in files if name.startswith(("shared/", "media/"))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _manifest(course: Course, scos, shared: list[str]) -> bytes:
    def element(parent, tag, text=None, namespace=CP, **attributes):
        node = etree.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
        if text is not None:
            node.text = text
        return node

    manifest = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "adlcp": ADLCP, "xsi": XSI},
                             identifier=f"course-{course.slug}", version=str(course.version))
    manifest.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATIONS)
    metadata = element(manifest, "metadata")
    element(metadata, "schema", "ADL SCORM")
    element(metadata, "schemaversion", "1.2")
    organizations = element(manifest, "organizations", default="outline")
    organization = element(organizations, "organization", identifier="outline")
    element(organization, "title", course.title)
    modules = {module.key: module.title for module in course.modules}
    current, module_item = None, None
    for lesson, content, _languages in scos:
        if lesson.module_key != current:
            current = lesson.module_key
            module_item = element(organization, "item", identifier=f"module-{current}")
            element(module_item, "title", modules.get(current, current))
        item = element(module_item, "item", identifier=f"item-{lesson.key}",
                       identifierref=f"sco-{lesson.key}")
        element(item, "title", content.title)
        if lesson.quiz is not None and lesson.quiz.graded and lesson.quiz.removed_at is None:
            element(item, "masteryscore", str(lesson.quiz.pass_mark), namespace=ADLCP)
    resources = element(manifest, "resources")
    for lesson, _content, languages in scos:
        resource = element(resources, "resource", identifier=f"sco-{lesson.key}",
                           type="webcontent", href=f"lessons/{lesson.key}/{course.language}.html")
        resource.set(f"{{{ADLCP}}}scormtype", "sco")
        for language in languages:
            element(resource, "file", href=f"lessons/{lesson.key}/{language}.html")
        element(resource, "dependency", identifierref="shared")
    assets = element(resources, "resource", identifier="shared", type="webcontent")
    assets.set(f"{{{ADLCP}}}scormtype", "asset")
    for name in shared:
        element(assets, "file", href=name)
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)

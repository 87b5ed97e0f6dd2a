"""A course's quiz questions as a QTI 3.0 package, for other tools' item banks (Kolibri, TAO,
an LMS's question bank).

One ``qti-assessment-item`` per question and language: single choice (and true/false),
multiple response, text entry, numeric entry, order and match interactions, each scored the way
the platform scores it (a partly right order or matching earns its share where the author gives
partial credit). An "explain why" question goes as its choice (the explanation is not scored,
and not carried). Each item has its correct response, the feedback of each choice and the
question's explanation, in its language (``xml:lang``).

What QTI cannot say as the platform grades, the items say as closely as QTI allows: a typed
answer matches one of the author's answers without regard to case (not to accents, spaces or
end punctuation, which the platform also forgives); a number is right within the author's
tolerance, written with a dot (the platform also reads "2,5" and "2 500").

The zip holds ``imsmanifest.xml`` (IMS Content Packaging 1.1, the QTI 3.0 profile) and
``items/<language>/<question id>.xml``, with the media files the questions show.
"""

from __future__ import annotations

import io
import re
import zipfile

from flask import current_app
from lxml import etree
from lxml import html as lxml_html
from sqlalchemy import select

from ..content.question_kinds import KINDS
from ..content.sanitize import plain_text
from ..content.schema import Question, Quiz
from ..extensions import db
from ..models import Course, CourseMedia, Lesson, LessonContent

QTI = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ITEM_TYPE = "imsqti_item_xmlv3p0"
# The platform's kinds QTI has, by the widget their learners answer with.
EXPORTED_WIDGETS = {"radio": "single", "explained": "single", "checkbox": "multiple",
                    "text": "text", "number": "number", "order": "order", "match": "match"}
_KEPT_ATTRIBUTES = {"href", "title", "src", "alt", "width", "height", "start", "class"}


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _add(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), {k.replace("_", "-"): str(v)
                                                 for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _add_html(parent, html: str, media: set[str], slug: str) -> None:
    """Append sanitised HTML as the item's XHTML (QTI's namespace), pointing at packaged
    media, its links to the platform made absolute; a fragment of text alone goes in as
    text."""
    for node in lxml_html.fragments_fromstring(html or "") if html.strip() else []:
        if isinstance(node, str):
            last = parent[-1] if len(parent) else None
            if last is None:
                parent.text = (parent.text or "") + node
            else:
                last.tail = (last.tail or "") + node
            continue
        for element in node.iter():
            if not isinstance(element.tag, str):  # a comment
                continue
            element.tag = _q(element.tag)
            for name in list(element.attrib):
                if name not in _KEPT_ATTRIBUTES:
                    del element.attrib[name]
            link = element.get("href", "")
            if link.startswith("/"):  # a lesson or the glossary: on the platform
                element.set("href", current_app.config["PUBLIC_URL"] + link)
            source = element.get("src", "")
            if source.startswith(f"/media/{slug}/"):
                path = source.removeprefix(f"/media/{slug}/")
                media.add(path)
                element.set("src", f"../../media/{path}")
        parent.append(node)


def _block(parent, html: str, media: set[str], slug: str) -> None:
    """HTML that may be a bare phrase, as a block of the item body."""
    if not html:
        return
    holder = _add(parent, "div")
    _add_html(holder, html, media, slug)


def correct_response(question: Question, shape: str) -> list[str]:
    """The right answer as QTI writes it: choice identifiers, steps in order, pairs, or text."""
    if shape in ("single", "multiple"):
        return [choice.id for choice in question.choices if choice.correct]
    if shape == "order":
        return [f"step-{item.id}" for item in question.items]
    if shape == "match":
        return [f"left-{item.id} right-{item.id}" for item in question.items]
    return list(question.accepted[:1])


def _declarations(item, question: Question, shape: str) -> None:
    cardinality = {"multiple": "multiple", "match": "multiple", "order": "ordered"}.get(
        shape, "single")
    base_type = {"text": "string", "number": "float", "match": "directedPair"}.get(
        shape, "identifier")
    response = _add(item, "qti-response-declaration", identifier="RESPONSE",
                    cardinality=cardinality, base_type=base_type)
    correct = _add(response, "qti-correct-response")
    for value in correct_response(question, shape):
        _add(correct, "qti-value", value)
    if shape == "match" and question.partial_credit:  # each right pair earns its share
        mapping = _add(response, "qti-mapping", default_value="0")
        for value in correct_response(question, shape):
            _add(mapping, "qti-map-entry", map_key=value,
                 mapped_value=_float(1 / len(question.items)))
    score = _add(item, "qti-outcome-declaration", identifier="SCORE", cardinality="single",
                 base_type="float")
    _add(_add(score, "qti-default-value"), "qti-value", "0")
    if shape in ("single", "multiple"):
        _add(item, "qti-outcome-declaration", identifier="FEEDBACK", cardinality=cardinality,
             base_type="identifier")
    _add(item, "qti-outcome-declaration", identifier="EXPLANATION", cardinality="single",
         base_type="identifier")


def _body(item, question: Question, shape: str, media: set[str], slug: str) -> None:
    body = _add(item, "qti-item-body")
    _block(body, question.situation_html, media, slug)
    if shape in ("single", "multiple"):
        interaction = _add(body, "qti-choice-interaction", response_identifier="RESPONSE",
                           shuffle="false",
                           max_choices=1 if shape == "single" else len(question.choices))
        _add_html(_add(interaction, "qti-prompt"), question.prompt_html, media, slug)
        for choice in question.choices:
            _add_html(_add(interaction, "qti-simple-choice", identifier=choice.id),
                      choice.text_html, media, slug)
        return
    if shape == "order":
        interaction = _add(body, "qti-order-interaction", response_identifier="RESPONSE",
                           shuffle="false")
        _add_html(_add(interaction, "qti-prompt"), question.prompt_html, media, slug)
        for step in KINDS[question.kind].listed(question):  # as the platform lists them
            _add_html(_add(interaction, "qti-simple-choice", identifier=f"step-{step.id}"),
                      step.text_html, media, slug)
        return
    if shape == "match":
        interaction = _add(body, "qti-match-interaction", response_identifier="RESPONSE",
                           shuffle="false", max_associations=len(question.items))
        _add_html(_add(interaction, "qti-prompt"), question.prompt_html, media, slug)
        for side, items, attribute in (
                ("left", question.items, "text_html"),
                ("right", KINDS[question.kind].listed(question), "match_html")):
            match_set = _add(interaction, "qti-simple-match-set")
            for pair in items:
                _add_html(_add(match_set, "qti-simple-associable-choice",
                               identifier=f"{side}-{pair.id}", match_max="1"),
                          getattr(pair, attribute), media, slug)
        return
    _block(body, question.prompt_html, media, slug)
    paragraph = _add(body, "p")
    _add(paragraph, "qti-text-entry-interaction", response_identifier="RESPONSE",
         expected_length=max(len(answer) for answer in question.accepted) + 4)


def _float(value: float) -> str:
    return repr(float(value))


def _partial_order(processing, question: Question) -> None:
    """SCORE: the share of steps in their place, one condition per place."""
    _add(_add(processing, "qti-set-outcome-value", identifier="SCORE"), "qti-base-value", "0",
         base_type="float")
    for place, step in enumerate(question.items, start=1):
        test = _add(_add(processing, "qti-response-condition"), "qti-response-if")
        match = _add(test, "qti-match")
        _add(_add(match, "qti-index", n=place), "qti-variable", identifier="RESPONSE")
        _add(match, "qti-base-value", f"step-{step.id}", base_type="identifier")
        total = _add(_add(test, "qti-set-outcome-value", identifier="SCORE"), "qti-sum")
        _add(total, "qti-variable", identifier="SCORE")
        _add(total, "qti-base-value", _float(1 / len(question.items)), base_type="float")


def _processing(item, question: Question, shape: str) -> None:
    processing = _add(item, "qti-response-processing")
    if shape in ("order", "match") and question.partial_credit:
        if shape == "order":
            _partial_order(processing, question)
        else:
            _add(_add(processing, "qti-set-outcome-value", identifier="SCORE"),
                 "qti-map-response", identifier="RESPONSE")
        _explanation_shown(processing)
        return
    condition = _add(processing, "qti-response-condition")
    test = _add(condition, "qti-response-if")
    if shape in ("single", "multiple", "order", "match"):
        match = _add(test, "qti-match")
        _add(match, "qti-variable", identifier="RESPONSE")
        _add(match, "qti-correct", identifier="RESPONSE")
    else:
        either = _add(test, "qti-or")
        for answer in question.accepted:
            if shape == "text":
                same = _add(either, "qti-string-match", case_sensitive="false")
                _add(same, "qti-variable", identifier="RESPONSE")
                _add(same, "qti-base-value", answer, base_type="string")
                continue
            target = float(answer.rstrip("%"))
            within = _add(either, "qti-and")
            for bound, value in (("qti-gte", target - question.tolerance),
                                 ("qti-lte", target + question.tolerance)):
                comparison = _add(within, bound)
                _add(comparison, "qti-variable", identifier="RESPONSE")
                _add(comparison, "qti-base-value", _float(value), base_type="float")
    for branch, score in ((test, "1"), (_add(condition, "qti-response-else"), "0")):
        _add(_add(branch, "qti-set-outcome-value", identifier="SCORE"), "qti-base-value", score,
             base_type="float")
    if shape in ("single", "multiple"):
        feedback = _add(processing, "qti-set-outcome-value", identifier="FEEDBACK")
        _add(feedback, "qti-variable", identifier="RESPONSE")
    _explanation_shown(processing)


def _explanation_shown(processing) -> None:
    explanation = _add(processing, "qti-set-outcome-value", identifier="EXPLANATION")
    _add(explanation, "qti-base-value", "shown", base_type="identifier")


def _feedback(item, question: Question, shape: str, media: set[str], slug: str) -> None:
    if shape in ("single", "multiple"):
        for choice in question.choices:
            if choice.feedback_html:
                modal = _add(item, "qti-modal-feedback", outcome_identifier="FEEDBACK",
                             identifier=choice.id, show_hide="show")
                _add_html(_add(modal, "qti-content-body"), choice.feedback_html, media, slug)
    if question.explanation_html:
        modal = _add(item, "qti-modal-feedback", outcome_identifier="EXPLANATION",
                     identifier="shown", show_hide="show")
        _add_html(_add(modal, "qti-content-body"), question.explanation_html, media, slug)


def item_xml(question: Question, language: str, slug: str, media: set[str]) -> bytes | None:
    """The question as a QTI 3.0 item in ``language`` (None: a kind QTI does not score)."""
    shape = EXPORTED_WIDGETS.get(KINDS[question.kind].widget)
    if shape is None:
        return None
    item = etree.Element(_q("qti-assessment-item"), nsmap={None: QTI}, attrib={
        "identifier": item_identifier(question.id, language),
        "title": _title(question.prompt_html), "adaptive": "false",
        "time-dependent": "false", XML_LANG: language})
    _declarations(item, question, shape)
    _body(item, question, shape, media, slug)
    _processing(item, question, shape)
    _feedback(item, question, shape, media, slug)
    return etree.tostring(item, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def item_identifier(question_id: str, language: str) -> str:
    return f"{question_id}-{language}"


def _title(html: str) -> str:
    return plain_text(html)[:200] or "Question"


def _quizzes(course: Course):
    """Each live lesson's quiz, in every language it was written in, in course order."""
    rows = db.session.execute(
        select(LessonContent.language, LessonContent.quiz_spec)
        .join(Lesson, Lesson.id == LessonContent.lesson_id)
        .where(Lesson.course_id == course.id, Lesson.removed_at.is_(None))
        .order_by(Lesson.position, LessonContent.language))
    for language, spec in rows:
        if spec:  # a lesson without a quiz stores JSON null
            yield language, Quiz.from_spec(spec)


def export_qti3(course: Course) -> bytes:
    """The course's questions as a QTI 3.0 package (a zip)."""
    files: dict[str, bytes] = {}
    media: set[str] = set()
    for language, quiz in _quizzes(course):
        for question in quiz.questions:
            xml = item_xml(question, language, course.slug, media)
            if xml is not None:
                files[f"items/{language}/{question.id}.xml"] = xml
    media_rows = db.session.execute(select(CourseMedia.path, CourseMedia.data).where(
        CourseMedia.course_id == course.id, CourseMedia.path.in_(media))).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", _manifest(course, files, media_rows))
        for name, data in files.items():
            package.writestr(name, data)
        for path, data in media_rows:
            package.writestr(f"media/{path}", data)
    return buffer.getvalue()


def _manifest(course: Course, files: dict[str, bytes], media_rows) -> bytes:
    manifest = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP},
                             identifier=_identifier(f"course-{course.slug}"))
    metadata = etree.SubElement(manifest, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "QTI Package"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "3.0.0"
    etree.SubElement(manifest, f"{{{CP}}}organizations")
    resources = etree.SubElement(manifest, f"{{{CP}}}resources")
    media_files = [f"media/{path}" for path, _data in media_rows]
    for name in files:
        language, file_name = name.split("/")[1:]
        resource = etree.SubElement(resources, f"{{{CP}}}resource", type=ITEM_TYPE, href=name,
                                    identifier=_identifier(item_identifier(
                                        file_name.removesuffix(".xml"), language)))
        for path in [name, *media_files]:
            etree.SubElement(resource, f"{{{CP}}}file", href=path)
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _identifier(text: str) -> str:
    """An XML identifier (xs:ID): a letter first, then letters, digits, '-', '_' or '.'."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", text if text[:1].isalpha() else f"x{text}")

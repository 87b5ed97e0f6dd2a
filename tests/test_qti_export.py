"""The quiz questions as a QTI 3.0 package: one item per question and language, of the kinds QTI
scores (single choice, multiple response, text entry, numeric entry), with their correct
responses and feedback; ``flask courses export --format qti3`` and the instructors' download.

A real QTI 3.0 implementation judges the items: tests/browser/test_qti_player.py."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from learning.content.question_kinds import KINDS
from learning.models import Course, Role
from learning.packages.qti3 import CP, QTI, export_qti3

from .support import PASSWORD, FormClient, add_user

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def package(app, slug: str) -> zipfile.ZipFile:
    with app.app_context():
        return zipfile.ZipFile(io.BytesIO(export_qti3(Course.by_slug(slug))))


def exported_questions(course):
    """(language, question) for every question of the course, in every language."""
    return [(language, question) for lesson in course.lessons.values()
            for language, version in lesson.versions.items() if version.quiz
            for question in version.quiz.questions]


def test_each_question_is_an_item_in_each_language_listed_in_the_manifest(app, course):
    zipped = package(app, course.slug)
    manifest = etree.fromstring(zipped.read("imsmanifest.xml"))
    resources = manifest.findall(f"{{{CP}}}resources/{{{CP}}}resource")
    expected = {f"items/{language}/{question.id}.xml" for language, question in
                exported_questions(course)}
    assert {r.get("href") for r in resources} == expected == {
        name for name in zipped.namelist() if name.startswith("items/")}
    assert manifest.findtext(f"{{{CP}}}metadata/{{{CP}}}schemaversion") == "3.0.0"
    for resource in resources:
        assert resource.get("type") == "imsqti_item_xmlv3p0"
        item = etree.fromstring(zipped.read(resource.get("href")))
        language = resource.get("href").split("/")[1]
        assert item.tag == f"{{{QTI}}}qti-assessment-item" and item.get(XML_LANG) == language
        assert item.get("identifier") == resource.get("identifier")
    kinds = {question.kind for _language, question in exported_questions(course)}
    assert {"single", "true_false", "multiple"} <= kinds  # what the nutshell course asks


def test_orderings_and_matchings_are_order_and_match_interactions(app, tmp_path):
    from .test_arranged_and_explained import import_activity_course

    import_activity_course(app, tmp_path / "demo")
    zipped = package(app, "demo")
    steps = etree.fromstring(zipped.read("items/en/q-steps.xml"))
    pairs = etree.fromstring(zipped.read("items/en/q-bodies.xml"))
    assert steps.find(f".//{{{QTI}}}qti-order-interaction") is not None
    assert pairs.find(f".//{{{QTI}}}qti-match-interaction") is not None
    why = etree.fromstring(zipped.read("items/en/q-why.xml"))  # the explained choice: its choice
    assert why.find(f".//{{{QTI}}}qti-choice-interaction") is not None


def test_the_command_line_and_the_instructors_download_give_the_package(app, course, tmp_path):
    output = tmp_path / "bank.zip"
    result = app.test_cli_runner().invoke(args=[
        "courses", "export", course.slug, "--format", "qti3", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "imsmanifest.xml" in zipfile.ZipFile(output).namelist()
    unknown = app.test_cli_runner().invoke(args=[
        "courses", "export", "no-such-course", "--format", "qti3", "--output", str(output)])
    assert unknown.exit_code != 0 and "no-such-course" in unknown.output
    assert "Traceback" not in unknown.output

    add_user(app, email="teacher@example.org", role=Role.INSTRUCTOR)
    add_user(app, email="admin@example.org", role=Role.ADMIN)
    url = f"/instructor/courses/{course.slug}/export/qti3.zip"
    for email, status in (("teacher@example.org", 404), ("admin@example.org", 200)):
        client = FormClient(app.test_client())
        client.submit("/login", {"email": email, "password": PASSWORD})
        response = client.get(url)
        assert response.status_code == status, email
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(response.data)).read("imsmanifest.xml")


def responses(question):
    """A right response and a wrong one, each as the QTI player takes it and as the platform
    reads it (its ``Given``)."""
    widget = KINDS[question.kind].widget
    correct = [choice.id for choice in question.choices if choice.correct]
    wrong = [choice.id for choice in question.choices if not choice.correct]
    if widget == "checkbox":
        return [(correct, tuple(correct)),
                (correct[:-1] + wrong[:1], tuple(sorted(correct[:-1] + wrong[:1])))]
    if widget in ("radio", "explained"):
        return [(correct[0], (correct[0],)), (wrong[0], (wrong[0],))]
    if widget == "number":
        off = str(float(question.accepted[0]) + question.tolerance + 1)
        return [(question.accepted[0], question.accepted[0]), (off, off)]
    if widget == "text":
        return [(question.accepted[0].upper(), question.accepted[0].upper()),
                ("not the answer", "not the answer")]
    ids = [item.id for item in question.items]
    swapped = [ids[1], ids[0], *ids[2:]]  # the first two exchanged
    if widget == "order":  # the steps in the order given; the platform: each step's place
        places = {step: str(n) for n, step in enumerate(swapped, start=1)}
        return [([f"step-{i}" for i in ids], tuple(str(n) for n in range(1, len(ids) + 1))),
                ([f"step-{i}" for i in swapped], tuple(places[i] for i in ids))]
    return [([f"left-{i} right-{i}" for i in ids], tuple(ids)),  # each left with its right
            ([f"left-{i} right-{j}" for i, j in zip(ids, swapped, strict=True)],
             tuple(swapped))]


def test_links_lead_to_the_platform_and_pictures_come_in_the_package(app):
    from learning.content.schema import Choice, Question
    from learning.packages.qti3 import item_xml

    question = Question(
        "q-look", "single",
        'Which is a <a href="/glossary#cooperative">cooperative</a>? '
        '<img src="/media/demo/images/chart.png" alt="A chart">',
        (Choice("a", "This one", True), Choice("b", "That one", False)))
    media: set[str] = set()
    with app.app_context():
        xml = item_xml(question, "en", "demo", media).decode()
    assert f'href="{app.config["PUBLIC_URL"]}/glossary#cooperative"' in xml
    assert 'src="../../media/images/chart.png"' in xml and media == {"images/chart.png"}

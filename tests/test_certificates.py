"""Certificates: issued once on completion, printed, verified by anyone, revocable.

The credential checks use jwcrypto and the keys fetched from the platform's public URLs: a
different library and path from the ones that sign (PyJWT, the key files).
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import re
import shutil
import struct
import subprocess
import threading
import unicodedata
import zlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from babel.dates import format_date
from jwcrypto import jwk, jws
from markupsafe import escape
from PIL import Image, ImageChops
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learning import importer, progress
from learning.certificates import revoking
from learning.certificates.issuing import issue_for_course
from learning.certificates.pdf import CertificateText, render_pdf
from learning.content import load_course
from learning.extensions import db
from learning.identity import Identity
from learning.models import (
    AuditEvent,
    Certificate,
    Course,
    Lesson,
    Programme,
    QuizAttempt,
    Role,
    User,
)

from .conftest import make_app
from .support import QUIZ_LESSON, SLUG, FormClient, add_user, nutshell
from .test_learning import right_answers, submit_quiz

HAVE_TOOLS = all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts", "zbarimg"))
if not HAVE_TOOLS and os.environ.get("CI") == "true":
    raise RuntimeError("CI=true but poppler-utils or zbar-tools is missing: these tests must run")
needs_poppler = pytest.mark.skipif(
    not HAVE_TOOLS, reason="poppler-utils and zbar-tools are needed (make test installs them)"
)


def complete_course(app, email="learner@example.org") -> str | None:
    """Complete every lesson and pass the graded quiz, as the learner's requests would;
    the public id of the certificate this earned, if any."""
    with app.app_context():
        user = User.by_email(email)
        course = db.session.scalar(select(Course).filter_by(slug=SLUG))
        for lesson in course.lessons:
            if lesson.key != QUIZ_LESSON:
                progress.complete_lesson(user.id, lesson)
        quiz_lesson = next(lesson for lesson in course.lessons if lesson.key == QUIZ_LESSON)
        content = quiz_lesson.contents[0]
        quiz = nutshell().lessons[QUIZ_LESSON].versions["en"].quiz
        progress.submit_quiz(user.id, quiz_lesson, content.language, quiz, right_answers(quiz),
                             "token-1")
        return db.session.scalar(select(Certificate.public_id).filter_by(user_id=user.id))


@pytest.fixture
def learner(app, client, course):
    user = add_user(app, full_name="Ñúñez Çelik-Øberg")
    client.submit("/login", {"email": user.email, "password": "a long enough password"})
    return user


@pytest.fixture
def certificate(app, learner):
    return complete_course(app)


def login(app, email, role=Role.LEARNER, full_name="Someone Else") -> FormClient:
    add_user(app, email=email, role=role, full_name=full_name)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": email, "password": "a long enough password"})
    return client


def b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verify_with_published_keys(client, token: str) -> dict:
    """Check a VC-JWT the way a third party would: the JWKS, then the signature."""
    header = json.loads(b64decode(token.split(".")[0]))
    keys = client.get("/.well-known/jwks.json").get_json()["keys"]
    published = next(k for k in keys if k["kid"] == header["kid"])
    checked = jws.JWS()
    checked.deserialize(token)
    # raises InvalidJWSSignature when anything was changed
    checked.verify(jwk.JWK(**published), alg=published["alg"])
    return json.loads(checked.payload)


# --- Issuing ---------------------------------------------------------------------------------


def test_completing_a_course_issues_its_certificate_at_once(app, client, learner, course):
    quiz = course.lessons[QUIZ_LESSON].versions["en"].quiz
    for key in course.lessons:
        if key != QUIZ_LESSON:
            url = f"/courses/{SLUG}/lessons/{key}"
            client.submit(f"{url}/complete", {}, form_url=url)
    with app.app_context():
        assert db.session.scalar(select(Certificate)) is None
    result = client.get(submit_quiz(client, right_answers(quiz)).location)
    page = result.get_data(as_text=True)
    assert "Your certificate is ready" in page
    with app.app_context():
        [certificate] = db.session.scalars(select(Certificate)).all()
        assert certificate.holder_name == "Ñúñez Çelik-Øberg"
        assert certificate.title == "SSE in a nutshell"
        assert len(certificate.public_id) >= 22  # 128 random bits
    assert f"/certificates/{certificate.public_id}/certificate.pdf" in page
    assert "Your certificate is ready" in client.get(f"/courses/{SLUG}").get_data(as_text=True)


def test_the_dashboard_lists_certificates_with_every_download(client, certificate):
    page = client.get("/dashboard").get_data(as_text=True)
    for path in ("certificate.pdf", "badge.png", "credential.jwt"):
        assert f"/certificates/{certificate}/{path}" in page
    assert f'href="/certificates/{certificate}"' in page
    linkedin = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page).group(1)
    query = parse_qs(urlparse(linkedin.replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["SSE in a nutshell"]
    assert query["certId"] == [certificate]
    assert query["certUrl"] == [f"http://localhost/certificates/{certificate}"]


def test_a_course_without_a_certificate_issues_none(app, learner, course):
    with app.app_context():
        db.session.scalar(select(Course)).certificate = False
        db.session.commit()
    assert complete_course(app) is None
    with app.app_context():
        assert db.session.scalar(select(Certificate)) is None


def test_the_database_refuses_a_second_certificate_for_the_same_course(app, certificate):
    with app.app_context():
        first = db.session.scalar(select(Certificate))
        db.session.add(Certificate(user_id=first.user_id, course_id=first.course_id,
                                   holder_name="x", title="x", language="en"))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_concurrent_completions_issue_one_certificate(app, learner, course):
    with app.app_context():
        user_id = User.by_email(learner.email).id
        course_id = db.session.scalar(select(Course.id))
    start = threading.Barrier(4)
    errors = []

    def complete():
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                course = db.session.get(Course, course_id)
                start.wait()
                issue_for_course(user, course)
                db.session.commit()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=complete) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with app.app_context():
        assert len(db.session.scalars(select(Certificate)).all()) == 1


def test_the_package_certificate_needs_the_nutshell_and_two_in_depth_modules(app, learner):
    slugs = [SLUG, "sse-and-public-policies", "sse-and-decent-work"]
    with app.app_context():
        for slug in slugs:
            importer.import_course(db.session, load_course(f"courses/{slug}").course)
        db.session.add(Programme(slug="package", title="SSE awareness-raising package",
                                 summary="…", required=[SLUG],
                                 electives=slugs[1:] + ["sse-and-the-sdgs"],
                                 electives_required=2))
        db.session.commit()
        user = User.by_email(learner.email)
        issued = []
        for slug in slugs:
            course = db.session.scalar(select(Course).filter_by(slug=slug))
            course.completion_quizzes = "none"  # lessons alone complete these courses
            for lesson in db.session.scalars(select(Lesson).filter_by(course_id=course.id)):
                progress.complete_lesson(user.id, lesson, by="quiz")
            db.session.commit()
            issued.append(db.session.scalar(
                select(Certificate.title).where(Certificate.programme_id.is_not(None))))
        assert issued == [None, None, "SSE awareness-raising package"]
        assert db.session.query(Certificate).count() == 4


def test_issue_due_catches_up_on_certificates_earned_earlier(app, learner, course):
    with app.app_context():
        db.session.scalar(select(Course)).certificate = False
        db.session.commit()
    assert complete_course(app) is None
    with app.app_context():
        db.session.scalar(select(Course)).certificate = True
        db.session.commit()
    runner = app.test_cli_runner()
    assert "Issued 1 certificate(s)" in runner.invoke(args=["certificates", "issue-due"]).output
    assert "Issued 0 certificate(s)" in runner.invoke(args=["certificates", "issue-due"]).output


# --- The PDF ---------------------------------------------------------------------------------


def certificate_text(holder: str) -> CertificateText:
    return CertificateText(
        heading="Certificate of completion", certifies="This certifies that", holder=holder,
        achieved="has completed the course", title="SSE in a nutshell",
        date_line="Completed on 2 December 2026", issuer="SSE Learning",
        id_label="Certificate ID", public_id="abc", verify_label="Check it at",
        verify_url="https://learn.example.org/certificates/abc", language="en")


def words_on_the_page(pdf: bytes, tmp_path) -> tuple[float, list[tuple[float, float, str]]]:
    """The page width and each word poppler finds: (left edge, right edge, text)."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html)[1])
    words = [(float(x0), float(x1), word) for x0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        html)]
    return width, words


@needs_poppler
@pytest.mark.parametrize(("holder", "font"), [
    ("فاطمة علي", "DejaVuSans-Bold"),  # Arabic, joined and right to left
    ("张伟", "DroidSansFallback"),
    ("Ольга Петрова", "DejaVuSerif-Bold"),
])
def test_a_name_in_arabic_chinese_or_cyrillic_prints_in_a_font_that_has_it(tmp_path, holder,
                                                                            font):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_pdf(certificate_text(holder)))
    printed = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    # Shaped Arabic is printed in its contextual forms, which NFKC turns back into the letters
    # typed; poppler marks a right-to-left line with embedding controls (U+202B ... U+202C).
    lines = unicodedata.normalize("NFKC", printed).splitlines()
    assert holder in [line.strip("\u202b\u202c") for line in lines]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert any(font in line and " yes yes " in line for line in fonts.splitlines()), fonts


@needs_poppler
@pytest.mark.parametrize("holder", [
    "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissen",  # 62 letters, no space
    "Константинопольскийпервосвященникархиепископмитрополитович",
    "Παπαδημητρακοπουλοςκωνσταντινιδηςαλεξανδροπουλος",
    "Ngô" + "x" * 150,
    "Ana María de los Ángeles Fernández-Villaverde y Ruiz de Castañeda Oyarzábal Echeverría",
])
def test_a_long_name_prints_whole_inside_the_page(tmp_path, holder):
    width, words = words_on_the_page(render_pdf(certificate_text(holder)), tmp_path)
    assert all(36 <= left and right <= width - 36 for left, right, _ in words), words
    printed = "".join(word for _, _, word in words)
    assert holder.replace(" ", "") in printed


@needs_poppler
def test_the_pdf_prints_the_name_and_title_and_its_qr_code_leads_to_the_check(
        client, certificate, tmp_path):
    response = client.get(f"/certificates/{certificate}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Ñúñez Çelik-Øberg" in text and "SSE in a nutshell" in text
    assert certificate in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert all(" yes yes " in line for line in fonts.splitlines()[2:]), fonts  # all embedded
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page-1.png")],
                             capture_output=True, text=True)
    assert decoded.stdout.strip() == f"http://localhost/certificates/{certificate}"
    page = client.get(urlparse(decoded.stdout.strip()).path).get_data(as_text=True)
    assert "Valid" in page and "Ñúñez Çelik-Øberg" in page


@needs_poppler
def test_a_vietnamese_name_prints_correctly(app, course, tmp_path):
    add_user(app, email="huong@example.org", full_name="Thị Hương")
    public_id = complete_course(app, "huong@example.org")
    client = FormClient(app.test_client())
    client.submit("/login", {"email": "huong@example.org", "password": "a long enough password"})
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(client.get(f"/certificates/{public_id}/certificate.pdf").data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Thị Hương" in text


# --- What the PDF says, in the operator's identity -------------------------------------------

TASK_FORCE = Identity(
    name={"en": "SSE Learning Hub"},
    issuer={"en": "Example Task Force on SSE", "fr": "Groupe de travail exemple sur l'ESS"},
    colour="#7a1f5c", signatory_name="Amina Diallo",
    signatory_role={"en": "Chair of the Task Force", "fr": "Présidente du groupe de travail"},
)
LOGO_INK = (0x1e, 0x88, 0x5a)  # a green the page uses nowhere else


@pytest.fixture
def branded(app):
    """Build an app that wears an identity, on ``app``'s database (whose teardown empties it)."""
    built = []

    def build(identity: Identity = TASK_FORCE):
        built.append(make_app(app.config["SQLALCHEMY_DATABASE_URI"], IDENTITY=identity))
        return built[-1]

    yield build
    for each in built:
        with each.app_context():
            db.engine.dispose()


def certificate_pdf(app, public_id: str, tmp_path, email="learner@example.org") -> str:
    """The text of the holder's PDF, as downloaded from ``app``, with its path beside it."""
    client = FormClient(app.test_client())
    client.submit("/login", {"email": email, "password": "a long enough password"})
    response = client.get(f"/certificates/{public_id}/certificate.pdf")
    assert response.status_code == 200
    path = tmp_path / f"{public_id}.pdf"
    path.write_bytes(response.data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def issued_on(app, public_id: str, locale: str) -> str:
    with app.app_context():
        issued = db.session.scalar(select(Certificate.issued_at).filter_by(public_id=public_id))
    return format_date(issued, "long", locale=locale)


@needs_poppler
def test_the_pdf_names_the_issuer_the_hours_the_date_and_who_signs_it(
        app, branded, learner, certificate, tmp_path):
    text = certificate_pdf(branded(), certificate, tmp_path)
    assert "EXAMPLE TASK FORCE ON SSE" in text  # the issuer heads the page, in capitals
    assert "1.25 hours" in text  # the course's estimated hours
    assert f"Completed on {issued_on(app, certificate, 'en')}" in text
    assert "Amina Diallo" in text and "Chair of the Task Force" in text
    assert "Issued by" not in text and "ISSUED BY" not in text


@needs_poppler
def test_without_a_signatory_the_issuer_signs_instead_of_a_blank_line(
        branded, learner, certificate, tmp_path):
    text = certificate_pdf(branded(Identity(issuer={"en": "Example Task Force on SSE"})),
                           certificate, tmp_path)
    under_the_label = text[text.index("ISSUED BY"):].split()[2:7]
    assert " ".join(under_the_label) == "Example Task Force on SSE"


def complete_programme(app, email: str, order: list[str]) -> str:
    """Import the package's courses, complete those in ``order`` (lessons alone complete
    them); the public id of the programme's certificate."""
    with app.app_context():
        for slug in {SLUG, "sse-and-public-policies", "sse-and-decent-work"}:
            importer.import_course(db.session, load_course(f"courses/{slug}").course)
        db.session.add(Programme(
            slug="package", title="SSE awareness-raising package", summary="…",
            required=[SLUG], electives=["sse-and-public-policies", "sse-and-the-sdgs",
                                        "sse-and-decent-work"], electives_required=2,
            translations={"fr": {"title": "Le kit de sensibilisation à l'ESS"}}))
        db.session.commit()
        user = User.by_email(email)
        for slug in order:
            course = db.session.scalar(select(Course).filter_by(slug=slug))
            course.completion_quizzes = "none"
            for lesson in db.session.scalars(select(Lesson).filter_by(course_id=course.id)):
                progress.complete_lesson(user.id, lesson, by="quiz")
            db.session.commit()
        return db.session.scalar(select(Certificate.public_id).where(
            Certificate.programme_id.is_not(None)))


@needs_poppler
def test_a_programme_certificate_lists_the_courses_completed_in_the_programmes_order(
        app, learner, tmp_path):
    public_id = complete_programme(app, learner.email,
                                   ["sse-and-decent-work", SLUG, "sse-and-public-policies"])
    text = certificate_pdf(app, public_id, tmp_path)
    assert "has completed the programme" in text and "COURSES COMPLETED" in text
    listed = text[text.index("COURSES COMPLETED"):].split("\n")
    courses = ["SSE in a nutshell", "SSE and public policies", "SSE and decent work"]
    assert [line.strip() for line in listed if line.strip() in courses] == courses
    assert "SSE and the Sustainable Development Goals" not in text  # an elective not taken
    assert "3.75 hours" in text  # the hours of the three courses


@needs_poppler
def test_a_french_holders_certificate_is_in_french(app, branded, learner, course, tmp_path):
    with app.app_context():
        User.by_email(learner.email).language = "fr"
        db.session.scalar(select(Course)).estimated_hours = 1.5
        db.session.commit()
    public_id = complete_course(app)
    text = certificate_pdf(branded(), public_id, tmp_path)
    assert "L'ESS en bref" in text  # the course's own French title
    assert f"Terminé le {issued_on(app, public_id, 'fr')}" in text  # Babel's French month
    assert "CERTIFICAT DE RÉUSSITE" in text and "a terminé le cours" in text
    assert "1,5 " in text  # the hours as French writes the number
    assert "GROUPE DE TRAVAIL EXEMPLE SUR L'ESS" in text
    assert "Présidente du groupe de travail" in text


def french_programme_certificate(app, branded, learner, tmp_path) -> str:
    with app.app_context():
        User.by_email(learner.email).language = "fr"
        db.session.commit()
    public_id = complete_programme(app, learner.email,
                                   [SLUG, "sse-and-public-policies", "sse-and-decent-work"])
    return certificate_pdf(branded(Identity()), public_id, tmp_path)


@needs_poppler
def test_a_french_holders_programme_lists_its_courses_by_their_french_titles(
        app, branded, learner, tmp_path):
    text = french_programme_certificate(app, branded, learner, tmp_path)
    assert "Le kit de sensibilisation à l'ESS" in text and "a terminé le programme" in text
    assert "DÉLIVRÉ PAR" in text  # no signatory: the issuer signs
    for title in ("L'ESS en bref", "L'ESS et les politiques publiques",
                  "L'ESS et le travail décent"):
        assert title in text
    assert "3,75 " in text


@needs_poppler
def test_the_new_words_of_a_french_certificate_are_french(app, branded, learner, tmp_path):
    text = french_programme_certificate(app, branded, learner, tmp_path)
    assert "heures" in text and "hours" not in text
    assert "COURSES COMPLETED" not in text


def logo_file(tmp_path, kind: str):
    """A logo in LOGO_INK: an SVG square, or a PNG of it."""
    if kind == "svg":
        path = tmp_path / "logo.svg"
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40">'
                        '<rect width="80" height="40" rx="6" fill="#1e885a"/></svg>')
    else:
        path = tmp_path / "logo.png"
        Image.new("RGB", (80, 40), LOGO_INK).save(path)
    return path


def ink_at_the_top(pdf_path, tmp_path, ink: tuple[int, int, int]) -> int:
    """How many pixels of ``ink`` the page has where the logo goes (72 dpi: pixels are points)."""
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(pdf_path),
                    str(tmp_path / "top")], check=True)
    page = Image.open(tmp_path / "top.png").convert("RGB")
    middle = page.width // 2
    logo_box = page.crop((middle - 90, 50, middle + 90, 104))
    return sum(1 for pixel in logo_box.get_flattened_data()
               if all(abs(a - b) <= 12 for a, b in zip(pixel, ink, strict=True)))


@needs_poppler
@pytest.mark.parametrize("kind", ["svg", "png", "none"])
def test_the_issuers_logo_tops_the_page_in_svg_or_png_or_the_default_mark(
        branded, learner, certificate, tmp_path, kind):
    logo = None if kind == "none" else logo_file(tmp_path, kind)
    certificate_pdf(branded(Identity(logo=logo, colour="#7a1f5c")), certificate, tmp_path)
    ink = LOGO_INK if logo else (0x7a, 0x1f, 0x5c)  # the default mark, in the platform's colour
    assert ink_at_the_top(tmp_path / f"{certificate}.pdf", tmp_path, ink) > 300


@needs_poppler
def test_a_programme_of_nine_long_titled_courses_still_fits_one_page(tmp_path):
    courses = tuple(f"Course {n}: the social and solidarity economy and a long subtitle "
                    f"about decent work" for n in range(1, 10))
    text = replace(certificate_text("Ana María de los Ángeles Fernández-Villaverde y Ruiz"),
                   achieved="has completed the programme",
                   title="The awareness-raising package " * 4, courses=courses,
                   courses_label="Courses completed", hours="14 hours")
    width, words = words_on_the_page(render_pdf(text), tmp_path)
    assert all(36 <= left and right <= width - 36 for left, right, _ in words)
    printed = " ".join(word for _, _, word in words)
    assert all(f"Course {n}:" in printed for n in range(1, 10))
    pages = subprocess.run(["pdfinfo", str(tmp_path / "certificate.pdf")], capture_output=True,
                           text=True).stdout
    assert re.search(r"Pages:\s+1\n", pages)


def test_downloads_belong_to_the_holder(app, client, certificate):
    other = login(app, "other@example.org")
    anonymous = app.test_client()
    for path in ("certificate.pdf", "badge.png", "credential.jwt"):
        url = f"/certificates/{certificate}/{path}"
        assert client.get(url).status_code == 200
        assert other.get(url).status_code == 404
        assert anonymous.get(url).status_code == 302  # to the log-in page
    admin = login(app, "admin@example.org", role=Role.ADMIN)
    assert admin.get(f"/certificates/{certificate}/certificate.pdf").status_code == 200


# --- Public verification ---------------------------------------------------------------------


def test_the_public_page_shows_what_was_achieved_and_nothing_else_about_the_holder(
        app, client, certificate):
    page = app.test_client().get(f"/certificates/{certificate}").get_data(as_text=True)
    assert "Valid" in page and "Ñúñez Çelik-Øberg" in page and "SSE in a nutshell" in page
    assert "learner@example.org" not in page
    record = app.test_client().get(f"/certificates/{certificate}.json").get_json()
    assert record["status"] == "valid"
    assert record["holder"] == "Ñúñez Çelik-Øberg"
    assert record["achievement"] == {"type": "course", "title": "SSE in a nutshell"}
    assert "learner@example.org" not in json.dumps(record)
    assert app.test_client().get("/certificates/not-a-real-id").status_code == 404


# --- The Open Badge --------------------------------------------------------------------------


def test_the_credential_is_an_open_badge_that_verifies_with_the_published_key(
        client, certificate):
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    header = json.loads(b64decode(token.split(".")[0]))
    published = client.get(urlparse(header["kid"]).path).get_json()
    assert published["kty"] == "EC" and published["crv"] == "P-256" and "d" not in published
    credential = verify_with_published_keys(client, token)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["type"] == ["Profile"]
    assert client.get(urlparse(credential["issuer"]["id"]).path).get_json()["name"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", credential["validFrom"])
    assert credential["iss"] == credential["issuer"]["id"] and credential["jti"] == credential["id"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert [i["identityType"] for i in subject["identifier"]] == ["emailAddress"]
    assert "Ñúñez" not in json.dumps(credential, ensure_ascii=False)
    achievement = subject["achievement"]
    assert achievement["name"] == "SSE in a nutshell"
    assert achievement["description"] and achievement["criteria"]["narrative"]
    assert client.get(urlparse(achievement["id"]).path).get_json()["name"] == "SSE in a nutshell"
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"


def test_the_jwt_follows_the_open_badges_jwt_proof_rules(client, certificate):
    """OB 3.0 §8.2: RS256 or ES256 (1EdTech's validator refuses EdDSA), typ JWT, no other
    JOSE header, and the registered claims mirroring the credential; served as text/plain."""
    response = client.get(f"/certificates/{certificate}/credential.jwt")
    assert response.mimetype == "text/plain"
    token = response.get_data(as_text=True)
    header = json.loads(b64decode(token.split(".")[0]))
    assert header == {"alg": "ES256", "typ": "JWT", "kid": header["kid"]}
    claims = json.loads(b64decode(token.split(".")[1]))
    assert claims["iss"] == claims["issuer"]["id"] and claims["jti"] == claims["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"]
    assert claims["sub"].startswith("urn:uuid:")
    assert claims["nbf"] == int(datetime.fromisoformat(claims["validFrom"]).timestamp())
    assert "exp" not in claims and "validUntil" not in claims


def test_an_independent_jose_library_verifies_it_from_the_published_jwks(client, certificate):
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet

    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    verified = jose_jwt.decode(token, keys, algorithms=["ES256"])
    assert verified.claims["credentialSubject"]["achievement"]["name"] == "SSE in a nutshell"


def shared_folder() -> Path:
    """The workplace's ../shared (reference files read in place, never copied here): beside
    this checkout, or, for a checkout made elsewhere (CI's clean clone), SHARED_PATH or the
    workplace's own /work/shared."""
    beside = Path(__file__).resolve().parents[2] / "shared"
    candidates = [Path(os.environ["SHARED_PATH"])] if os.environ.get("SHARED_PATH") else []
    return next((p for p in [*candidates, beside, Path("/work/shared")] if p.is_dir()), beside)


OB3_SCHEMA = shared_folder() / "ob3" / "ob_v3p0_achievementcredential_schema.json"


def test_the_credential_is_valid_against_the_official_open_badges_schema(client, certificate):
    if not OB3_SCHEMA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the OB 3.0 schema is missing at {OB3_SCHEMA}")
        pytest.skip(f"the OB 3.0 JSON Schema is read from {OB3_SCHEMA}, absent here")
    import jsonschema

    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    credential = verify_with_published_keys(client, token)
    schema = json.loads(OB3_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(schema)
    assert [error.message for error in validator.iter_errors(credential)] == []
    tampered = {**credential, "type": ["VerifiableCredential"]}
    assert list(validator.iter_errors(tampered))  # the schema is a judge that can say no


def test_the_credentials_id_answers_a_verifier_asking_for_a_vc_jwt(app, client, certificate):
    anyone = app.test_client()
    page = anyone.get(f"/certificates/{certificate}")
    assert page.mimetype == "text/html" and "Accept" in page.headers["Vary"]
    asked = anyone.get(f"/certificates/{certificate}", headers={"Accept": "application/vc+jwt"})
    assert asked.mimetype == "text/plain" and "Accept" in asked.headers["Vary"]
    credential = verify_with_published_keys(client, asked.get_data(as_text=True))
    assert credential["id"].endswith(f"/certificates/{certificate}")
    assert anyone.get(f"/certificates/{certificate}",
                      headers={"Accept": "*/*"}).mimetype == "text/html"


def test_any_changed_byte_breaks_the_signature(client, certificate):
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    verify_with_published_keys(client, token)
    segments = [b64decode(s) for s in token.split(".")]
    for part, data in enumerate(segments):
        for index in range(len(data)):
            changed = bytearray(data)
            changed[index] ^= 0x01
            forged = [b64encode(s) for s in segments]
            forged[part] = b64encode(bytes(changed))
            with pytest.raises(Exception):  # noqa: B017 (any failure to verify will do)
                verify_with_published_keys(client, ".".join(forged))


def png_text_chunks(png: bytes) -> dict[str, str]:
    """Read iTXt chunks straight from the PNG bytes, without an imaging library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        data = png[offset + 8:offset + 8 + length]
        assert zlib.crc32(kind + data) == struct.unpack(">I", png[offset + 8 + length:
                                                                   offset + 12 + length])[0]
        if kind == b"iTXt":
            keyword, rest = data.split(b"\0", 1)
            compressed, _method, rest = rest[0], rest[1], rest[2:]
            _language, _translated, text = rest.split(b"\0", 2)
            chunks[keyword.decode()] = (zlib.decompress(text) if compressed else text).decode()
        offset += 12 + length
    return chunks


def test_the_badge_image_carries_the_signed_credential(client, certificate):
    response = client.get(f"/certificates/{certificate}/badge.png")
    assert response.mimetype == "image/png"
    baked = png_text_chunks(response.data)["openbadgecredential"]
    assert verify_with_published_keys(client, baked)["credentialSubject"]["achievement"][
        "name"] == "SSE in a nutshell"


def badge_centre(client, slug: str) -> Image.Image:
    """The part of a course's badge above its ribbon: where the cover shows."""
    response = client.get(f"/badges/achievements/course/{slug}/image.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert image.size == (400, 400)
    return image.crop((90, 70, 310, 270))


def test_each_course_badge_is_drawn_from_its_own_cover(app, client, course):
    with app.app_context():
        importer.import_course(db.session, load_course("courses/finance-for-the-sse").course)
        db.session.commit()
    nutshell_badge = badge_centre(client, SLUG)
    finance_badge = badge_centre(client, "finance-for-the-sse")
    changed = ImageChops.difference(nutshell_badge, finance_badge).convert("L")
    assert sum(1 for value in changed.get_flattened_data() if value > 40) > 0.1 * 220 * 200
    amber = (0xe3, 0xa0, 0x08)  # the finance cover's coins
    assert any(all(abs(a - b) <= 10 for a, b in zip(pixel, amber, strict=True))
               for pixel in finance_badge.get_flattened_data())


def test_a_badge_wears_the_platform_colour_and_a_coverless_course_the_logo(
        app, branded, course):
    with app.app_context():
        db.session.scalar(select(Course)).cover = None
        db.session.commit()
    image = Image.open(io.BytesIO(branded(TASK_FORCE).test_client().get(
        f"/badges/achievements/course/{SLUG}/image.png").data)).convert("RGB")
    colour = (0x7a, 0x1f, 0x5c)
    assert image.getpixel((200, 7)) == colour  # the rim
    centre = image.crop((120, 100, 280, 250)).get_flattened_data()  # the default mark
    assert sum(1 for pixel in centre if pixel == colour) > 5000


def test_rotating_the_key_keeps_old_credentials_verifiable(app, client, certificate):
    old = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    output = app.test_cli_runner().invoke(args=["certificates", "rotate-key"]).output
    assert "New current P-256 key" in output and "New current Ed25519 key" in output
    new = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    old_kid = json.loads(b64decode(old.split(".")[0]))["kid"]
    new_kid = json.loads(b64decode(new.split(".")[0]))["kid"]
    assert old_kid != new_kid
    assert verify_with_published_keys(client, old) == verify_with_published_keys(client, new)


def test_a_credential_signed_before_es256_still_verifies_with_its_ed25519_key(app, client,
                                                                             certificate):
    from learning.certificates import credential as credentials
    from learning.certificates.keys import ED25519

    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    payload = verify_with_published_keys(client, token)
    with app.test_request_context("/"):
        old_style = credentials.sign(payload, key=credentials.key_store(ED25519).current())
    assert json.loads(b64decode(old_style.split(".")[0]))["alg"] == "EdDSA"
    assert verify_with_published_keys(client, old_style)["id"] == payload["id"]


def test_the_keys_command_lists_both_kinds_and_which_one_signs(app, certificate):
    output = app.test_cli_runner().invoke(args=["certificates", "keys"]).output
    assert "P-256 keys" in output and "Ed25519 keys" in output
    assert output.count("(current)") == 2


# --- Revocation ------------------------------------------------------------------------------


def revoked_in_status_list(client, index: int) -> bool:
    response = client.get("/badges/status/revocation")
    assert response.headers["Cache-Control"] == "public, max-age=60"  # seen within a minute
    token = response.get_data(as_text=True)
    status = verify_with_published_keys(client, token)
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = status["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(b64decode(encoded[1:]))
    assert len(bits) >= 16 * 1024
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_an_admin_revokes_a_certificate_and_everyone_can_see_it(app, client, certificate):
    token = client.get(f"/certificates/{certificate}/credential.jwt").get_data(as_text=True)
    index = int(verify_with_published_keys(client, token)["credentialStatus"]["statusListIndex"])
    assert not revoked_in_status_list(client, index)

    admin = login(app, "admin@example.org", role=Role.ADMIN)
    url = f"/admin/certificates/{certificate}"
    empty = admin.submit(url, {"reason": "  "})
    assert empty.status_code == 422 and "This field is required" in empty.get_data(as_text=True)
    admin.submit(url, {"reason": "Quiz answers were shared"})

    page = app.test_client().get(f"/certificates/{certificate}").get_data(as_text=True)
    assert "Revoked" in page and "Valid" not in page
    assert app.test_client().get(f"/certificates/{certificate}", headers={
        "Accept": "application/vc+jwt"}).status_code == 410  # no credential at its id now
    assert app.test_client().get(f"/certificates/{certificate}.json").get_json()[
        "status"] == "revoked"
    assert revoked_in_status_list(client, index)
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent)).all()
        assert (event.actor_email, event.action) == ("admin@example.org", "certificate.revoke")
        assert event.details["reason"] == "Quiz answers were shared"
    again = admin.submit(url, {"reason": "twice"}, follow_redirects=True)
    assert "Revoked" in again.get_data(as_text=True)


def revoke(app, public_id: str, reason: str) -> None:
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).filter_by(public_id=public_id))
        revoking.revoke(certificate, reason, by=None)


def test_a_revoked_certificate_says_so_to_its_holder_and_is_never_handed_out_again(
        app, client, certificate):
    attempt_url = client.get(f"/courses/{SLUG}/lessons/{QUIZ_LESSON}").request.path
    revoke(app, certificate, "Quiz answers were shared")

    for url in (f"/courses/{SLUG}", "/dashboard"):
        page = client.get(url).get_data(as_text=True)
        assert "revoked" in page.lower() and "Quiz answers were shared" in page, url
        assert "Your certificate is ready" not in page
        assert f"/certificates/{certificate}/certificate.pdf" not in page
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.passed))
    attempt = client.get(f"{attempt_url}/quiz/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your certificate was revoked" in attempt and "Congratulations" not in attempt

    for download in ("certificate.pdf", "credential.jwt", "badge.png"):
        response = client.get(f"/certificates/{certificate}/{download}")
        assert response.status_code == 410, download
        assert "revoked" in response.get_data(as_text=True)


def test_only_admins_reach_the_certificate_admin(app, client, certificate):
    assert client.get("/admin/certificates").status_code == 403
    assert client.submit(f"/admin/certificates/{certificate}", {"reason": "x"},
                         form_url="/dashboard").status_code == 403
    instructor = login(app, "teacher@example.org", role=Role.INSTRUCTOR)
    assert instructor.get(f"/admin/certificates/{certificate}").status_code == 403
    assert app.test_client().get("/admin/certificates").status_code == 302
    admin = login(app, "admin@example.org", role=Role.ADMIN)
    listing = admin.get("/admin/certificates?q=Çelik").get_data(as_text=True)
    assert "Ñúñez Çelik-Øberg" in listing
    assert admin.post(f"/admin/certificates/{certificate}", data={"reason": "no token"}
                      ).status_code == 400  # CSRF
    with app.app_context():
        assert db.session.scalar(select(Certificate.revoked_at)) is None


def test_the_public_page_speaks_the_holders_language_and_can_be_switched(app, client, course):
    add_user(app, full_name="Aïssatou Diallo")
    with app.app_context():
        User.by_email("learner@example.org").language = "fr"
        db.session.commit()
    public_id = complete_course(app)
    french_title = str(escape(course.translations["fr"].title))

    page = client.get(f"/certificates/{public_id}").get_data(as_text=True)
    assert '<html lang="fr"' in page and f'lang="fr">{french_title}</a>' in page

    english = client.get(f"/certificates/{public_id}?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in english and "Certificate check" in english
    assert f"{french_title}</a> (SSE in a nutshell)" in english  # the title it attests, glossed

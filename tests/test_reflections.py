"""Reflections: a ``::: reflection`` block asks each learner to write an answer, kept in their
notebook (a page, a Markdown file, a PDF, their data export), shared with the course's other
learners only if the author allows it and the learner chooses, anonymously or by name."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from learning.content.activities import parse_reflection
from learning.content.quiz_block import default_fragment_renderer
from learning.extensions import db
from learning.models import Enrolment, ReflectionAnswer

from .content.test_content_sanitize import HOSTILE, assert_inert
from .support import PASSWORD, FormClient, add_user, import_one_lesson_course
from .test_certificates import HAVE_TOOLS
from .test_learning import count_queries

PRIVATE = """::: reflection {#r-what-changes}
What would a framework law change for the SSE entities you know?
:::
"""
SHARED = """::: reflection {#r-an-example}
Which SSE entity near you would you show a minister, and why?
Share: yes
:::
"""
LESSON = "/courses/demo/lessons/check"
HOSTILE_CORPUS = Path(__file__).parent / "content" / "hostile_corpus.md"


def parsed(arg: str, body: str):
    found: list = []
    return parse_reflection(arg, body, 30, default_fragment_renderer, found), [
        (line, message) for line, message, _hint in found]


def test_a_reflection_is_a_question_and_whether_answers_may_be_shared():
    reflection, found = parsed("{#r-x}", "What would change?\nShare: yes")
    assert found == [] and reflection.prompt_html == "What would change?" and reflection.shareable
    private, _ = parsed("{#r-y}", "What would change?")
    assert not private.shareable


@pytest.mark.parametrize(("arg", "body", "line", "message"), [
    ("", "What?", 30, "reflection has no id"),
    ("{#r-x}", "Share: yes", 30, "reflection 'r-x' has no question"),
    ("{#r-x}", "What?\nShare: maybe", 32, "share 'maybe' is not yes or no"),
])
def test_a_mistake_is_named_with_its_line(arg, body, line, message):
    _reflection, found = parsed(arg, body)
    assert (line, message) in found


@pytest.fixture
def course(app, tmp_path: Path):
    return import_one_lesson_course(app, tmp_path / "demo",
                                    "Read this.\n\n" + PRIVATE + "\nThen this.\n\n" + SHARED)


def learner(app, email: str, name: str = "Ada Lovelace") -> FormClient:
    add_user(app, email=email, full_name=name)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": email, "password": PASSWORD})
    return client


def write(client: FormClient, reflection: str, text: str, sharing: str | None = None):
    data = {"text": text, **({"sharing": sharing} if sharing else {})}
    return client.submit(f"{LESSON}/reflections/{reflection}", data, form_url=LESSON)


def test_an_answer_is_kept_and_shown_again_to_its_writer(app, course):
    client = learner(app, "a@example.org")
    response = write(client, "r-what-changes", "Access to public procurement.\nAnd visibility.")
    assert response.status_code == 302 and response.location.endswith("#reflection-r-what-changes")
    page = client.get(LESSON).get_data(as_text=True)
    assert "Your answer is saved in your notebook." in page
    assert ">Access to public procurement.\nAnd visibility.</textarea>" in page
    write(client, "r-what-changes", "Rewritten.")
    with app.app_context():
        assert db.session.scalars(select(ReflectionAnswer.text)).all() == ["Rewritten."]


def test_an_empty_or_too_long_answer_is_refused_with_a_message(app, course):
    client = learner(app, "a@example.org")
    write(client, "r-what-changes", "   ")
    assert "Write your answer before saving it." in client.get(LESSON).get_data(as_text=True)
    write(client, "r-what-changes", "x" * 5001)
    assert "longer than 5000 characters" in client.get(LESSON).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReflectionAnswer.id))) == 0


def test_answers_are_shared_only_where_the_author_allows_and_as_the_learner_chooses(
        app, course):
    named, anonymous, private = (learner(app, f"{who}@example.org", f"{who.title()} Writer")
                                 for who in ("named", "anonymous", "private"))
    write(named, "r-an-example", "The bakery cooperative of my town.", "named")
    write(anonymous, "r-an-example", "A savings group of market women.", "anonymous")
    write(private, "r-an-example", "Something only I read.", "private")
    write(named, "r-what-changes", "Not shareable here.", "named")  # the author did not allow it

    reader = learner(app, "reader@example.org").get(LESSON).get_data(as_text=True)
    assert "Named Writer" in reader and "The bakery cooperative of my town." in reader
    assert "A savings group of market women." in reader and "Anonymous Writer" not in reader
    assert "A learner" in reader
    assert "Something only I read." not in reader and "Not shareable here." not in reader
    anyone = FormClient(app.test_client()).get(LESSON).get_data(as_text=True)
    assert "The bakery cooperative" not in anyone and "Log in to write your answer" in anyone


def answers_on(page: str) -> list[str]:
    """What the page shows of the learners' answers: shared ones, and the writer's own."""
    return (re.findall(r'<p class="shared-text">(.*?)</p>', page, re.S)
            + re.findall(r"<textarea[^>]*>(.*?)</textarea>", page, re.S))


def test_the_hostile_corpus_written_as_answers_is_shown_as_inert_text(app, course):
    writer, reader = learner(app, "w@example.org"), learner(app, "r@example.org")
    for text in [*HOSTILE, HOSTILE_CORPUS.read_text(encoding="utf-8")[:5000]]:
        write(writer, "r-an-example", text, "named")
        for page in (reader.get(LESSON), writer.get(LESSON), writer.get("/notebook")):
            shown = answers_on(page.get_data(as_text=True))
            assert shown, "the answer is on the page"
            for answer in shown:
                assert "<" not in answer  # every tag written shows as text
                assert_inert(answer)


def test_the_notebook_lists_every_answer_and_exports_it(app, course, tmp_path):
    client = learner(app, "a@example.org")
    write(client, "r-what-changes", "Access to public procurement.")
    write(client, "r-an-example", "The bakery cooperative — «notre» fierté.", "anonymous")
    page = client.get("/notebook").get_data(as_text=True)
    assert "Demo course" in page and "Access to public procurement." in page
    assert "shared without my name" in page
    markdown = client.get("/notebook.md")
    assert markdown.mimetype == "text/markdown" and "attachment" in markdown.headers[
        "Content-Disposition"]
    text = markdown.get_data(as_text=True)
    assert "## Demo course" in text
    assert "### What would a framework law change for the SSE entities you know?" in text
    assert "The bakery cooperative — «notre» fierté." in text
    pdf = client.get("/notebook.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    if HAVE_TOOLS:
        (tmp_path / "notebook.pdf").write_bytes(pdf.data)
        words = subprocess.run(["pdftotext", str(tmp_path / "notebook.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout
        assert "Access to public procurement." in words and "«notre» fierté" in words


def test_the_notebook_is_the_learner_s_own(app, course):
    write(learner(app, "a@example.org"), "r-what-changes", "Mine alone.")
    other = learner(app, "b@example.org")
    assert "Mine alone." not in other.get("/notebook").get_data(as_text=True)
    assert "Mine alone." not in other.get("/notebook.md").get_data(as_text=True)
    assert FormClient(app.test_client()).get("/notebook").status_code == 302  # to log in


def test_answers_are_in_the_data_export_and_go_with_the_account(app, course):
    client = learner(app, "a@example.org")
    write(client, "r-an-example", "A savings group.", "named")
    [entry] = client.get("/account/data").get_json()["reflections"]
    assert (entry["reflection"], entry["answer"], entry["sharing"]) == (
        "r-an-example", "A savings group.", "named")
    client.submit("/account/delete", {"password": PASSWORD, "understood": "y"})
    with app.app_context():
        assert db.session.scalar(select(func.count(ReflectionAnswer.id))) == 0


def test_an_unknown_reflection_is_not_found(app, course):
    assert write(learner(app, "a@example.org"), "r-nothing", "text").status_code == 404


def test_a_lesson_with_reflections_and_polls_stays_within_the_query_budget(app, tmp_path):
    from .test_polls import LAW

    import_one_lesson_course(app, tmp_path / "demo", "Text.\n\n" + LAW + "\n" + SHARED)
    client = learner(app, "a@example.org")
    write(client, "r-an-example", "Shared.", "named")
    client.get(LESSON)
    with count_queries(app) as statements:
        assert client.get(LESSON).status_code == 200
    assert len(statements) <= 6, "\n".join(s[:90] for s in statements)


def test_where_reflections_count_a_course_is_complete_once_they_are_answered(app, tmp_path):
    import_one_lesson_course(app, tmp_path / "demo", "Read this.\n\n" + PRIVATE,
                             completion="{reflections: yes}")
    client = learner(app, "a@example.org")
    client.submit("/courses/demo/enrol", {}, form_url="/courses/demo")
    assert "Write an answer to each reflection" in client.get("/courses/demo").get_data(
        as_text=True)
    client.submit(f"{LESSON}/complete", {}, form_url=LESSON)
    with app.app_context():
        assert db.session.scalar(select(Enrolment.completed_at)) is None
    write(client, "r-what-changes", "Access to public procurement.")
    with app.app_context():
        assert db.session.scalar(select(Enrolment.completed_at)) is not None


def test_where_the_author_asks_for_names_an_answer_is_shared_with_one_or_not_at_all(
        app, tmp_path):
    import_one_lesson_course(app, tmp_path / "demo", SHARED, anonymous_sharing="no")
    client = learner(app, "a@example.org")
    page = client.get(LESSON).get_data(as_text=True)
    assert 'value="named"' in page and 'value="anonymous"' not in page
    write(client, "r-an-example", "Shared without a name?", "anonymous")
    with app.app_context():
        assert db.session.scalar(select(ReflectionAnswer.sharing)) == "private"

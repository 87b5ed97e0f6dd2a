"""The discussion under every lesson: threads and replies in Markdown (sanitised, links marked as
the learners'), edits for a while, deleting one's own posts, helpful marks, reports that hide a
post, moderation by the course's instructors (in the audit log), suspensions, first posts held
for review, rate and length limits, the digest of replies with its one-click unsubscribe, and
the authors' settings that turn it off."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from learning.discussion.posts import PAGE_SIZE
from learning.extensions import db
from learning.models import (
    AuditEvent,
    Course,
    CourseInstructor,
    DiscussionPost,
    DiscussionThread,
    Lesson,
    Role,
    User,
)

from .content.test_content_sanitize import HOSTILE, assert_inert
from .support import PASSWORD, FormClient, add_user, import_one_lesson_course
from .test_learning import count_queries
from .test_reflections import HOSTILE_CORPUS

LESSON = "/courses/demo/lessons/check"
DISCUSSION = f"{LESSON}/discussion"


@pytest.fixture
def course(app, tmp_path: Path):
    # Tests here write many posts in a few seconds; the limits have a test of their own.
    app.config["DISCUSSION_RATE_LIMIT"] = app.config["DISCUSSION_IP_RATE_LIMIT"] = "1000/minute"
    return import_one_lesson_course(app, tmp_path / "demo", "Read this, then talk about it.")


def member(app, email: str, name: str = "Ada Lovelace", role: Role = Role.LEARNER
           ) -> FormClient:
    add_user(app, email=email, full_name=name, role=role)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": email, "password": PASSWORD})
    return client


def instructor(app, email: str = "teacher@example.org") -> FormClient:
    client = member(app, email, "Tess Teacher", Role.INSTRUCTOR)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email=email))
        course_id = db.session.scalar(select(Lesson.course_id))
        db.session.add(CourseInstructor(user_id=user_id, course_id=course_id))
        db.session.commit()
    return client


def start(client: FormClient, title: str = "Is a cooperative a business?",
          body: str = "I wonder **why**.") -> int:
    response = client.submit(DISCUSSION, {"title": title, "body": body})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/discussion/(\d+)", response.location)[1])


def thread_url(thread_id: int, **args) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"{DISCUSSION}/{thread_id}" + (f"?{query}" if query else "")


def answer(client: FormClient, thread_id: int, body: str):
    return client.submit(thread_url(thread_id), {"body": body})


def post_ids(app, thread_id: int) -> list[int]:
    with app.app_context():
        return db.session.scalars(select(DiscussionPost.id).filter_by(thread_id=thread_id)
                                  .order_by(DiscussionPost.id)).all()


def act(client: FormClient, post_id: int, what: str, thread_id: int, **data):
    return client.submit(f"/discussion/posts/{post_id}/{what}", data,
                         form_url=thread_url(thread_id))


def text_of(response) -> str:
    return response.get_data(as_text=True)


# --- Reading and writing ------------------------------------------------------------------------


def test_anyone_reads_a_discussion_and_a_confirmed_learner_starts_and_answers_threads(
        app, course):
    anonymous = FormClient(app.test_client())
    empty = text_of(anonymous.get(DISCUSSION))
    assert "No one has started a thread" in empty
    assert "Log in to take part in the discussion." in empty
    assert anonymous.post(DISCUSSION, data={"title": "x", "body": "y"}).status_code in (400, 403)

    ada = member(app, "ada@example.org")
    thread_id = start(ada, body="Why do *cooperatives* pay dividends on **patronage**?")
    grace = member(app, "grace@example.org", "Grace Hopper")
    reply = answer(grace, thread_id, "Because members *use* the cooperative.")
    assert reply.status_code == 302 and "#post-" in reply.location

    page = text_of(anonymous.get(thread_url(thread_id)))
    assert "<em>cooperatives</em>" in page and "<strong>patronage</strong>" in page
    assert "Ada Lovelace" in page and "Grace Hopper" in page and "1 reply" in page
    listing = text_of(anonymous.get(DISCUSSION))
    assert "Is a cooperative a business?" in listing and "1 reply" in listing
    lesson = text_of(anonymous.get(LESSON))
    assert "Is a cooperative a business?" in lesson and "See 1 thread, or start one" in lesson


def test_the_anonymous_copy_of_a_lesson_page_shows_a_new_thread_within_a_second(app, course):
    app.config["ANONYMOUS_PAGE_RECHECK_SECONDS"] = 0
    anonymous = app.test_client()
    first = anonymous.get(LESSON)
    assert "No one has started a thread" in text_of(first)
    assert text_of(anonymous.get(LESSON)) == text_of(first)  # from memory now
    start(member(app, "ada@example.org"), title="A fresh question")
    again = anonymous.get(LESSON, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "A fresh question" in text_of(again)


def test_a_learner_who_has_not_confirmed_their_address_or_is_suspended_cannot_post(
        app, course):
    ada = member(app, "ada@example.org")
    with app.app_context():
        db.session.execute(update(User).values(email_confirmed_at=None))
        db.session.commit()
    page = text_of(ada.get(DISCUSSION))
    assert "Confirm your email address to take part in the discussion." in page
    assert ada.submit(DISCUSSION, {"title": "t", "body": "b"}, form_url="/").status_code == 403


def test_markdown_is_rendered_without_html_and_links_are_marked_as_the_learners(app, course):
    ada = member(app, "ada@example.org")
    thread_id = start(ada, body="See [the ILO](https://www.ilo.org) <b>now</b> "
                                "![a picture](https://tracker.example/pixel.png)")
    page = text_of(FormClient(app.test_client()).get(thread_url(thread_id)))
    assert '<a href="https://www.ilo.org" rel="nofollow ugc noopener noreferrer">the ILO</a>' \
        in page
    assert "&lt;b&gt;now&lt;/b&gt;" in page  # written HTML shows as text
    assert "<img" not in page.split('class="post-body"')[1].split("</article>")[0]


def bodies_on(page: str) -> list[str]:
    return re.findall(r'<div class="post-body">(.*?)</div>\s*<div class="post-actions">', page,
                      re.S)


def test_the_hostile_corpus_written_as_posts_is_inert(app, course):
    ada = member(app, "ada@example.org")
    thread_id = start(ada, title="<script>alert(1)</script>")
    reader = FormClient(app.test_client())
    for text in [*HOSTILE, HOSTILE_CORPUS.read_text(encoding="utf-8")[:10_000]]:
        assert answer(ada, thread_id, text).status_code == 302
    page = text_of(reader.get(thread_url(thread_id, sort="newest")))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    shown = bodies_on(page)
    assert len(shown) == min(len(HOSTILE) + 1, PAGE_SIZE) + 1  # and the opening post
    for body in shown:
        assert_inert(body)
        assert not re.search(r"<(img|iframe|form|input|style|svg|math|object|embed)\b", body)
        for link in re.findall(r"<a [^>]*>", body):
            assert 'rel="nofollow ugc noopener noreferrer"' in link


def test_a_post_too_long_or_empty_is_refused_and_what_was_typed_is_kept(app, course):
    ada = member(app, "ada@example.org")
    response = ada.submit(DISCUSSION, {"title": "A title I typed", "body": "x" * 10_001})
    page = text_of(response)
    assert response.status_code == 422 and "Keep your post under 10000 characters." in page
    assert 'value="A title I typed"' in page
    assert ada.submit(DISCUSSION, {"title": "", "body": ""}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(DiscussionPost.id))) == 0


def test_threads_and_replies_are_paged_and_replies_sorted_three_ways(app, course):
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    thread_id = start(ada, title="Many replies")
    for n in range(PAGE_SIZE + 2):
        answer(grace if n % 2 else ada, thread_id, f"Reply number {n:02d}.")
    first, second = post_ids(app, thread_id)[1:3]
    act(ada, second, "helpful", thread_id)
    page_two = text_of(ada.get(thread_url(thread_id, page=2)))
    assert "Reply number 20." in page_two and "Reply number 00." not in page_two
    newest = text_of(ada.get(thread_url(thread_id, sort="newest")))
    assert newest.index("Reply number 21.") < newest.index("Reply number 20.")
    helpful = text_of(ada.get(thread_url(thread_id, sort="helpful")))
    # The one marked helpful first, then the others newest first.
    assert helpful.index("Reply number 01.") < helpful.index("Reply number 21.") < (
        helpful.index("Reply number 20."))
    assert "1 learner found this helpful" in helpful
    assert ada.get(thread_url(thread_id, page=999)).status_code == 200  # the last page


def test_a_learner_marks_a_post_helpful_once_and_never_their_own(app, course):
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    thread_id = start(ada)
    answer(grace, thread_id, "An answer.")
    opening, reply = post_ids(app, thread_id)
    act(ada, reply, "helpful", thread_id)
    act(ada, reply, "helpful", thread_id)
    act(grace, reply, "helpful", thread_id)  # her own
    with app.app_context():
        assert db.session.get(DiscussionPost, reply).helpful_count == 1
    assert "You cannot mark your own post as helpful." in text_of(grace.get(thread_url(thread_id)))


def test_an_author_edits_within_the_window_and_deletes_their_own_posts_only(app, course):
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    thread_id = start(ada)
    answer(grace, thread_id, "A first version.")
    opening, reply = post_ids(app, thread_id)
    edit_url = f"/discussion/posts/{reply}/edit"
    assert grace.submit(edit_url, {"body": "A second version."}).status_code == 302
    page = text_of(grace.get(thread_url(thread_id)))
    assert "A second version." in page and "edited" in page
    assert ada.get(edit_url).status_code == 403
    assert act(ada, reply, "delete", thread_id).status_code == 403

    with app.app_context():
        for post in db.session.scalars(select(DiscussionPost)):
            post.created_at -= timedelta(minutes=31)
        db.session.commit()
    late = grace.submit(edit_url, {"body": "Too late."}, form_url=thread_url(thread_id))
    assert late.status_code == 302
    assert "can be edited for 30 minutes" in text_of(grace.get(thread_url(thread_id)))

    act(grace, reply, "delete", thread_id)
    page = text_of(ada.get(thread_url(thread_id)))
    assert "A second version." not in page and "This post was deleted by its author." in page
    assert "0 replies" in page
    act(ada, opening, "delete", thread_id)
    assert ada.get(thread_url(thread_id)).status_code == 404
    assert "No one has started a thread" in text_of(ada.get(DISCUSSION))
    with app.app_context():
        assert db.session.scalar(select(Lesson.thread_count)) == 0


# --- Moderation ---------------------------------------------------------------------------------


def test_posts_reported_by_three_learners_are_hidden_until_an_instructor_restores_them(
        app, course):
    author = member(app, "author@example.org", "Some Author")
    thread_id = start(member(app, "ada@example.org"))
    answer(author, thread_id, "Something rude.")
    reply = post_ids(app, thread_id)[1]
    reporters = [member(app, f"r{n}@example.org", f"Reporter {n}") for n in range(3)]
    for n, reporter in enumerate(reporters):
        act(reporter, reply, "report", thread_id, reason=f"rude {n}")
    act(reporters[0], reply, "report", thread_id)  # once each
    reader = FormClient(app.test_client())
    assert "Something rude." not in text_of(reader.get(thread_url(thread_id)))
    assert "hidden pending review" in text_of(author.get(thread_url(thread_id)))

    teacher = instructor(app)
    review = text_of(teacher.get("/courses/demo/discussion/review"))
    assert "Something rude." in review and "rude 2" in review and "3 reports" in review
    assert '<th scope="row"><a href="/courses/demo/lessons/check/discussion">' in review
    assert re.search(r'<td class="num" data-label="Threads">1</td>\s*'
                     r'<td class="num" data-label="Not marked answered">1</td>', review)
    act(teacher, reply, "moderate", thread_id, action="restore")
    assert "Something rude." in text_of(reader.get(thread_url(thread_id)))
    act(teacher, reply, "moderate", thread_id, action="remove")
    page = text_of(reader.get(thread_url(thread_id)))
    assert "Something rude." not in page and "removed by a moderator" in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["discussion.restore", "discussion.remove"]


def test_instructors_posts_are_distinguished_and_they_mark_the_answer(app, course):
    ada, teacher = member(app, "ada@example.org"), instructor(app)
    thread_id = start(ada)
    answer(teacher, thread_id, "Here is the answer.")
    reply = post_ids(app, thread_id)[1]
    assert act(ada, reply, "answer", thread_id).status_code == 403
    act(teacher, reply, "answer", thread_id)
    page = text_of(ada.get(thread_url(thread_id)))
    assert "post-instructor" in page and ">Instructor<" in page and "The answer" in page
    moderating = text_of(teacher.get(thread_url(thread_id)))
    assert ">Moderate<" in moderating and ">Report<" not in moderating  # they act, not report
    assert "Answered" in text_of(ada.get(DISCUSSION))


def test_a_suspended_learner_reads_but_cannot_post_until_the_suspension_is_lifted(app, course):
    ada, teacher = member(app, "ada@example.org"), instructor(app)
    thread_id = start(ada)
    with app.app_context():
        ada_id = db.session.scalar(select(User.id).filter_by(email="ada@example.org"))
    teacher.submit("/courses/demo/discussion/suspensions", {"user_id": ada_id},
                   form_url="/courses/demo/discussion/review")
    page = text_of(ada.get(thread_url(thread_id)))
    assert "no longer post in them" in page
    assert ada.submit(thread_url(thread_id), {"body": "x"},
                      form_url=DISCUSSION).status_code == 403
    teacher.submit("/courses/demo/discussion/suspensions", {"user_id": ada_id, "action": "lift"},
                   form_url="/courses/demo/discussion/review")
    assert answer(ada, thread_id, "Back again.").status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["discussion.suspend", "discussion.unsuspend"]


def test_a_new_accounts_first_post_waits_for_an_instructor_when_the_setting_says_so(
        app, course):
    app.config["DISCUSSION_HOLD_FIRST_POSTS"] = 1
    ada, teacher = member(app, "ada@example.org"), instructor(app)
    thread_id = start(ada, title="Held at first")
    reader = FormClient(app.test_client())
    assert reader.get(thread_url(thread_id)).status_code == 404
    assert "Held at first" not in text_of(reader.get(DISCUSSION))
    assert "waiting for review" in text_of(ada.get(DISCUSSION))
    assert "Held at first" in text_of(teacher.get("/courses/demo/discussion/review"))
    act(teacher, post_ids(app, thread_id)[0], "moderate", thread_id, action="approve")
    assert "Held at first" in text_of(reader.get(DISCUSSION))
    answer(ada, thread_id, "Now straight through.")
    assert "Now straight through." in text_of(reader.get(thread_url(thread_id)))


def test_posting_is_rate_limited_per_learner(app, course):
    app.config["DISCUSSION_RATE_LIMIT"] = "2 per minute"
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    thread_id = start(ada)  # threads, replies and marks share one budget
    assert answer(ada, thread_id, "Two.").status_code == 302
    assert answer(ada, thread_id, "Three.").status_code == 429
    assert answer(grace, thread_id, "Another learner.").status_code == 302


def test_posting_is_rate_limited_per_address_whoever_is_signed_in(app, course):
    app.config["DISCUSSION_IP_RATE_LIMIT"] = "2 per minute"
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    thread_id = start(ada)
    assert answer(grace, thread_id, "Two from here.").status_code == 302
    assert answer(grace, thread_id, "Three from here.").status_code == 429


def test_a_learners_posts_are_in_their_data_and_stay_without_their_name_when_they_leave(
        app, course):
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    thread_id = start(ada, title="My question", body="What I *asked*.")
    answer(grace, thread_id, "What Grace answered.")
    data = ada.get("/account/data").get_json()
    assert [(p["thread"], p["text"]) for p in data["discussion_posts"]] == [
        ("My question", "What I *asked*.")]
    ada.submit("/account/delete", {"password": PASSWORD, "understood": "y"})
    page = text_of(grace.get(thread_url(thread_id)))
    assert "What I <em>asked</em>." in page and "What Grace answered." in page
    assert "Ada Lovelace" not in page and "A former learner" in page


# --- Settings, digest, budget -------------------------------------------------------------------


def test_authors_turn_the_discussion_off_for_a_course_or_a_lesson(app, tmp_path):
    from .content.content_helpers import course_yml, lesson

    folder = tmp_path / "demo"
    (folder / "lessons").mkdir(parents=True)
    (folder / "course.yml").write_text(course_yml(["talk", "quiet"]), encoding="utf-8")
    (folder / "lessons" / "talk.md").write_text(lesson("talk", "Talk."), encoding="utf-8")
    text = lesson("quiet", "Quiet.").replace("minutes:", "discussion: no\nminutes:")
    (folder / "lessons" / "quiet.md").write_text(text, encoding="utf-8")
    from learning import importer
    from learning.content import load_course

    loaded = load_course(folder)
    assert loaded.problems == []
    with app.app_context():
        importer.import_course(db.session, loaded.course)
        db.session.commit()
    client = app.test_client()
    assert 'id="discussion-title"' in text_of(client.get("/courses/demo/lessons/talk"))
    assert 'id="discussion-title"' not in text_of(client.get("/courses/demo/lessons/quiet"))
    assert client.get("/courses/demo/lessons/quiet/discussion").status_code == 404
    with app.app_context():
        db.session.execute(update(Course).values(discussion=False))
        db.session.commit()
    assert client.get("/courses/demo/lessons/talk/discussion").status_code == 404


def test_the_digest_sends_replies_once_in_plain_text_with_a_one_click_unsubscribe(
        app, course, mail):
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    ada.submit("/account", {"full_name": "Ada Lovelace", "language": "en",
                            "discussion_digest": "y"})
    thread_id = start(ada, title="Digest me")
    answer(grace, thread_id, "A reply **for Ada**.")
    answer(ada, thread_id, "Her own reply is not news to her.")
    runner = app.test_cli_runner()
    assert "Sent 1 digest(s)." in runner.invoke(args=["discussion", "digest"]).output
    assert "Sent 0 digest(s)." in runner.invoke(args=["discussion", "digest"]).output
    (message,) = mail
    body = message.get_content()
    assert message["To"] == "ada@example.org" and message.get_content_type() == "text/plain"
    assert "“Digest me”" in body and "Grace: A reply for Ada." in body
    assert "Her own reply" not in body and "http://localhost/courses/demo" in body.replace(
        "localhost:5000", "localhost")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"<https?://[^/]+(/\S+)>", message["List-Unsubscribe"])[1]
    assert "Unsubscribe" in text_of(app.test_client().get(unsubscribe))  # opening: no change
    with app.app_context():
        assert db.session.scalar(select(User.discussion_digest).filter_by(
            email="ada@example.org"))
    assert app.test_client().post(unsubscribe).status_code == 200  # a mail client's one click
    with app.app_context():
        assert not db.session.scalar(select(User.discussion_digest).filter_by(
            email="ada@example.org"))
    assert app.test_client().get("/discussion/unsubscribe/forged").status_code == 404


def test_discussion_pages_run_a_fixed_number_of_queries_whatever_the_number_of_posts(
        app, course):
    ada, grace = member(app, "ada@example.org"), member(app, "grace@example.org", "Grace")
    thread_id = start(ada)
    answer(grace, thread_id, "One.")
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            with app.app_context():
                lesson_id = db.session.scalar(select(Lesson.id))
                course_id = db.session.scalar(select(Lesson.course_id))
                for n in range(40):
                    thread = DiscussionThread(lesson_id=lesson_id, title=f"T{n}", language="en",
                                              reply_count=3)
                    db.session.add(thread)
                    db.session.flush()
                    for m in range(4):
                        db.session.add(DiscussionPost(
                            thread_id=thread.id if m else thread.id, course_id=course_id,
                            opening=m == 0, body="b", body_html="<p>b</p>"))
                    db.session.add(DiscussionPost(thread_id=thread_id, course_id=course_id,
                                                  body="r", body_html="<p>r</p>"))
                db.session.execute(update(Lesson).values(thread_count=41))
                db.session.execute(update(DiscussionThread).where(
                    DiscussionThread.id == thread_id).values(reply_count=41))
                db.session.commit()
        reader = app.test_client()
        reader.set_cookie("seen", "1")  # past the anonymous page cache: the page is rendered
        for url in (LESSON, DISCUSSION, thread_url(thread_id)):
            for who, client in (("reader", reader), ("learner", grace)):
                with count_queries(app) as statements:
                    assert client.get(url).status_code == 200
                counts[size, url, who] = len(statements)
    for url in (LESSON, DISCUSSION, thread_url(thread_id)):
        for who in ("reader", "learner"):
            assert counts["small", url, who] == counts["large", url, who], (url, who)


def a_discussed_lesson(app, slug: str, lesson_key: str) -> int:
    """A thread under the lesson: a learner's question, a moderator's marked answer, a
    learner's reply someone reported. Its id. (The learner and the admin must exist.)"""
    from learning.discussion import posts
    from learning.models import PostMark

    with app.app_context():
        course = db.session.scalar(select(Course).filter_by(slug=slug))
        lesson = db.session.scalar(select(Lesson).filter_by(course_id=course.id, key=lesson_key))
        learner = db.session.scalar(select(User).filter_by(role=Role.LEARNER).limit(1))
        admin = db.session.scalar(select(User).filter_by(role=Role.ADMIN).limit(1))
        thread = posts.start_thread(course, lesson, learner, "How do cooperatives share a "
                                    "surplus?", "Is it **by the hours** members worked?", "en")
        answer_post = posts.reply(course, thread, admin, "Often in proportion to what each "
                                  "member did with the cooperative.")
        posts.mark_answer(thread, answer_post, admin, course)
        reported = posts.reply(course, thread, learner, "Thank you, see "
                               "[the ILO](https://www.ilo.org).")
        db.session.add(PostMark(post_id=reported.id, user_id=admin.id, kind="report",
                                reason="A test report"))
        reported.report_count = 1
        db.session.commit()
        return thread.id

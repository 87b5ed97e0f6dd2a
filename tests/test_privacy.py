"""Learners control their data: they download all of it, and they can delete their account.
Their certificates never break: they show as withdrawn, without the name."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from learning.extensions import db
from learning.models import (
    AttemptResponse,
    AuditEvent,
    Certificate,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    Role,
    User,
)

from .support import PASSWORD, FormClient, add_user, find_user
from .test_certificates import (  # noqa: F401  (fixtures)
    certificate,
    learner,
    revoked_in_status_list,
)


def test_a_learner_downloads_everything_held_about_them(client, certificate):  # noqa: F811
    response = client.get("/account/data")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "learner@example.org"
    assert data["account"]["full_name"] == "Ñúñez Çelik-Øberg"
    assert "password_hash" not in json.dumps(data) and "login_token" not in json.dumps(data)
    assert data["enrolments"][0]["course"] == "sse-in-a-nutshell"
    assert data["enrolments"][0]["completed_at"]
    assert len(data["completed_lessons"]) == 7
    assert data["quiz_attempts"][0]["passed"] is True and data["quiz_attempts"][0]["answers"]
    assert len(data["signed_in_sessions"]) == 1
    assert data["certificates"][0]["id"] == certificate
    assert data["certificates"][0]["verification_url"].endswith(f"/certificates/{certificate}")
    assert data["certificates"][0]["open_badge_shows_name"] is False
    assert data["certificates"][0]["open_badge_email_hash"].startswith("sha256$")


def test_deleting_an_account_needs_the_password_and_a_confirmation(app, client, learner):  # noqa: F811
    wrong = client.submit("/account/delete", {"password": "not it", "understood": "y"})
    assert wrong.status_code == 422
    unticked = client.submit("/account/delete", {"password": PASSWORD})
    assert unticked.status_code == 422 and "Tick this box" in unticked.get_data(as_text=True)
    assert find_user(app, "learner@example.org") is not None


def test_a_deleted_account_leaves_no_history_and_its_certificates_show_as_withdrawn(
        app, client, certificate):  # noqa: F811
    with app.app_context():
        index = db.session.scalar(select(Certificate.id))
    response = client.submit("/account/delete", {"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302  # logged out
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
        for model in (Enrolment, LessonProgress, QuizAttempt, AttemptResponse):
            assert db.session.scalar(select(func.count(model.id))) == 0, model
        kept = db.session.scalar(select(Certificate))
        assert kept.user_id is None and kept.holder_name == ""
        assert kept.identity_hash is None and kept.identity_salt is None  # nor their address
    page = app.test_client().get(f"/certificates/{certificate}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Withdrawn" in text and "Ñúñez" not in text
    record = app.test_client().get(f"/certificates/{certificate}.json").get_json()
    assert record["status"] == "withdrawn" and record["holder"] is None
    assert revoked_in_status_list(app.test_client(), index)
    login = client.submit("/login", {"email": "learner@example.org", "password": PASSWORD})
    assert "Incorrect email address or password." in login.get_data(as_text=True)


def test_a_deleted_account_is_only_a_pseudonym_in_the_audit_log(app, client, certificate):  # noqa: F811
    admin = FormClient(app.test_client())
    admin_id = add_user(app, email="admin@example.org", role=Role.ADMIN, full_name="Ada Admin").id
    admin.submit("/login", {"email": "admin@example.org", "password": PASSWORD})
    learner_id = find_user(app, "learner@example.org").id
    admin.submit(f"/admin/users/{learner_id}/role", {"role": "instructor"},
                 form_url=f"/admin/users/{learner_id}")
    admin.submit(f"/admin/certificates/{certificate}", {"reason": "Shared answers"})

    client.submit("/account/delete", {"password": PASSWORD, "understood": "y"})
    admin.submit("/account/delete", {"password": PASSWORD, "understood": "y"})

    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    logged = json.dumps([[e.actor_email, e.action, e.target, e.details] for e in events],
                        ensure_ascii=False)
    for identity in ("learner@example.org", "Ñúñez", "admin@example.org", "Ada Admin"):
        assert identity not in logged
    assert [e.action for e in events] == [
        "user.role", "certificate.revoke", "account.delete", "account.delete"]
    assert events[0].actor_email == events[1].actor_email == f"deleted account #{admin_id}"
    assert events[0].details["email"] == f"deleted account #{learner_id}"
    assert events[1].details["reason"] == "Shared answers"

"""Admins run the platform: users and roles, deactivation, and an audit log of all of it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from learning.extensions import db
from learning.models import AuditEvent, Certificate, Course, Role, User

from .support import PASSWORD, SLUG, FormClient, add_user, find_user

ADMIN = "admin@example.org"


def logged_in(app, email: str, role: Role = Role.LEARNER, name: str = "Some One") -> FormClient:
    add_user(app, email=email, role=role, full_name=name)
    client = FormClient(app.test_client())
    client.submit("/login", {"email": email, "password": PASSWORD})
    return client


@pytest.fixture
def admin(app):
    return logged_in(app, ADMIN, Role.ADMIN, "Ada Admin")


def events(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(e.actor_email, e.action, e.target) for e in
                db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_admins_find_users_by_name_email_and_role(app, admin):
    add_user(app, email="nunez@example.org", full_name="Ñúñez Çelik-Øberg")
    add_user(app, email="teacher@example.org", role=Role.INSTRUCTOR, full_name="Tess Teacher")
    page = admin.get("/admin/users?q=Çelik").get_data(as_text=True)
    assert "nunez@example.org" in page and "teacher@example.org" not in page
    page = admin.get("/admin/users?role=instructor").get_data(as_text=True)
    assert "teacher@example.org" in page and "nunez@example.org" not in page
    page = admin.get("/admin/users?q=TEACHER@").get_data(as_text=True)
    assert "Tess Teacher" in page


def test_an_admin_changes_a_role_and_the_audit_log_says_who_did_it(app, admin):
    person = add_user(app, email="tess@example.org", full_name="Tess Teacher")
    admin.submit(f"/admin/users/{person.id}/role", {"role": "instructor"},
                 form_url=f"/admin/users/{person.id}")
    assert find_user(app, "tess@example.org").role == Role.INSTRUCTOR
    assert events(app) == [(ADMIN, "user.role", f"user:{person.id}")]
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "user.role" in log and "before: learner" in log and "after: instructor" in log


def test_a_deactivated_account_is_signed_out_and_cannot_log_in(app, admin):
    learner = logged_in(app, "learner@example.org")
    assert learner.get("/dashboard").status_code == 200
    person = find_user(app, "learner@example.org")
    admin.submit(f"/admin/users/{person.id}/activation", {}, form_url=f"/admin/users/{person.id}")
    assert learner.get("/dashboard").status_code == 302  # its session ended
    again = FormClient(app.test_client())
    page = again.submit("/login", {"email": "learner@example.org", "password": PASSWORD})
    assert "/dashboard" not in (page.location or "")
    admin.submit(f"/admin/users/{person.id}/activation", {}, form_url=f"/admin/users/{person.id}")
    assert find_user(app, "learner@example.org").active
    assert [e[1] for e in events(app)] == ["user.deactivate", "user.reactivate"]


def test_an_admin_cannot_demote_or_deactivate_themselves(app, admin):
    me = find_user(app, ADMIN)
    page = admin.submit(f"/admin/users/{me.id}/role", {"role": "learner"},
                        form_url="/admin/users", follow_redirects=True).get_data(as_text=True)
    assert "ask another admin" in page
    admin.submit(f"/admin/users/{me.id}/activation", {}, form_url="/admin/users")
    me = find_user(app, ADMIN)
    assert me.role == Role.ADMIN and me.active and events(app) == []


def test_the_command_line_records_its_admin_actions_too(app):
    add_user(app, email="tess@example.org")
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "set-role", "tess@example.org", "instructor"])
    runner.invoke(args=["users", "deactivate", "tess@example.org"])
    assert [(who, what) for who, what, _ in events(app)] == [
        ("command line", "user.role"), ("command line", "user.deactivate")]


ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/audit", "/admin/certificates"]


@pytest.mark.parametrize("url", ADMIN_PAGES + ["/admin/users/{id}"])
@pytest.mark.parametrize("who", ["anonymous", "learner", "instructor"])
def test_admin_pages_are_for_admins_only(app, url, who):
    person = add_user(app, email="someone@example.org")
    url = url.format(id=person.id)
    if who == "anonymous":
        client = app.test_client()
        assert client.get(url).status_code == 302
        assert "/login" in client.get(url).location
    else:
        client = logged_in(app, f"{who}@example.org", Role(who))
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("action, data", [("role", {"role": "admin"}), ("activation", {})])
@pytest.mark.parametrize("who", ["learner", "instructor"])
def test_admin_actions_are_refused_to_others_even_with_a_valid_form(app, action, data, who):
    person = add_user(app, email="someone@example.org")
    client = logged_in(app, f"{who}@example.org", Role(who))
    response = client.submit(f"/admin/users/{person.id}/{action}", data, form_url="/account")
    assert response.status_code == 403
    with app.app_context():
        stored = db.session.scalar(select(User).filter_by(email="someone@example.org"))
        assert stored.role == Role.LEARNER and stored.active


def test_an_admin_assigns_an_instructor_to_a_course_and_takes_it_back(app, admin, course):
    teacher = logged_in(app, "tess@example.org", Role.INSTRUCTOR, "Tess Teacher")
    person = find_user(app, "tess@example.org")
    dashboard = f"/instructor/courses/{SLUG}"
    assert teacher.get(dashboard).status_code == 404

    admin.submit(f"/admin/users/{person.id}/courses", {"course": SLUG},
                 form_url=f"/admin/users/{person.id}")
    assert teacher.get(dashboard).status_code == 200
    page = admin.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Courses taught" in page and "SSE in a nutshell" in page

    admin.submit(f"/admin/users/{person.id}/courses/{SLUG}/remove", {},
                 form_url=f"/admin/users/{person.id}")
    assert teacher.get(dashboard).status_code == 404
    assert [(who, what) for who, what, _ in events(app)] == [
        (ADMIN, "course.assign"), (ADMIN, "course.unassign")]


def test_only_instructors_can_be_assigned_a_course(app, admin, course):
    person = add_user(app, email="lea@example.org", full_name="Lea Learner")
    page = admin.submit(f"/admin/users/{person.id}/courses", {"course": SLUG},
                        form_url=f"/admin/users/{find_user(app, ADMIN).id}",
                        follow_redirects=True).get_data(as_text=True)
    assert "Make this person an instructor first." in page
    assert events(app) == []


def _admin_urls(app) -> list[tuple[str, str]]:
    """Every admin URL the app has, with each method it answers: new ones are covered at once."""
    return sorted((rule.rule, method) for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("admin.")
                  for method in rule.methods - {"HEAD", "OPTIONS"})


@pytest.mark.parametrize("who", ["anonymous", "learner", "instructor"])
def test_every_admin_url_and_method_is_refused_to_non_admins(app, course, who):
    person = add_user(app, email="someone@example.org")
    with app.app_context():
        certificate = Certificate(user_id=person.id, holder_name="Some One", title="T",
                                  language="en", course_id=db.session.scalar(select(Course.id)))
        db.session.add(certificate)
        db.session.commit()
        public_id = certificate.public_id
    if who == "anonymous":
        client = FormClient(app.test_client())
    else:
        client = logged_in(app, f"{who}@example.org", Role(who))
    values = {"<int:user_id>": str(person.id), "<public_id>": public_id, "<slug>": SLUG}
    for rule, method in _admin_urls(app):
        url = rule
        for placeholder, value in values.items():
            url = url.replace(placeholder, value)
        assert "<" not in url, f"no sample value for {rule}"
        if method == "GET":
            response = client.get(url)
        else:  # a valid form: only the role may refuse it
            response = client.submit(url, {"reason": "x", "role": "admin", "course": SLUG},
                                     form_url="/login" if who == "anonymous" else "/account")
        expected = (302,) if who == "anonymous" else (403,)
        assert response.status_code in expected, (rule, method, response.status_code)
    assert events(app) == []
    with app.app_context():
        assert db.session.scalar(select(Certificate.revoked_at)) is None
        assert db.session.get(User, person.id).role == Role.LEARNER


@pytest.mark.parametrize("email, error", [
    ("admin@test.local", "Enter a valid email address."),
    ("not-an-address", "Enter a valid email address."),
])
def test_the_command_line_refuses_addresses_the_log_in_form_refuses(app, email, error):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", email, "--name", "Ada", "--password", "a long enough password"])
    assert result.exit_code == 1 and error in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_an_account_made_on_the_command_line_can_log_in(app, client, auth):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "ada@example.org", "--name", "Ada", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert auth.login(email="ada@example.org").status_code == 302

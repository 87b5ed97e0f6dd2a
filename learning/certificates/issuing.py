"""Issue certificates the moment a learner meets a course's or a programme's rule.

Issuing is an idempotent insert: the database's unique constraints decide, so a double click,
two app servers or a re-run of ``flask certificates issue-due`` still leave one certificate.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from ..extensions import db, insert_if_absent
from ..models import Certificate, Course, Enrolment, Programme, User, new_public_id, utcnow
from .credential import identity_hash, new_salt


def issued_now() -> list[int]:
    """The certificates issued while this request (or command) runs, so the page that follows
    can celebrate them."""
    return g.setdefault("certificates_issued", [])


def _insert_once(user: User, **values) -> Certificate | None:
    """Insert the learner's certificate unless they have it; the new row, or None. It names
    them as they are named today, and by the hash of their address."""
    salt = new_salt()
    new_id = insert_if_absent(
        Certificate, public_id=new_public_id(), user_id=user.id, holder_name=user.full_name,
        identity_salt=salt, identity_hash=identity_hash(user.email, salt), **values)
    if new_id is None:
        return None
    issued_now().append(new_id)
    return db.session.get(Certificate, new_id)


def _language_for(user: User, languages: list[str], default: str) -> str:
    return user.language if user.language in languages else default


def issue_for_course(user: User, course: Course, completed_at=None) -> list[Certificate]:
    """The course certificate (when the course gives one) and any programme it completes."""
    issued = []
    if course.certificate:
        language = _language_for(user, course.languages, course.language)
        certificate = _insert_once(
            user, course_id=course.id, title=course.texts(language).title, language=language,
            issued_at=completed_at or utcnow(),
        )
        if certificate is not None:
            issued.append(certificate)
    issued.extend(_issue_programmes(user, course.slug))
    return issued


def _issue_programmes(user: User, completed_slug: str) -> list[Certificate]:
    programmes = [
        p for p in db.session.scalars(select(Programme))
        if completed_slug in p.required or completed_slug in p.electives
    ]
    if not programmes:
        return []
    done = set(db.session.scalars(
        select(Course.slug)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user.id, Enrolment.completed_at.is_not(None))
    ))
    issued = []
    for programme in programmes:
        if set(programme.required) <= done and (
            len(done & set(programme.electives)) >= programme.electives_required
        ):
            language = _language_for(user, ["en", *programme.translations], "en")
            certificate = _insert_once(
                user, programme_id=programme.id, title=programme.texts(language)[0],
                language=language, issued_at=utcnow(),
            )
            if certificate is not None:
                issued.append(certificate)
    return issued


def issue_due() -> int:
    """Issue every certificate already earned but missing (e.g. earned before a rule change)."""
    rows = db.session.execute(
        select(User, Course, Enrolment.completed_at)
        .join(Enrolment, Enrolment.user_id == User.id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.completed_at.is_not(None))
    ).all()
    count = sum(len(issue_for_course(user, course, done)) for user, course, done in rows)
    db.session.commit()
    return count

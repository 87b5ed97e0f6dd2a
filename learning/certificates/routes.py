"""Public verification, the holder's downloads, and the URLs a credential verifier follows."""

from __future__ import annotations

import json
import math

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..errors import render_error
from ..extensions import db, limiter
from ..identity import identity
from ..models import Certificate, Course, CourseMedia, Enrolment, Programme, utcnow
from ..progress import completion_rule
from ..urls import public_url
from . import credential, issuing, revoking, verifier
from .badge import BadgeDesign, badge_image, baked_badge
from .forms import HolderNameForm, VerifyForm
from .keys import ED25519, thumbprint
from .pdf import CertificateText, render_pdf

bp = Blueprint("certificates", __name__)
STATUS_LIST_MAX_AGE = 60  # seconds; README says it
# The forms a credential's id (and the status list) is served in, by the media types a
# verifier may ask for: the page, the VC-JWT, or the JSON-LD credential with its proof.
FORMS = {
    "text/html": "page",
    **dict.fromkeys(("application/vc+jwt", "text/plain"), "jwt"),
    **dict.fromkeys(("application/vc+ld+json", "application/vc", "application/ld+json",
                     "application/json"), "json-ld"),
}
# The same forms asked for in the link itself (?format=), for a person following a link.
URL_FORMS = {"json": "json-ld", "jwt": "jwt"}


def _wanted_form(default: str) -> str:
    """The form the request's Accept header prefers; ``default`` for ``*/*`` or none."""
    offered = sorted(FORMS, key=lambda media_type: FORMS[media_type] != default)
    best = request.accept_mimetypes.best_match(offered)
    return FORMS[best] if best else default


def _certificate_or_404(public_id: str) -> Certificate:
    return db.first_or_404(select(Certificate).filter_by(public_id=public_id))


def _own_certificate_or_404(public_id: str) -> Certificate:
    """The holder's downloads are theirs (and an admin's): anyone else sees nothing there.
    A certificate that no longer stands is never printed or signed again (410)."""
    certificate = _certificate_or_404(public_id)
    if certificate.user_id != current_user.id and not current_user.is_admin:
        abort(404)
    if certificate.status != "valid":
        abort(make_response(render_error(
            410, _("This certificate was revoked"),
            _("It can no longer be downloaded or shared. Its public page says it was revoked, "
              "and when.")
            if certificate.revoked else _("The holder withdrew this certificate."))))
    return certificate


def _achievement_of(certificate: Certificate) -> dict:
    if certificate.course is not None:
        return _course_achievement(certificate.course, certificate.title, certificate.language)
    return _programme_achievement(certificate.programme, certificate.language)


def _course_achievement(course: Course, title: str, language: str) -> dict:
    summary = course.texts(language).summary
    return credential.achievement("course", course.slug, title, summary,
                                  completion_rule(course), language)


def _programme_achievement(programme: Programme, language: str) -> dict:
    rule = _("Complete %(required)s and %(count)s of: %(electives)s.",
             required=", ".join(programme.required), count=programme.electives_required,
             electives=", ".join(programme.electives))
    title, summary = programme.texts(language)
    return credential.achievement("programme", programme.slug, title, summary, rule, language)


def _credential(certificate: Certificate) -> dict:
    with force_locale(certificate.language):
        return credential.open_badge_credential(certificate, _achievement_of(certificate))


def _signed_credential(certificate: Certificate) -> str:
    """The VC-JWT form."""
    return credential.sign(_credential(certificate))


def _credential_with_proof(certificate: Certificate) -> str:
    """The embedded-proof form, as JSON."""
    return json.dumps(credential.with_proof(_credential(certificate)), ensure_ascii=False,
                      indent=2)


def _download(body: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _public_json(payload: dict, max_age: int = 300) -> Response:
    """JSON anyone may fetch, from any site: verifiers run in other origins."""
    response = jsonify(payload)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


# --- The moment a certificate is earned -----------------------------------------------------


def announce_issued() -> None:
    """Keep the certificates this request issued for the next page the learner sees."""
    if issuing.issued_now():
        session["earned"] = [*session.get("earned", []), *issuing.issued_now()]


@bp.app_template_global()
def earned_certificates() -> list[Certificate]:
    """The learner's certificates issued since the last page, once (no query otherwise)."""
    earned = session.pop("earned", None) if "earned" in session else None
    if not earned or not current_user.is_authenticated:
        return []
    return db.session.scalars(select(Certificate).where(
        Certificate.id.in_(earned), Certificate.user_id == current_user.id)
        .order_by(Certificate.id)).all()


# --- What anyone sees -------------------------------------------------------------------------


@bp.route("/certificates/<public_id>")
def verify(public_id: str):
    """The public check, in the holder's language unless the reader picks another (?lang=);
    the title stays the one the certificate attests, with its translation beside it."""
    certificate = _certificate_or_404(public_id)
    wanted = URL_FORMS.get(request.args.get("format", ""), _wanted_form("page"))
    if wanted != "page":
        return _credential_at_its_id(certificate, wanted)
    picked = request.args.get("lang")
    language = picked if picked in current_app.config["LANGUAGES"] else certificate.language
    translated_title = None
    if certificate.course is not None:
        translated_title = certificate.course.texts(language).title
    elif certificate.programme is not None:
        translated_title = certificate.programme.texts(language)[0]
    with force_locale(language):
        response = make_response(render_template(
            "certificates/verify.html", certificate=certificate,
            translated_title=None if translated_title == certificate.title else translated_title,
            json_url=public_url("certificates.verify_json", public_id=public_id),
        ))
    response.vary.add("Accept")
    return response


def _credential_at_its_id(certificate: Certificate, wanted: str) -> Response:
    """The credential's ``id`` URL answers a verifier with the form it asks for (a revoked or
    withdrawn one with 410: its page, not a credential, says what became of it)."""
    if certificate.status != "valid":
        abort(410)
    if wanted == "jwt":
        response = Response(_signed_credential(certificate), mimetype=credential.JWT_MEDIA_TYPE)
    else:
        response = Response(_credential_with_proof(certificate),
                            mimetype=credential.JSON_LD_MEDIA_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept")
    return response


@bp.route("/certificates/<public_id>.json")
def verify_json(public_id: str):
    certificate = _certificate_or_404(public_id)
    return _public_json({
        "id": certificate.public_id,
        "verification_url": public_url("certificates.verify", public_id=public_id),
        "status": certificate.status,
        "holder": certificate.holder_name if certificate.user_id is not None else None,
        "achievement": {
            "type": "course" if certificate.course_id else "programme",
            "title": certificate.title,
        },
        "issued_on": certificate.issued_at.date().isoformat(),
        "revoked_on": certificate.revoked_at.date().isoformat()
        if certificate.revoked_at else None,
        "issuer": credential.issuer_profile(),
        "credential_status": public_url("certificates.status_list"),
    })


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"], methods=["POST"])
def check():
    """Anyone checks a credential they were given: pasted, or uploaded as a file or image."""
    form, result = VerifyForm(), None
    if form.validate_on_submit():
        result = verifier.check(form.submitted(), form.email.data)
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("certificates/check.html", form=form, result=result), status


@bp.route("/wallets")
def wallets():
    return render_template("certificates/wallets.html")


# --- The holder's downloads and choices -------------------------------------------------------


@bp.post("/certificates/<public_id>/name")
@login_required
def choose_name(public_id: str):
    """The holder decides whether their Open Badge shows their name (it never shows their
    email address, only a salted hash of it)."""
    certificate = _own_certificate_or_404(public_id)
    if certificate.user_id != current_user.id:
        abort(404)  # an admin may download it, but only the holder chooses
    form = HolderNameForm()
    if not form.validate_on_submit():
        abort(400)
    certificate.shows_name = form.shows_name.data
    db.session.commit()
    flash(_("Your Open Badge for “%(title)s” now shows your name.", title=certificate.title)
          if certificate.shows_name else
          _("Your Open Badge for “%(title)s” no longer shows your name.", title=certificate.title),
          "success")
    return redirect(url_for("dashboard.index", _anchor=f"certificate-{public_id}"))


def _completed_courses(certificate: Certificate) -> list[Course]:
    """The programme's courses its holder had completed when it was issued, in the
    programme's order: what the certificate attests, however the holder goes on."""
    programme = certificate.programme
    slugs = list(dict.fromkeys([*programme.required, *programme.electives]))
    completed = {course.slug: course for course in db.session.scalars(
        select(Course).join(Enrolment, Enrolment.course_id == Course.id).where(
            Enrolment.user_id == certificate.user_id, Course.slug.in_(slugs),
            Enrolment.completed_at.is_not(None),
            Enrolment.completed_at <= certificate.issued_at))}
    return [completed[slug] for slug in slugs if slug in completed]


def _plural_count(number: float) -> int:
    """An integer that takes the plural form ``number`` takes in the current language: the
    catalogues' plural formulas count in integers, and a course may last 1.5 hours."""
    if float(number).is_integer():
        return int(number)
    plural_form = get_locale().plural_form
    form = plural_form(number)
    return next((n for n in range(1000) if plural_form(n) == form), math.ceil(number))


def _hours(hours: float) -> str:
    """The hours, as in "6 hours" or "1,5 horas": the number as the current language
    writes it, the word in the plural form it takes."""
    return ngettext("%(hours)s hour", "%(hours)s hours", _plural_count(hours),
                    hours=format_decimal(hours))


@bp.route("/certificates/<public_id>/certificate.pdf")
@login_required
def pdf(public_id: str):
    certificate = _own_certificate_or_404(public_id)
    platform, language = identity(), certificate.language
    courses = (_completed_courses(certificate) if certificate.programme_id is not None
               else [certificate.course])
    verify_url = public_url("certificates.verify", public_id=public_id)
    with force_locale(language):
        text = CertificateText(
            heading=_("Certificate of completion"),
            certifies=_("This certifies that"),
            holder=certificate.holder_name,
            achieved=_("has completed the course") if certificate.course_id
            else _("has completed the programme"),
            title=certificate.title,
            date_line=_("Completed on %(date)s",
                        date=format_date(certificate.issued_at, "long")),
            issuer=platform.text("issuer", language),
            id_label=_("Certificate ID"),
            public_id=public_id,
            verify_label=_("Check that it is valid at"),
            verify_url=verify_url,
            language=language,
            hours=_hours(sum(course.estimated_hours for course in courses)),
            courses_label=_("Courses completed"),
            courses=tuple(course.texts(language).title for course in courses)
            if certificate.programme_id is not None else (),
            signatory_name=platform.signatory_name,
            signatory_role=platform.text("signatory_role", language),
            issued_by_label=_("Issued by"),
        )
    body = render_pdf(text, logo=platform.logo_bytes, colour=platform.colour)
    return _download(body, "application/pdf", f"certificate-{public_id}.pdf")


@bp.route("/certificates/<public_id>/credential.jwt")
@login_required
def credential_jwt(public_id: str):
    certificate = _own_certificate_or_404(public_id)
    return _download(_signed_credential(certificate), credential.JWT_MEDIA_TYPE,
                     f"open-badge-{public_id}.jwt")


@bp.route("/certificates/<public_id>/credential.json")
@login_required
def credential_json(public_id: str):
    certificate = _own_certificate_or_404(public_id)
    return _download(_credential_with_proof(certificate), credential.JSON_LD_MEDIA_TYPE,
                     f"open-badge-{public_id}.json")


def _cover(course: Course) -> tuple[bytes, str] | None:
    """The course's cover image and its media type, if it has one."""
    media = course.cover and db.session.scalar(
        select(CourseMedia).filter_by(course_id=course.id, path=course.cover))
    return (media.data, media.content_type) if media else None


def _badge_design(title: str, language: str, course: Course | None) -> BadgeDesign:
    """A badge in the issuer's colours around the course's cover (a programme: the logo)."""
    platform = identity()
    return BadgeDesign(title=title, issuer=platform.text("issuer", language),
                       colour=platform.colour, dark_colour=platform.dark_colour,
                       logo=platform.logo_bytes, cover=_cover(course) if course else None)


@bp.route("/certificates/<public_id>/badge.png")
@login_required
def badge(public_id: str):
    certificate = _own_certificate_or_404(public_id)
    design = _badge_design(certificate.title, certificate.language, certificate.course)
    body = baked_badge(design, _signed_credential(certificate))
    return _download(body, "image/png", f"open-badge-{public_id}.png")


# --- What a credential verifier follows -------------------------------------------------------


@bp.route("/badges/issuer")
def issuer():
    return _public_json(credential.issuer_document(), max_age=3600)


@bp.route("/badges/achievements/<kind>/<slug>")
def achievement(kind: str, slug: str):
    if kind == "course":
        course = Course.by_slug(slug)
        if course is None or not course.certificate:
            abort(404)
        body = _course_achievement(course, course.title, course.language)
    elif kind == "programme":
        programme = db.first_or_404(select(Programme).filter_by(slug=slug))
        body = _programme_achievement(programme, "en")
    else:
        abort(404)
    return _public_json({"@context": [credential.VC_CONTEXT, credential.OB_CONTEXT], **body},
                        max_age=3600)


@bp.route("/badges/achievements/<kind>/<slug>/image.png")
def achievement_image(kind: str, slug: str):
    """The achievement's badge, in the language its public description is in."""
    if kind == "course":
        course = Course.by_slug_or_404(slug)
        design = _badge_design(course.title, course.language, course)
    elif kind == "programme":
        programme = db.first_or_404(select(Programme).filter_by(slug=slug))
        design = _badge_design(programme.title, "en", None)
    else:
        abort(404)
    response = Response(badge_image(design), mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/.well-known/jwks.json")
def jwks():
    return _public_json(credential.jwks())


@bp.route("/badges/keys/<kid>")
def public_key(kid: str):
    key = next((k for k in credential.published_keys() if k.kid == kid), None)
    if key is None or thumbprint(key.public_jwk) != kid:
        abort(404)
    response = _public_json(credential.public_key_document(key), max_age=86400)
    response.mimetype = "application/jwk+json"
    return response


@bp.route("/badges/keys/<kid>/multikey")
def multikey(kid: str):
    """An Ed25519 key as the verification method an embedded proof names."""
    key = next((k for k in credential.key_store(ED25519).all() if k.kid == kid), None)
    if key is None:
        abort(404)
    return _public_json(credential.multikey_document(key), max_age=86400)


@bp.route("/badges/status/revocation")
def status_list():
    """The revocation list, signed: revoked certificates, and withdrawn ones (holder gone).
    A VC-JWT, or the JSON-LD credential with an embedded proof when asked for JSON."""
    listed = credential.status_list_credential(revoking.revoked_indexes(), utcnow())
    if _wanted_form("jwt") == "json-ld":
        response = _public_json(credential.with_proof(listed), max_age=STATUS_LIST_MAX_AGE)
        response.mimetype = credential.JSON_LD_MEDIA_TYPE
    else:
        response = Response(credential.sign(listed), mimetype=credential.STATUS_LIST_MEDIA_TYPE)
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    # A verifier may keep it a minute: a revocation shows everywhere within 60 seconds.
    response.headers["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
    return response

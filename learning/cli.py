"""Command-line tools: ``flask users``, ``flask courses``, ``flask discussion`` (and
``flask certificates``)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from . import assignments, audit, importer
from .auth import rules
from .config import ConfigError, courses_path
from .content import CoursesResult, load_course_with_glossary, load_courses
from .content.schema import LANGUAGES
from .content.stats import course_stats
from .content.translations import mark_translations
from .extensions import db
from .models import Course, Role, User, utcnow


class CommandGroup(AppGroup):
    """The platform's command groups: a database that cannot be reached, or has no tables yet,
    is said in one line (exit status 2), not in a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise ConfigError(
                f"The database cannot be used: {reason}. Check DATABASE_URL, and run "
                "`flask db upgrade` to create or update its tables.") from None


users_cli = CommandGroup("users", help="Manage accounts.")
# Also a plugin of the ``flask`` command (pyproject.toml), found without building the app: so
# ``flask courses validate`` runs where no secret key or database is configured.
courses_cli = CommandGroup("courses", help="Check and import course folders.")


def _password_option(func):
    return click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="Asked for when not given.",
    )(func)


def _create(email: str, full_name: str, password: str, role: Role) -> None:
    try:  # the rules of the sign-up form, so the account can log in
        rules.check_email(email)
        rules.check_password(password)
    except rules.Refused as refused:
        raise click.ClickException(str(refused)) from None
    if User.by_email(email):
        raise click.ClickException(f"An account with {email} already exists.")
    user = User(email=User.normalise_email(email), full_name=full_name, role=role,
                email_confirmed_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role.value} {user.email}.")


def _user_or_fail(email: str) -> User:
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No account with {email}.")
    return user


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", "full_name", required=True, help="Full name, as on certificates.")
@_password_option
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an administrator account (confirmed)."""
    _create(email, full_name, password, Role.ADMIN)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value)
@_password_option
def create(email: str, full_name: str, role: str, password: str) -> None:
    """Create a confirmed account with the given role."""
    _create(email, full_name, password, Role(role))


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role(email: str, role: str) -> None:
    """Give an account another role."""
    user = _user_or_fail(email)
    audit.record(None, "user.role", f"user:{user.id}", email=user.email,
                 before=user.role.value, after=role)
    user.role = Role(role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Stop an account from logging in, and sign it out everywhere."""
    user = _user_or_fail(email)
    user.deactivate()
    audit.record(None, "user.deactivate", f"user:{user.id}", email=user.email)
    db.session.commit()
    click.echo(f"{user.email} is deactivated.")


@users_cli.command("list")
def list_users() -> None:
    """List accounts with their role."""
    for user in db.session.scalars(db.select(User).order_by(User.id)):
        state = "" if user.active else " (deactivated)"
        click.echo(f"{user.email}\t{user.role.value}\t{user.full_name}{state}")


def load_path(path: Path) -> CoursesResult:
    """Load one course folder (with the glossary beside it) or a folder of courses."""
    if not (path / "course.yml").is_file():
        return load_courses(path)
    result, glossary = load_course_with_glossary(path)
    courses = {result.course.slug: result.course} if result.course else {}
    reports = {result.slug: result.translation_report} if result.slug else {}
    return CoursesResult(
        courses=courses,
        glossary=glossary,
        programmes={},
        problems=result.problems,
        translation_reports=reports,
        warnings=result.warnings,
    )


def _report_problems(result: CoursesResult, translations: bool = True) -> None:
    """Problems and warnings, then (unless ``translations`` is False) a line per translation."""
    for problem in result.problems:
        click.secho(str(problem), fg="red", err=True)
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for slug, report in result.translation_reports.items() if translations else ():
        for language, state in report.items():
            done, total = state["lessons"]
            line = f"{slug}: {language} translation: {done} of {total} lessons"
            if state.get("missing"):
                line += " (missing: " + ", ".join(state["missing"]) + ")"
            if state.get("stale"):
                line += " (stale: " + ", ".join(state["stale"]) + ")"
            click.echo(line)


@courses_cli.command("validate", with_appcontext=False)
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too (stale translations).")
def validate(path: str | None, strict: bool) -> None:
    """Check course files and report every problem with its file and line."""
    result = load_path(Path(path or courses_path()))
    _report_problems(result)
    if result.problems:
        raise click.ClickException(f"{len(result.problems)} problem(s) found; nothing to import.")
    if strict and result.warnings:
        raise click.ClickException(f"{len(result.warnings)} warning(s) found, and --strict was "
                                   "given.")
    click.echo(f"{len(result.courses)} course(s) valid.")


@courses_cli.command("stats", with_appcontext=False)
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
def stats(path: str | None) -> None:
    """Count each valid course's objectives, case studies, diagrams and kinds of question."""
    result = load_path(Path(path or courses_path()))
    _report_problems(result)
    head = ("course", "lessons", "minutes", "hours", "objectives", "cases", "diagrams", "cover",
            "graded", "applied", "year/count")
    rows = [(s.slug, s.lessons, f"{s.minutes:g}", f"{s.estimated_hours:g}", s.objectives,
             s.case_studies, s.diagrams, "yes" if s.cover else "no", s.graded_questions,
             f"{s.applied} ({s.applied_percent}%)", s.year_or_count)
            for s in map(course_stats, result.courses.values())]
    _echo_table(head, rows)


def _echo_table(head: tuple[str, ...], rows: list[tuple]) -> None:
    widths = [max(len(str(row[i])) for row in (head, *rows)) for i in range(len(head))]
    for row in (head, *rows):
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


translations_cli = click.Group(
    "translations", help="See and keep up to date the translations of course folders.")
courses_cli.add_command(translations_cli)


@translations_cli.command("status")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
def translations_status(path: str | None) -> None:
    """A table per course and language: lessons up to date, stale and missing, and whether the
    course's own texts (course.yml) are translated."""
    result = load_path(Path(path or courses_path()))
    _report_problems(result, translations=False)  # the table says it all
    head = ("course", "language", "up to date", "stale", "missing", "course texts", "state")
    rows = []
    for slug, course in sorted(result.courses.items()):
        total = len(course.lessons)
        for lang in (lang for lang in LANGUAGES if lang != course.language):
            state = result.translation_reports[slug].get(
                lang, {"lessons": (0, total), "missing": list(course.lessons), "stale": []})
            done, stale, missing = state["lessons"][0], len(state["stale"]), len(state["missing"])
            texts = lang in course.translations
            overall = ("complete" if texts and not stale and not missing
                       else "stale" if stale else "missing")
            rows.append((slug, lang, done - stale, stale, missing, "yes" if texts else "no",
                         overall))
    _echo_table(head, rows)


@translations_cli.command("mark")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def translations_mark(paths: tuple[str, ...]) -> None:
    """Record in translation files that they translate the current text of their lesson.

    Give the translation files you have brought up to date; a course folder marks all of its
    translations, up to date or not, so give a folder only when they all are."""
    by_course: dict[Path, set[Path] | None] = {}
    for given in map(Path, paths):
        given = given.resolve()
        if given.is_dir():
            folders = [given] if (given / "course.yml").is_file() else [
                folder for folder in given.iterdir() if (folder / "course.yml").is_file()]
            by_course.update(dict.fromkeys(folders))
        elif given.parent.name == "lessons" and (given.parent.parent / "course.yml").is_file():
            chosen = by_course.setdefault(given.parent.parent, set())
            if chosen is not None:
                chosen.add(given)
        else:
            raise click.ClickException(f"{given} is not a lesson file of a course folder.")
    changed = [file for folder, only in sorted(by_course.items())
               for file in mark_translations(folder, only)]
    for file in changed:
        click.echo(f"marked {file}")
    click.echo(f"{len(changed)} translation(s) marked.")


@courses_cli.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
def import_courses(path: str | None) -> None:
    """Import course folders in one transaction: all of them, or none if any has a problem."""
    result = load_path(Path(path or current_app.config["COURSES_PATH"]))
    _report_problems(result)
    if result.problems:
        raise click.ClickException(
            f"{len(result.problems)} problem(s) found; the database was not changed."
        )
    try:
        if result.glossary is not None:
            importer.import_glossary(db.session, result.glossary)
        reports = [importer.import_course(db.session, c) for c in result.courses.values()]
        for programme in result.programmes.values():
            importer.import_programme(db.session, programme)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for report in reports:
        click.echo(str(report))


def _course_or_fail(slug: str) -> Course:
    course = db.session.scalar(db.select(Course).filter_by(slug=slug))
    if course is None:
        raise click.ClickException(f"No course {slug}.")
    return course


@users_cli.command("assign-course")
@click.argument("email")
@click.argument("slug")
def assign_course(email: str, slug: str) -> None:
    """Let an instructor see a course's learners and analytics."""
    user, course = _user_or_fail(email), _course_or_fail(slug)
    try:
        added = assignments.assign(user, course, by=None)
    except assignments.NotAnInstructor:
        raise click.ClickException(f"{user.email} is a {user.role.value}: make them an "
                                   "instructor first (flask users set-role).") from None
    if added:
        click.echo(f"{user.email} now teaches {course.slug}.")
    else:
        click.echo(f"{user.email} already teaches {course.slug}.")


@users_cli.command("unassign-course")
@click.argument("email")
@click.argument("slug")
def unassign_course(email: str, slug: str) -> None:
    """Take a course's analytics away from an instructor."""
    user, course = _user_or_fail(email), _course_or_fail(slug)
    if not assignments.unassign(user, course, by=None):
        raise click.ClickException(f"{user.email} was not assigned to {course.slug}.")
    click.echo(f"{user.email} no longer teaches {course.slug}.")


@courses_cli.command("export")
@click.argument("slug")
@click.option("--format", "package_format", type=click.Choice(["scorm12", "qti3"]),
              required=True, help="scorm12: the course as a SCORM 1.2 package; qti3: the quiz "
              "questions as a QTI 3.0 package.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
def export(slug: str, package_format: str, output: str) -> None:
    """Export an imported course as a package other platforms read."""
    from .packages import PACKAGES

    course = Course.by_slug(slug)
    if course is None:
        raise click.ClickException(f"no course '{slug}' is imported (flask courses import)")
    build, what = PACKAGES[package_format]
    Path(output).write_bytes(build(course))
    click.echo(f"Wrote {output}: '{slug}' {what}.")


discussion_cli = CommandGroup("discussion", help="Send the digests of discussion replies.")


@discussion_cli.command("digest")
def send_digest() -> None:
    """Email each learner who asked for it the replies to their threads (run it daily)."""
    from .discussion.digest import send_digests

    click.echo(f"Sent {send_digests()} digest(s).")


def init_app(app: Flask) -> None:
    from .certificates.cli import certificates_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(discussion_cli)

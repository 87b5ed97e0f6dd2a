"""Reflections: a question each learner answers in writing, for their own notebook, and shares
with the course's other learners only if the author allows it and the learner chooses to
(anonymously or by name). Answers are plain text, shown escaped.

A lesson page reads, in one statement, the reader's own answers to its reflections and the
latest answers others shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select, update

from ..content.schema import Reflection
from ..extensions import db, insert_if_absent
from ..models import Course, Lesson, LessonContent, ReflectionAnswer, User, utcnow

SHARINGS = ("private", "anonymous", "named")
LONGEST = 5000  # characters
SHOWN_SHARED = 10  # the latest answers others shared, per reflection


@dataclass(frozen=True)
class SharedAnswer:
    name: str | None  # None: shared anonymously
    text: str
    updated_at: datetime


@dataclass
class ReflectionState:
    reflection: Reflection
    mine: ReflectionAnswer | None = None
    shared: list[SharedAnswer] = field(default_factory=list)


def reflections_of_specs(specs: dict | None) -> dict[str, Reflection]:
    """The reflections among a lesson content's activities, by id."""
    return {key: Reflection.from_spec(spec) for key, spec in (specs or {}).items()
            if spec.get("kind") == "reflection"}


def load(lesson_id: int, reflections: dict[str, Reflection], user_id: int | None
         ) -> dict[str, ReflectionState]:
    """Each reflection of the lesson with the reader's answer and what others shared; no
    statement for a reader who is not signed in (they see the question only)."""
    states = {key: ReflectionState(reflection) for key, reflection in reflections.items()}
    if user_id is None or not reflections:
        return states
    shareable = [key for key, reflection in reflections.items() if reflection.shareable]
    rows = db.session.execute(
        select(ReflectionAnswer, User.full_name)
        .join(User, User.id == ReflectionAnswer.user_id)
        .where(ReflectionAnswer.lesson_id == lesson_id,
               ReflectionAnswer.reflection_key.in_(reflections),
               or_(ReflectionAnswer.user_id == user_id,
                   ReflectionAnswer.reflection_key.in_(shareable)
                   & (ReflectionAnswer.sharing != "private")))
        .order_by(ReflectionAnswer.updated_at.desc(), ReflectionAnswer.id.desc())
        .limit(SHOWN_SHARED * len(reflections) + len(reflections))
    )
    for answer, name in rows:
        state = states[answer.reflection_key]
        if answer.user_id == user_id:
            state.mine = answer
        elif len(state.shared) < SHOWN_SHARED:
            state.shared.append(SharedAnswer(name if answer.sharing == "named" else None,
                                             answer.text, answer.updated_at))
    return states


def save(lesson_id: int, reflection: Reflection, user_id: int, text: str, sharing: str,
         language: str) -> None:
    """Write or rewrite the learner's answer (shared only where the author allows it). The
    database's unique key decides between two saves at once: the last one stands."""
    if not reflection.shareable or sharing not in SHARINGS:
        sharing = "private"
    values = {"text": text, "sharing": sharing, "language": language, "updated_at": utcnow()}
    learner = {"user_id": user_id, "lesson_id": lesson_id, "reflection_key": reflection.id}
    if insert_if_absent(ReflectionAnswer, **learner, **values) is None:
        db.session.execute(update(ReflectionAnswer).filter_by(**learner).values(**values))


@dataclass(frozen=True)
class NotebookEntry:
    course_slug: str
    course_title: str
    lesson_key: str
    lesson_title: str
    reflection_key: str
    prompt_html: str
    text: str
    sharing: str
    updated_at: datetime


def notebook(user_id: int) -> list[NotebookEntry]:
    """Every answer the learner wrote, by course and in lesson order, each with its question
    in the language they answered in: one statement."""
    rows = db.session.execute(
        select(ReflectionAnswer, Course.slug, Course.title, Lesson.key, LessonContent.title,
               LessonContent.activities)
        .join(Lesson, Lesson.id == ReflectionAnswer.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .outerjoin(LessonContent, and_(LessonContent.lesson_id == Lesson.id,
                                       LessonContent.language == ReflectionAnswer.language))
        .where(ReflectionAnswer.user_id == user_id)
        .order_by(Course.title, Lesson.position, ReflectionAnswer.id)
    )
    entries = []
    for answer, slug, course_title, key, lesson_title, specs in rows:
        reflection = reflections_of_specs(specs).get(answer.reflection_key)
        entries.append(NotebookEntry(slug, course_title, key, lesson_title or key,
                                     answer.reflection_key,
                                     reflection.prompt_html if reflection else "",
                                     answer.text, answer.sharing, answer.updated_at))
    return entries

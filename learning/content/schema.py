"""The shapes a validated course takes once it has left the disk.

Everything here is a frozen dataclass holding plain data (and already sanitised HTML), so the
importer, the web layer and the grader can share it without knowing how it was parsed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# The one list of each: the validator, the catalogue's filters and the interface read these.
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
LEVELS: tuple[str, ...] = ("introductory", "intermediate", "advanced")


@dataclass(frozen=True)
class ContentProblem:
    """One thing an author must fix, pointing at the file and line where it is."""

    file: str  # relative to the folder holding the course folders, e.g. "my-course/lessons/a.md"
    line: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        text = f"{where}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


@dataclass(frozen=True)
class Choice:
    id: str  # "a", "b", "c"... by position, so the same in every translation
    text_html: str
    correct: bool
    feedback_html: str = ""


@dataclass(frozen=True)
class Item:
    """A step to put in order (``text_html``), or a pair to match (``text_html`` with
    ``match_html``); ``id`` "a", "b"... by its place in the author's list, the right order."""

    id: str
    text_html: str
    match_html: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # a name in question_kinds.KINDS, which knows how to read, grade and count it
    prompt_html: str
    choices: tuple[Choice, ...] = ()
    accepted: tuple[str, ...] = ()  # short_text and numeric answers, as written by the author
    tolerance: float = 0.0
    explanation_html: str = ""
    line: int | None = None  # where the question's heading is in its lesson file
    # A short case the question starts from ("A town council wants to..."): the learner applies
    # the idea to it. Shown before the question, with it.
    situation_html: str = ""
    items: tuple[Item, ...] = ()  # ordering and matching questions
    partial_credit: bool = False  # a share of the marks for a partly right order or matching
    # The label of the "explain why" field of a question that asks for an explanation.
    explain_html: str = ""

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Question:
        return cls(**{
            **spec,
            "choices": tuple(Choice(**choice) for choice in spec["choices"]),
            "accepted": tuple(spec["accepted"]),
            "items": tuple(Item(**item) for item in spec.get("items", ())),
        })


@dataclass(frozen=True)
class Quiz:
    pass_mark: int = 70  # percent
    max_attempts: int | None = None  # None: unlimited
    graded: bool = True
    questions: tuple[Question, ...] = ()

    def to_spec(self) -> dict[str, Any]:
        """The whole quiz, answer key included, as JSON for the database (never for a page)."""
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Quiz:
        """Rebuild the quiz that ``to_spec`` stored."""
        return cls(**{**spec, "questions": tuple(Question.from_spec(q) for q in spec["questions"])})

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


QUIZ_SLOT = '<div class="quiz-slot"></div>'  # where a lesson's HTML holds its quiz form
# Where a lesson's HTML holds an activity (a poll, a reflection), filled in for each reader when
# the page is served. An HTML comment: the sanitiser removes every comment an author writes, so
# only the renderer can write one.
ACTIVITY_SLOT = "<!--activity:{kind}:{id}-->"
SCALE = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class Poll:
    """One question put to every learner, with a few options or a 1-to-5 scale and no right
    answer; each learner answers once, then sees how everyone answered."""

    id: str
    prompt_html: str
    options: tuple[str, ...] = ()  # the HTML of each option; none for a scale
    low_html: str = ""  # a scale's labels for 1 and 5
    high_html: str = ""
    line: int | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """What each answer is shown as: the options, or the numbers of the scale."""
        return self.options or SCALE

    def to_spec(self) -> dict[str, Any]:
        return {"kind": "poll", **asdict(self)}

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Poll:
        fields = {k: v for k, v in spec.items() if k != "kind"}
        return cls(**{**fields, "options": tuple(fields.get("options", ()))})


@dataclass(frozen=True)
class Reflection:
    """A question each learner answers in writing, for their own notebook; shared with the
    course's other learners only if the author allows it and the learner chooses to."""

    id: str
    prompt_html: str
    shareable: bool = False
    line: int | None = None

    def to_spec(self) -> dict[str, Any]:
        return {"kind": "reflection", **asdict(self)}

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Reflection:
        return cls(**{k: v for k, v in spec.items() if k != "kind"})


def split_at_quiz(html: str) -> tuple[str, str]:
    """The lesson HTML before and after its quiz (all of it before, when it has none)."""
    before, _slot, after = html.partition(QUIZ_SLOT)
    return before, after


@dataclass(frozen=True)
class LessonVersion:
    """A lesson in one language, rendered once per content version."""

    language: str
    title: str
    minutes: float
    summary: str | None
    html: str  # sanitised; holds QUIZ_SLOT (only the renderer can write it) where the quiz goes
    quiz: Quiz | None
    source_file: str  # relative like ContentProblem.file
    content_hash: str
    objectives: tuple[str, ...] = ()  # what the learner will be able to do after it
    # A translation that does not record the current version of the lesson it translates.
    stale: bool = False
    # The lesson's polls and reflections, in the order they appear.
    activities: tuple[Poll | Reflection, ...] = ()
    discussion: bool | None = None  # set in the main language's file (None: as the course says)

    @property
    def polls(self) -> tuple[Poll, ...]:
        return tuple(a for a in self.activities if isinstance(a, Poll))

    @property
    def parts(self) -> tuple[str, str]:
        return split_at_quiz(self.html)


@dataclass(frozen=True)
class Lesson:
    id: str
    module_id: str
    position: int  # 1-based, over the whole course outline
    versions: dict[str, LessonVersion]  # by language, the course's main language first

    @property
    def discussion(self) -> bool:
        """Whether the lesson has a discussion, where the course has them."""
        return next(iter(self.versions.values())).discussion is not False


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    lesson_ids: tuple[str, ...]


@dataclass(frozen=True)
class CourseTranslation:
    title: str | None
    summary: str | None
    modules: dict[str, str] = field(default_factory=dict)  # module id -> title
    objectives: tuple[str, ...] = ()
    audience: str | None = None
    cover_alt: str | None = None


@dataclass(frozen=True)
class MediaFile:
    """A file of the course folder that its pages use, read once by the loader: the importer
    stores these bytes and the preview serves them, so neither goes back to the disk."""

    data: bytes
    sha256: str
    content_type: str


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    summary: str
    objectives: tuple[str, ...]  # what the learner will be able to do after the course
    audience: str  # who it is for
    language: str
    level: str
    estimated_hours: float
    authors: tuple[str, ...]
    licence: str
    cover: str | None  # path relative to the course folder; served at /media/<slug>/<cover>
    cover_alt: str | None
    certificate: bool
    completion_lessons: tuple[str, ...]
    completion_quizzes: Literal["graded", "none"]
    completion_reflections: bool  # a lesson's reflections must be answered
    discussion: bool  # a discussion under each lesson that does not turn its own off
    anonymous_sharing: bool  # learners may share a reflection without their name
    modules: tuple[Module, ...]
    lessons: dict[str, Lesson]  # in outline order
    translations: dict[str, CourseTranslation]
    languages: tuple[str, ...]  # the main language first
    content_hash: str
    media: dict[str, MediaFile]  # by path relative to the course folder


@dataclass(frozen=True)
class GlossaryTranslation:
    term: str
    definition: str
    definition_html: str


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    definition: str
    definition_html: str
    source: str | None
    translations: dict[str, GlossaryTranslation]


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, GlossaryTerm]  # by id, in file order

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.terms)


@dataclass(frozen=True)
class Programme:
    slug: str
    title: str
    summary: str
    required: tuple[str, ...]
    electives: tuple[str, ...]
    electives_required: int
    # Per language: {"title": ..., "summary": ...}, as translated (missing: the English ones).
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

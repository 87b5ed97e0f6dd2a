"""Course content: folders of Markdown and YAML -> validated, rendered, safe course data.

Pure Python (markdown, nh3, yaml): no Flask and no database here. The importer stores what
``load_courses`` / ``load_course`` return; the web layer serves the URLs described in render.py.
The file format is specified in docs/authoring.md.
"""

from __future__ import annotations

from .hashing import RENDERER_VERSION, content_hash
from .loader import (
    CoursesResult,
    LoadResult,
    load_course,
    load_courses,
    load_glossary,
    load_programme,
)
from .render import glossary_url, lesson_url, media_url
from .sanitize import clean, clean_inline
from .schema import (
    QUIZ_SLOT,
    Choice,
    ContentProblem,
    Course,
    CourseTranslation,
    Glossary,
    GlossaryTerm,
    GlossaryTranslation,
    Lesson,
    LessonVersion,
    Module,
    Programme,
    Question,
    Quiz,
)

__all__ = [
    "QUIZ_SLOT",
    "RENDERER_VERSION",
    "Choice",
    "ContentProblem",
    "Course",
    "CourseTranslation",
    "CoursesResult",
    "Glossary",
    "GlossaryTerm",
    "GlossaryTranslation",
    "Lesson",
    "LessonVersion",
    "LoadResult",
    "Module",
    "Programme",
    "Question",
    "Quiz",
    "clean",
    "clean_inline",
    "content_hash",
    "glossary_url",
    "lesson_url",
    "load_course",
    "load_courses",
    "load_glossary",
    "load_programme",
    "media_url",
]

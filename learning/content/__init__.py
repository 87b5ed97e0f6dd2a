"""Course content: folders of Markdown and YAML -> validated, rendered, safe course data.

Pure Python (markdown, nh3, yaml): no Flask and no database here. The importer stores what
``load_courses`` / ``load_course`` return; the web layer serves the URLs described in render.py.
The file format is specified in docs/authoring.md.
"""

from __future__ import annotations

from .glossary import load_glossary
from .hashing import RENDERER_VERSION, content_hash
from .loader import (
    CoursesResult,
    Draft,
    LoadResult,
    load_course,
    load_course_with_glossary,
    load_courses,
    read_slug,
)
from .programme import load_programme
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
    MediaFile,
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
    "Draft",
    "Glossary",
    "GlossaryTerm",
    "GlossaryTranslation",
    "Lesson",
    "LessonVersion",
    "LoadResult",
    "MediaFile",
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
    "load_course_with_glossary",
    "load_courses",
    "load_glossary",
    "load_programme",
    "media_url",
    "read_slug",
]

"""Courses as packages for other platforms: the course as a SCORM 1.2 package, its quiz
questions as a QTI 3.0 item bank. Each is built from what was imported, never from the files."""

from __future__ import annotations

from .qti3 import export_qti3
from .scorm12 import export_scorm12

# Format name -> the builder (a course -> the zip's bytes), and what the package holds.
PACKAGES = {
    "scorm12": (export_scorm12, "as a SCORM 1.2 package"),
    "qti3": (export_qti3, "(its quiz questions) as a QTI 3.0 package"),
}

"""Courses as packages for other platforms: the quiz questions as a QTI 3.0 item bank."""

"""The floor for a logged-in page, for serve_bench.py: this platform with nothing of a lesson.

    FLOOR_BODY_FILE=page.html gunicorn -w 2 -b 127.0.0.1:PORT --pythonpath bench floor_app:app

The real app, built by ``create_app`` from the same environment as the one measured (its session
cookie, log-in check and user query, rate limiter, language choice, CSRF and security headers),
plus one route that answers a logged-in learner with the learner's lesson page held in memory: no
outline or lesson query, no template. No lesson page for a logged-in learner can be cheaper than
this without keeping learners' pages, so it shows how much of case (b) is the stack's own cost.
"""

from __future__ import annotations

import os

from flask_login import login_required

from learning import create_app

with open(os.environ["FLOOR_BODY_FILE"], "rb") as _file:
    BODY = _file.read()

app = create_app()


@app.route("/bench/floor")  # serve_bench.py asks for this path
@login_required
def floor():
    return BODY

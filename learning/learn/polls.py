"""A lesson's polls as each reader sees them: a form until they answer, then how everyone
answered (results only after answering, so that nobody just follows the crowd). The results of
all the lesson's polls, and the reader's own answers, come from one statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import case, func, select

from ..content.sanitize import plain_text
from ..content.schema import Poll
from ..extensions import db, insert_if_absent
from ..instructor.charts import Bar, bar_chart
from ..models import PollVote


@dataclass
class PollResult:
    poll: Poll
    counts: list[int]  # per answer, every language pooled
    by_language: dict[str, list[int]] = field(default_factory=dict)
    mine: int | None = None  # the reader's answer, once given

    @property
    def total(self) -> int:
        return sum(self.counts)

    def percent(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def labels(self) -> list[str]:
        """Each answer as plain text (for the chart and the table)."""
        return [plain_text(label) for label in self.poll.labels]

    def chart(self) -> Markup:
        bars = [Bar(label, self.percent(count), "is-mine" if n == self.mine else "")
                for n, (label, count) in enumerate(zip(self.labels, self.counts, strict=True))]
        return bar_chart(f"poll-{self.poll.id}-chart", _("Answers to the poll"),
                         _("The share of learners who gave each answer."), bars, suffix="%")


def polls_of_specs(specs: dict | None) -> dict[str, Poll]:
    """The polls among a lesson content's activities, by id."""
    return {key: Poll.from_spec(spec) for key, spec in (specs or {}).items()
            if spec.get("kind") == "poll"}


def load_results(lesson_id: int, polls: dict[str, Poll], user_id: int | None
                 ) -> dict[str, PollResult]:
    """Every poll of the lesson with its answers so far; no statement for a reader who is not
    signed in (they see no results) or a lesson without polls."""
    results = {key: PollResult(poll, [0] * len(poll.labels)) for key, poll in polls.items()}
    if user_id is None or not polls:
        return results
    for key, language, choice, count, mine in db.session.execute(
        select(PollVote.poll_key, PollVote.language, PollVote.choice, func.count(),
               func.max(case((PollVote.user_id == user_id, 1), else_=0)))
        .where(PollVote.lesson_id == lesson_id, PollVote.poll_key.in_(polls))
        .group_by(PollVote.poll_key, PollVote.language, PollVote.choice)
    ):
        result = results[key]
        if not 0 <= choice < len(result.counts):  # an option the author has since removed
            continue
        result.counts[choice] += count
        result.by_language.setdefault(language, [0] * len(result.counts))[choice] += count
        if mine:
            result.mine = choice
    for result in results.values():
        if result.mine is None:  # the results stay hidden until the reader answers
            result.counts = [0] * len(result.counts)
            result.by_language = {}
    return results


def vote(lesson_id: int, poll: Poll, user_id: int, choice: int, language: str) -> bool:
    """Record the learner's answer; False if they had answered already (the first stands)."""
    return insert_if_absent(PollVote, lesson_id=lesson_id, poll_key=poll.id, user_id=user_id,
                            choice=choice, language=language) is not None

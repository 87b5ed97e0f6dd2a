"""The date-range filter of the analytics pages: a plain GET form, no CSRF token needed."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.fields import DateField
from wtforms.validators import Optional, ValidationError

from .analytics import DateRange

MAX_DAYS = 3660
# The dates a range may name: around the platform's life, and far from the calendar's ends,
# where a day more or a month less would not exist.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def _within_the_calendar(form, field) -> None:
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Choose a date from %(earliest)s to %(latest)s.",
                                 earliest=EARLIEST.isoformat(), latest=LATEST.isoformat()))


class RangeForm(Form):
    start = DateField(_l("From"), validators=[Optional(), _within_the_calendar],
                      description=_l("First day included (UTC)."))
    end = DateField(_l("To"), validators=[Optional(), _within_the_calendar],
                    description=_l("Last day included (UTC)."))

    def validate_end(self, field) -> None:
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The end date must not be before the start date."))
            if (field.data - self.start.data).days > MAX_DAYS:
                raise ValidationError(_l("Choose a range of at most ten years."))

    @property
    def given(self) -> bool:
        """Whether the request named a range (exports then apply it)."""
        return bool(self.start.raw_data and self.start.raw_data[0]
                    or self.end.raw_data and self.end.raw_data[0])

    def date_range(self) -> DateRange:
        """The range asked for; 30 days where a bound is left out; the last 30 days when the
        form is invalid (the page then shows its errors)."""
        default = DateRange.last_days(30)
        if self.errors:
            return default
        start, end = self.start.data, self.end.data
        if start and not end:
            end = max(start, default.end)
        if end and not start:
            start = end - (default.end - default.start)
        return DateRange(start or default.start, end or default.end)

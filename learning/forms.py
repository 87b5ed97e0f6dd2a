"""Forms more than one area reads: the page number of a paged list."""

from __future__ import annotations

from flask import abort, request
from wtforms import Form, IntegerField
from wtforms.validators import NumberRange, Optional

# Far beyond any real list (fifty rows a page), and far inside what an SQL OFFSET accepts.
MAX_PAGE = 100_000


class PageForm(Form):
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])


def page_number() -> int:
    """The ``page`` of the query string: 1 when absent, 400 when it is not a page number."""
    form = PageForm(request.args)
    if not form.validate():
        abort(400)
    return form.page.data or 1

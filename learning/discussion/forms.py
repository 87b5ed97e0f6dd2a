"""What learners write in a discussion: a thread (title and post), a reply, an edit, a report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .posts import LONGEST, TITLE_LONGEST

_MARKDOWN_HINT = _l("Markdown: **bold**, *italic*, [a link](https://…), lists, > quotes. "
                    "HTML shows as text.")


def _body(label):
    return TextAreaField(label, description=_MARKDOWN_HINT, validators=[
        DataRequired(message=_l("Write your post before sending it.")),
        Length(max=LONGEST, message=_l("Keep your post under %(most)s characters.",
                                       most=LONGEST))])


class ThreadForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Give your thread a title.")),
        Length(max=TITLE_LONGEST, message=_l("Keep the title under %(most)s characters.",
                                             most=TITLE_LONGEST))])
    body = _body(_l("Your question or idea"))


class ReplyForm(FlaskForm):
    body = _body(_l("Your reply"))


class EditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        Optional(), Length(max=TITLE_LONGEST, message=_l(
            "Keep the title under %(most)s characters.", most=TITLE_LONGEST))])
    body = _body(_l("Your post"))


class ReportForm(FlaskForm):
    reason = StringField(_l("What is wrong with it? (optional)"),
                         validators=[Optional(), Length(max=500)])

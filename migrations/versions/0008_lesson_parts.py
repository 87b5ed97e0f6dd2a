"""A lesson's HTML is stored in the two parts its quiz form goes between, with the public form of
its quiz, both computed at import instead of on every page view.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

QUIZ_SLOT = '<div class="quiz-slot"></div>'
# The form control of each kind of question there was at this revision (the code's registry,
# content/question_kinds.py, may grow; an import after an upgrade rewrites what is stored here).
WIDGETS = {"single": "radio", "true_false": "radio", "multiple": "checkbox",
           "short_text": "text", "numeric": "number"}

contents = sa.table(
    'lesson_contents',
    sa.column('id', sa.Integer),
    sa.column('html', sa.Text),
    sa.column('html_before_quiz', sa.Text),
    sa.column('html_after_quiz', sa.Text),
    sa.column('quiz_public', sa.JSON),
    sa.column('quiz_spec', sa.JSON),
)


def _public(spec):
    return {
        "pass_mark": spec["pass_mark"],
        "max_attempts": spec["max_attempts"],
        "graded": spec["graded"],
        "questions": [
            {"id": q["id"], "kind": q["kind"], "widget": WIDGETS.get(q["kind"], "text"),
             "prompt_html": q["prompt_html"],
             "situation_html": q.get("situation_html", ""),
             "choices": [{"id": c["id"], "text_html": c["text_html"]} for c in q["choices"]]}
            for q in spec["questions"]
        ],
    }


def upgrade():
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.alter_column('html', new_column_name='html_before_quiz',
                              existing_type=sa.Text(), existing_nullable=False)
        batch_op.add_column(sa.Column('html_after_quiz', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('quiz_public', sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(contents.c.id, contents.c.html_before_quiz,
                                        contents.c.quiz_spec)).all()
    for content_id, html, spec in rows:
        before, _slot, after = html.partition(QUIZ_SLOT)
        connection.execute(contents.update().where(contents.c.id == content_id).values(
            html_before_quiz=before, html_after_quiz=after,
            quiz_public=_public(spec) if spec else None))


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(contents.c.id, contents.c.html_before_quiz,
                                        contents.c.html_after_quiz, contents.c.quiz_spec)).all()
    for content_id, before, after, spec in rows:
        connection.execute(contents.update().where(contents.c.id == content_id).values(
            html_before_quiz=before + QUIZ_SLOT + after if spec else before))
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.drop_column('quiz_public')
        batch_op.drop_column('html_after_quiz')
        batch_op.alter_column('html_before_quiz', new_column_name='html',
                              existing_type=sa.Text(), existing_nullable=False)

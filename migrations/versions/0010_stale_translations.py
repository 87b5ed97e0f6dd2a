"""Stale translations: a lesson's translation records whether the lesson changed since it was
translated, for the instructors' analytics. Filled by the next import of the courses.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stale', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.drop_column('stale')

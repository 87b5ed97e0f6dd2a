"""Learning objectives: what a learner will be able to do after each lesson and each course,
and who a course is for. Filled by the next import of the courses.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 18:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objectives', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('audience', sa.Text(), nullable=True))
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objectives', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.drop_column('objectives')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('audience')
        batch_op.drop_column('objectives')

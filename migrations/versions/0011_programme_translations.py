"""Programme translations: a programme's title and summary in French and Spanish, for its
certificate and its pages. Filled by the next import of the courses.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
    op.execute("UPDATE programmes SET translations = '{}'")
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.alter_column('translations', existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('translations')

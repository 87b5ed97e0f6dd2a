"""Polls in lessons: each lesson content keeps its polls (question and options, per language),
and each learner's answer to a poll is kept once. Filled by the next import of the courses.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 02:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('polls', sa.JSON(), nullable=True))
    op.execute("UPDATE lesson_contents SET polls = '{}'")
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.alter_column('polls', existing_type=sa.JSON(), nullable=False)
    op.create_table(
        'poll_votes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lesson_id', sa.Integer(), nullable=False),
        sa.Column('poll_key', sa.String(length=100), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('choice', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('lesson_id', 'poll_key', 'user_id', name='uq_poll_votes_learner'),
    )
    op.create_index('ix_poll_votes_results', 'poll_votes',
                    ['lesson_id', 'poll_key', 'language', 'choice'])


def downgrade():
    op.drop_index('ix_poll_votes_results', table_name='poll_votes')
    op.drop_table('poll_votes')
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.drop_column('polls')

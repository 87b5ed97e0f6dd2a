"""Activities in lessons: each lesson content keeps its polls and reflections (per language);
each learner's answer to a poll is kept once, and their written answer to a reflection in their
notebook. Filled by the next import of the courses.

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
        batch_op.add_column(sa.Column('activities', sa.JSON(), nullable=True))
    op.execute("UPDATE lesson_contents SET activities = '{}'")
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.alter_column('activities', existing_type=sa.JSON(), nullable=False)
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
    op.create_table(
        'reflection_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('lesson_id', sa.Integer(), nullable=False),
        sa.Column('reflection_key', sa.String(length=100), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('sharing', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'lesson_id', 'reflection_key',
                            name='uq_reflection_answers_learner'),
    )
    op.create_index('ix_reflection_answers_user_id', 'reflection_answers', ['user_id'])
    op.create_index('ix_reflection_answers_shared', 'reflection_answers',
                    ['lesson_id', 'reflection_key', 'sharing', 'updated_at'])


def downgrade():
    op.drop_index('ix_reflection_answers_shared', table_name='reflection_answers')
    op.drop_index('ix_reflection_answers_user_id', table_name='reflection_answers')
    op.drop_table('reflection_answers')
    op.drop_index('ix_poll_votes_results', table_name='poll_votes')
    op.drop_table('poll_votes')
    with op.batch_alter_table('lesson_contents', schema=None) as batch_op:
        batch_op.drop_column('activities')

"""A discussion under every lesson: threads and their posts (rendered once), the marks learners
leave on posts (helpful, report), suspensions of posting, the digest of replies a learner may
ask for; and the authors' settings: discussion on or off per course and lesson, anonymous
sharing of reflections, reflections counting towards completion.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 18:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discussion_digest', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('digest_sent_through', sa.DateTime(), nullable=True))
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion_reflections', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('discussion', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('anonymous_sharing', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discussion', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('thread_count', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('discussion_changed_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_lessons_discussion_changed_at', ['discussion_changed_at'])
    op.create_table(
        'discussion_threads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lesson_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('reply_count', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_posted_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_discussion_threads_author_id', 'discussion_threads', ['author_id'])
    op.create_index('ix_discussion_threads_lesson', 'discussion_threads',
                    ['lesson_id', 'status', 'last_posted_at'])
    op.create_table(
        'discussion_posts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('opening', sa.Boolean(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('by_instructor', sa.Boolean(), nullable=False),
        sa.Column('helpful_count', sa.Integer(), nullable=False),
        sa.Column('report_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('edited_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['thread_id'], ['discussion_threads.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_discussion_posts_author_id', 'discussion_posts', ['author_id'])
    op.create_index('ix_discussion_posts_thread', 'discussion_posts',
                    ['thread_id', 'created_at', 'id', 'opening', 'status'])
    op.create_index('ix_discussion_posts_helpful', 'discussion_posts',
                    ['thread_id', 'helpful_count', 'created_at', 'id', 'opening', 'status'])
    op.create_index('ix_discussion_posts_review', 'discussion_posts', ['course_id', 'status'])
    op.create_table(
        'discussion_marks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('post_id', 'user_id', 'kind', name='uq_discussion_marks'),
    )
    op.create_index('ix_discussion_marks_user_id', 'discussion_marks', ['user_id'])
    op.create_table(
        'posting_suspensions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('course_id', 'user_id', name='uq_posting_suspensions'),
    )
    op.create_index('ix_posting_suspensions_user_id', 'posting_suspensions', ['user_id'])


def downgrade():
    op.drop_index('ix_posting_suspensions_user_id', table_name='posting_suspensions')
    op.drop_table('posting_suspensions')
    op.drop_index('ix_discussion_marks_user_id', table_name='discussion_marks')
    op.drop_table('discussion_marks')
    for name in ('ix_discussion_posts_review', 'ix_discussion_posts_helpful',
                 'ix_discussion_posts_thread', 'ix_discussion_posts_author_id'):
        op.drop_index(name, table_name='discussion_posts')
    op.drop_table('discussion_posts')
    op.drop_index('ix_discussion_threads_lesson', table_name='discussion_threads')
    op.drop_index('ix_discussion_threads_author_id', table_name='discussion_threads')
    op.drop_table('discussion_threads')
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_index('ix_lessons_discussion_changed_at')
        batch_op.drop_column('discussion_changed_at')
        batch_op.drop_column('thread_count')
        batch_op.drop_column('discussion')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('anonymous_sharing')
        batch_op.drop_column('discussion')
        batch_op.drop_column('completion_reflections')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('digest_sent_through')
        batch_op.drop_column('discussion_digest')

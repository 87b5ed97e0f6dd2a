"""Credential privacy: an Open Badge names its holder by a salted hash of their email address
(OB 3.0's IdentityHash), and by their name only when they choose to show it. Certificates
issued before get a salt and the hash of their holder's address, and stop showing the name
until their holder asks for it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 01:40:00

"""
import hashlib
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_salt', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('identity_hash', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('shows_name', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    connection = op.get_bind()
    holders = connection.execute(sa.text(
        "SELECT certificates.id, users.email FROM certificates "
        "JOIN users ON users.id = certificates.user_id"))
    for certificate_id, email in holders.all():
        salt = secrets.token_hex(16)
        digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
        connection.execute(
            sa.text("UPDATE certificates SET identity_salt = :salt, identity_hash = :hash "
                    "WHERE id = :id"),
            {"salt": salt, "hash": f"sha256${digest}", "id": certificate_id})


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('shows_name')
        batch_op.drop_column('identity_hash')
        batch_op.drop_column('identity_salt')

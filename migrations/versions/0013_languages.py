"""languages: each user's own language and IANA time zone (None: the browser's choice)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, as in 0006 and 0008: a batch would copy the users table, and
# SQLite's copy loses the expression index uq_users_username_lower.
def upgrade():
    op.add_column('users', sa.Column('language', sa.String(length=8), nullable=True))
    op.add_column('users', sa.Column('timezone', sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column('users', 'timezone')
    op.drop_column('users', 'language')

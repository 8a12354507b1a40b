"""writing: post titles, read-more summaries, edit times and drafts

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02 23:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE: a batch would copy posts, and the copy would lose the
    # search index's triggers on SQLite.
    op.add_column('posts', sa.Column('title', sa.String(length=200), nullable=True))
    op.add_column('posts', sa.Column('summary_html', sa.Text(), nullable=True))
    op.add_column('posts', sa.Column('updated', sa.DateTime(timezone=True), nullable=True))
    # Every post written so far is published.
    op.add_column('posts', sa.Column('draft', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade():
    op.drop_column('posts', 'draft')
    op.drop_column('posts', 'updated')
    op.drop_column('posts', 'summary_html')
    op.drop_column('posts', 'title')

"""writing: post titles, read-more summaries, edit times, drafts, tags, images and uploaded avatars

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
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=256), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('key', name=op.f('uq_tags_key'))
    )
    op.create_table('post_tags',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_tags_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_post_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'tag_id', name=op.f('pk_post_tags'))
    )
    op.create_index('ix_post_tags_tag_id_post_id', 'post_tags', ['tag_id', 'post_id'], unique=False)
    op.create_table('tag_follows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('timestamp', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_tag_follows_tag_id_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_tag_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'tag_id', name=op.f('pk_tag_follows'))
    )
    op.create_index(op.f('ix_tag_follows_tag_id'), 'tag_follows', ['tag_id'], unique=False)
    op.create_table('post_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('alt_text', sa.String(length=500), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('thumbnail_name', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_images_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_images')),
    sa.UniqueConstraint('name', name=op.f('uq_post_images_name')),
    sa.UniqueConstraint('thumbnail_name', name=op.f('uq_post_images_thumbnail_name'))
    )
    op.create_index('ix_post_images_post_id_position', 'post_images', ['post_id', 'position'], unique=False)
    # Plain ALTER TABLE: a batch would copy users and lose uq_users_username_lower.
    op.add_column('users', sa.Column('avatar_image', sa.String(length=80), nullable=True))


def downgrade():
    op.drop_column('users', 'avatar_image')
    op.drop_index('ix_post_images_post_id_position', table_name='post_images')
    op.drop_table('post_images')
    op.drop_index(op.f('ix_tag_follows_tag_id'), table_name='tag_follows')
    op.drop_table('tag_follows')
    op.drop_index('ix_post_tags_tag_id_post_id', table_name='post_tags')
    op.drop_table('post_tags')
    op.drop_table('tags')
    op.drop_column('posts', 'draft')
    op.drop_column('posts', 'updated')
    op.drop_column('posts', 'summary_html')
    op.drop_column('posts', 'title')

"""writing: post titles (found by search), read-more summaries, edit times, drafts, tags, images and uploaded avatars

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 23:00:00

"""
import string

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


# Posts are found by their title too: the search index of posts (migration 0007)
# is built again over (title, body), the statements written out as in 0007.
FUNCTION = "flasky_search_text"
CJK = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
       "\U00020000-\U0003134f")
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
PUNCTUATION = string.punctuation
TRIGGERS = {f"posts_fts_{action}": action for action in ("insert", "delete", "update")}


def _sqlite_posts_index(columns):
    names = ", ".join(columns)

    def values(row):
        return ", ".join(f"{FUNCTION}({row}.{column})" for column in columns)

    insert = f"INSERT INTO posts_fts(rowid, {names}) VALUES (new.id, {values('new')});"
    delete = (f"INSERT INTO posts_fts(posts_fts, rowid, {names}) "
              f"VALUES ('delete', old.id, {values('old')});")
    on = {"insert": "AFTER INSERT", "delete": "AFTER DELETE",
          "update": f"AFTER UPDATE OF {names}"}
    body = {"insert": insert, "delete": delete, "update": f"{delete} {insert}"}
    selected = ", ".join(f"{FUNCTION}({column}) AS {column}" for column in columns)
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
        "DROP TABLE IF EXISTS posts_fts",
        "DROP VIEW IF EXISTS posts_fts_source",
        f"CREATE VIEW posts_fts_source AS SELECT id, {selected} FROM posts",
        f"CREATE VIRTUAL TABLE posts_fts USING fts5({names}, content='posts_fts_source', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        *(f"CREATE TRIGGER {name} {on[action]} ON posts BEGIN {body[action]} END"
          for name, action in TRIGGERS.items()),
        "INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')",
    ]


def _regex_class(ranges):
    def escape(character):
        if character == "-":
            return character
        code = ord(character)
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return "[" + "".join(escape(character) for character in ranges) + "]"


def _index_text(column):
    spaced = (f"regexp_replace(coalesce({column}, ''), '({_regex_class(CJK)})', "
              "' \\1 ', 'g')")
    bare = f"regexp_replace(normalize({spaced}, NFD), '{_regex_class(MARKS)}', '', 'g')"
    punctuation = "U&'" + "".join(f"\\{ord(character):04X}" for character in PUNCTUATION) + "'"
    return f"translate({bare}, {punctuation}, '{' ' * len(PUNCTUATION)}')"


def _postgres_posts_index(columns):
    vectors = [f"to_tsvector('simple', {_index_text(column)})" for column in columns]
    if len(vectors) > 1:
        vectors[0] = f"setweight({vectors[0]}, 'A')"
    return [
        "DROP INDEX IF EXISTS ix_posts_search_vector",
        "ALTER TABLE posts DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE posts ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({' || '.join(vectors)}) STORED",
        "CREATE INDEX ix_posts_search_vector ON posts USING gin (search_vector)",
    ]


def _index_posts_by(columns):
    connection = op.get_bind()
    dialect = connection.dialect.name
    statements = (_sqlite_posts_index(columns) if dialect == "sqlite"
                  else _postgres_posts_index(columns) if dialect == "postgresql" else [])
    for statement in statements:
        connection.exec_driver_sql(statement)


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
    _index_posts_by(('title', 'body'))


def downgrade():
    _index_posts_by(('body',))
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

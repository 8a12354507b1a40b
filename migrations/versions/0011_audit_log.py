"""audit log: every moderator's and administrator's action in one table,
backfilled from the role changes and the moderators' actions; the indexes the
dashboard counts days by

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 02:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ROLE_CHANGES = """
INSERT INTO audit_log (timestamp, actor_id, actor_name, action, user_id, user_name, target,
                       details)
SELECT role_changes.timestamp, role_changes.actor_id, actors.username, 'role-change',
       role_changes.user_id, people.username, NULL,
       COALESCE(role_changes.old_role, 'none') || ' -> ' || role_changes.new_role
       || COALESCE(' (' || role_changes.reason || ')', '')
FROM role_changes
LEFT JOIN users AS actors ON actors.id = role_changes.actor_id
LEFT JOIN users AS people ON people.id = role_changes.user_id
ORDER BY role_changes.timestamp, role_changes.id
"""

MODERATION_ACTIONS = """
INSERT INTO audit_log (timestamp, actor_id, actor_name, action, user_id, user_name, target,
                       details)
SELECT moderation_actions.timestamp, moderation_actions.moderator_id, moderators.username,
       moderation_actions.action, moderation_actions.user_id, people.username,
       CASE WHEN moderation_actions.report_id IS NULL THEN NULL
            ELSE 'report:' || moderation_actions.report_id END,
       moderation_actions.reason
FROM moderation_actions
LEFT JOIN users AS moderators ON moderators.id = moderation_actions.moderator_id
LEFT JOIN users AS people ON people.id = moderation_actions.user_id
ORDER BY moderation_actions.timestamp, moderation_actions.id
"""


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('timestamp', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_name', sa.String(length=64), nullable=True),
    sa.Column('target', sa.String(length=64), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action_timestamp', ['action', 'timestamp'], unique=False)
        batch_op.create_index('ix_audit_log_actor_id_timestamp', ['actor_id', 'timestamp'], unique=False)
        batch_op.create_index('ix_audit_log_timestamp_id', ['timestamp', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)
    # Plain CREATE INDEX (no batch): the posts' search triggers stay as they are.
    op.create_index('ix_posts_timestamp_author_id_draft', 'posts', ['timestamp', 'author_id', 'draft'], unique=False)
    op.create_index('ix_comments_timestamp_author_id', 'comments', ['timestamp', 'author_id'], unique=False)
    op.execute(ROLE_CHANGES)
    op.execute(MODERATION_ACTIONS)


def downgrade():
    op.drop_index('ix_comments_timestamp_author_id', table_name='comments')
    op.drop_index('ix_posts_timestamp_author_id_draft', table_name='posts')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_id'))
        batch_op.drop_index('ix_audit_log_timestamp_id')
        batch_op.drop_index('ix_audit_log_actor_id_timestamp')
        batch_op.drop_index('ix_audit_log_action_timestamp')
    op.drop_table('audit_log')

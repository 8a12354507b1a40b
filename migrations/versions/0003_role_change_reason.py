"""role changes made by Flasky itself carry a reason; unconfirmed Administrators lose the role

Before this revision the FLASKY_ADMIN address became Administrator at
registration, before anyone had proven they own it. An unconfirmed account
holding the role with no logged role change can only have got it that way,
so it goes back to the default role (logged), and earns the role again when
the address is confirmed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 20:20:00

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('role_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=32), nullable=True))
    _withdraw_unproven_administrators()


def _withdraw_unproven_administrators():
    connection = op.get_bind()
    roles = sa.table('roles', sa.column('id'), sa.column('name'), sa.column('permissions'),
                     sa.column('default', sa.Boolean))
    users = sa.table('users', sa.column('id'), sa.column('role_id'),
                     sa.column('confirmed', sa.Boolean))
    changes = sa.table('role_changes', sa.column('actor_id'), sa.column('user_id'),
                       sa.column('old_role'), sa.column('new_role'),
                       sa.column('timestamp', sa.DateTime), sa.column('reason'))
    default = connection.execute(sa.select(roles.c.id, roles.c.name)
                                 .where(roles.c.default.is_(True))).first()
    if default is None:
        return
    now = datetime.now(timezone.utc)
    if connection.dialect.name == 'sqlite':  # stored as naive UTC there (UTCDateTime)
        now = now.replace(tzinfo=None)
    administrators = connection.execute(
        sa.select(users.c.id, roles.c.name)
        .join(roles, roles.c.id == users.c.role_id)
        .where(roles.c.permissions.op('&')(16) == 16, users.c.confirmed.is_(False),
               ~sa.exists().where(changes.c.user_id == users.c.id))).all()
    for user_id, role_name in administrators:
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(role_id=default.id))
        connection.execute(changes.insert().values(
            actor_id=None, user_id=user_id, old_role=role_name, new_role=default.name,
            timestamp=now, reason='admin-address-unconfirmed'))


def downgrade():
    with op.batch_alter_table('role_changes', schema=None) as batch_op:
        batch_op.drop_column('reason')

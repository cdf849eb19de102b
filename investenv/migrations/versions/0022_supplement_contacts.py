"""supplementing material, enterprises' contact e-mail, deactivating a notice contact

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-03 14:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplement_requested_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supplement_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supplemented_on', sa.Date(), nullable=True))
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('notification_contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('notification_contacts', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('supplemented_on')
        batch_op.drop_column('supplement_due_on')
        batch_op.drop_column('supplement_requested_on')

"""complaint indexes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 21:05:43.844989
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_working_days', sa.Integer(), nullable=True))
        batch_op.create_index('ix_complaints_queue', ['prefecture_id', 'status', 'due_on'], unique=False)
        batch_op.create_index('ix_complaints_received', ['prefecture_id', 'received_on'], unique=False)



def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_received')
        batch_op.drop_index('ix_complaints_queue')
        batch_op.drop_column('reply_working_days')


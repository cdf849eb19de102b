"""complaint intake key

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 23:12:13.451438
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_complaints_intake_key'), ['intake_key'])



def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_complaints_intake_key'), type_='unique')
        batch_op.drop_column('intake_key')


"""feedback complaint link

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 21:04:00.749812
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_feedback_complaint_id_complaints'), 'complaints', ['complaint_id'], ['id'])



def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feedback_complaint_id_complaints'), type_='foreignkey')
        batch_op.drop_column('complaint_id')


"""inspection notice numbers unique within their prefecture

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 11:20:00
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_inspections_notice_no'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_inspections_prefecture_id'), ['prefecture_id', 'notice_no'])


def downgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_inspections_prefecture_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_inspections_notice_no'), ['notice_no'])

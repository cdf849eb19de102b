"""inspections

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 20:57:30.590414
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inspections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('inspectors', sa.String(length=200), nullable=False),
    sa.Column('notice_no', sa.String(length=40), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_inspections_created_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_inspections_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_inspections_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspections')),
    sa.UniqueConstraint('notice_no', name=op.f('uq_inspections_notice_no'))
    )
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspections_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_prefecture_id'), ['prefecture_id'], unique=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inspection_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_complaints_inspection_id_inspections'), 'inspections', ['inspection_id'], ['id'])



def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaints_inspection_id_inspections'), type_='foreignkey')
        batch_op.drop_column('inspection_id')

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspections_prefecture_id'))
        batch_op.drop_index(batch_op.f('ix_inspections_enterprise_id'))

    op.drop_table('inspections')

"""project ledger revisions: a token per prefecture, changed with its ledger, for the KPI pages

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 14:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_ledger_revisions',
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'],
                            name=op.f('fk_project_ledger_revisions_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('prefecture_id', name=op.f('pk_project_ledger_revisions'))
    )


def downgrade():
    op.drop_table('project_ledger_revisions')

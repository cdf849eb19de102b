"""project totals: the ledger's KPI changes by prefecture and day and the projects' stalled spans,
kept current on every change, instead of the per-prefecture ledger tokens of the per-process caches
(filled by investenv.migrate.upgrade, which applies the application's rule)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 17:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('project_ledger_revisions')
    op.create_table('project_stalled_spans',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('from_on', sa.Date(), nullable=False),
    sa.Column('until_on', sa.Date(), nullable=True),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'],
                            name=op.f('fk_project_stalled_spans_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_stalled_spans_project_id_projects'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'from_on', name=op.f('pk_project_stalled_spans'))
    )
    op.create_index(op.f('ix_project_stalled_spans_code'), 'project_stalled_spans', ['code'], unique=False)
    op.create_index(op.f('ix_project_stalled_spans_prefecture_id'), 'project_stalled_spans', ['prefecture_id'],
                    unique=False)
    op.create_table('project_kpi_days',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('cohort', sa.BigInteger(), nullable=False),
    sa.Column('promised', sa.BigInteger(), nullable=False),
    sa.Column('started', sa.BigInteger(), nullable=False),
    sa.Column('producing', sa.BigInteger(), nullable=False),
    sa.Column('due', sa.BigInteger(), nullable=False),
    sa.Column('unfulfilled', sa.BigInteger(), nullable=False),
    sa.Column('outside_new', sa.BigInteger(), nullable=False),
    sa.Column('outside_large', sa.BigInteger(), nullable=False),
    sa.Column('new_industry_1', sa.BigInteger(), nullable=False),
    sa.Column('new_industry_2', sa.BigInteger(), nullable=False),
    sa.Column('new_industry_3', sa.BigInteger(), nullable=False),
    sa.Column('new_band_0', sa.BigInteger(), nullable=False),
    sa.Column('new_band_1', sa.BigInteger(), nullable=False),
    sa.Column('new_band_2', sa.BigInteger(), nullable=False),
    sa.Column('funds_cohort', sa.BigInteger(), nullable=False),
    sa.Column('outside_funds', sa.BigInteger(), nullable=False),
    sa.Column('funds_industry_1', sa.BigInteger(), nullable=False),
    sa.Column('funds_industry_2', sa.BigInteger(), nullable=False),
    sa.Column('funds_industry_3', sa.BigInteger(), nullable=False),
    sa.Column('funds_band_0', sa.BigInteger(), nullable=False),
    sa.Column('funds_band_1', sa.BigInteger(), nullable=False),
    sa.Column('funds_band_2', sa.BigInteger(), nullable=False),
    sa.Column('stalled', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_project_kpi_days_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('year', 'grain', 'day', 'prefecture_id', name=op.f('pk_project_kpi_days'))
    )
    # Derived figures: investenv.migrate.upgrade fills both tables by the application's rule (DERIVED).


def downgrade():
    op.drop_table('project_kpi_days')
    op.drop_index(op.f('ix_project_stalled_spans_prefecture_id'), table_name='project_stalled_spans')
    op.drop_index(op.f('ix_project_stalled_spans_code'), table_name='project_stalled_spans')
    op.drop_table('project_stalled_spans')
    op.create_table('project_ledger_revisions',
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'],
                            name=op.f('fk_project_ledger_revisions_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('prefecture_id', name=op.f('pk_project_ledger_revisions'))
    )

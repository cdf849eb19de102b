"""projects: the investment-project ledger

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('funds', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('projects', sa.Integer(), nullable=False),
    sa.Column('large_projects', sa.Integer(), nullable=False),
    sa.CheckConstraint('funds >= 0 AND projects >= 0 AND large_projects >= 0', name=op.f('ck_project_targets_non_negative')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_project_targets_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_targets')),
    sa.UniqueConstraint('prefecture_id', 'year', name='uq_project_targets_year')
    )
    with op.batch_alter_table('project_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_targets_prefecture_id'), ['prefecture_id'], unique=False)

    op.create_table('project_monthly_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_project_monthly_reports_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_monthly_reports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_monthly_reports')),
    sa.UniqueConstraint('prefecture_id', 'month', name='uq_project_monthly_reports_month')
    )
    with op.batch_alter_table('project_monthly_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_monthly_reports_prefecture_id'), ['prefecture_id'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('park', sa.String(length=100), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('investor', sa.String(length=200), nullable=False),
    sa.Column('origin_province', sa.String(length=20), nullable=False),
    sa.Column('origin_city', sa.String(length=50), nullable=False),
    sa.Column('industry', sa.String(length=1), nullable=False),
    sa.Column('sector', sa.String(length=60), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('venue', sa.String(length=60), nullable=False),
    sa.Column('contract_investment', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('contract_funds', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('due_registration', sa.Date(), nullable=True),
    sa.Column('due_first_funds', sa.Date(), nullable=True),
    sa.Column('due_start', sa.Date(), nullable=True),
    sa.Column('due_production', sa.Date(), nullable=True),
    sa.Column('leader', sa.String(length=60), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('follow_up', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("industry IN ('1', '2', '3')", name=op.f('ck_projects_industry')),
    sa.CheckConstraint("stage IN ('reserve', 'talks', 'signed', 'registered', 'started', 'producing', 'terminated')", name=op.f('ck_projects_stage')),
    sa.CheckConstraint('contract_investment >= 0 AND contract_funds >= 0', name=op.f('ck_projects_money')),
    sa.ForeignKeyConstraint(['county_id', 'prefecture_id'], ['counties.id', 'counties.prefecture_id'], name='fk_projects_county_in_prefecture'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_projects_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_projects_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('code', name=op.f('uq_projects_code'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index('ix_projects_prefecture_stage', ['prefecture_id', 'stage'], unique=False)

    op.create_table('project_funds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('arrived_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_project_funds_amount_positive')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_funds_project_id_projects')),
    sa.ForeignKeyConstraint(['report_id'], ['project_monthly_reports.id'], name=op.f('fk_project_funds_report_id_project_monthly_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_funds')),
    sa.UniqueConstraint('report_id', 'project_id', name='uq_project_funds_report_project')
    )
    with op.batch_alter_table('project_funds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_funds_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_funds_report_id'), ['report_id'], unique=False)

    op.create_table('project_stage_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('reached_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("stage IN ('reserve', 'talks', 'signed', 'registered', 'started', 'producing', 'terminated')", name=op.f('ck_project_stage_events_stage')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_stage_events_project_id_projects')),
    sa.ForeignKeyConstraint(['report_id'], ['project_monthly_reports.id'], name=op.f('fk_project_stage_events_report_id_project_monthly_reports')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_stage_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_stage_events'))
    )
    with op.batch_alter_table('project_stage_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_stage_events_project_id'), ['project_id'], unique=False)

    op.create_table('project_unfulfilled_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('responsibility', sa.String(length=10), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('filed_by', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.CheckConstraint("responsibility IN ('ours', 'investor', 'other')", name=op.f('ck_project_unfulfilled_reports_responsibility')),
    sa.CheckConstraint("state IN ('filed', 'accepted', 'returned')", name=op.f('ck_project_unfulfilled_reports_state')),
    sa.ForeignKeyConstraint(['filed_by'], ['users.id'], name=op.f('fk_project_unfulfilled_reports_filed_by_users')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_project_unfulfilled_reports_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_unfulfilled_reports_project_id_projects')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_project_unfulfilled_reports_reviewed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_unfulfilled_reports')),
    sa.UniqueConstraint('project_id', name=op.f('uq_project_unfulfilled_reports_project_id'))
    )
    with op.batch_alter_table('project_unfulfilled_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_unfulfilled_reports_prefecture_id'), ['prefecture_id'], unique=False)

    op.create_table('project_problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('help_asked', sa.Text(), nullable=False),
    sa.Column('escalated_on', sa.Date(), nullable=True),
    sa.Column('escalated_by', sa.Integer(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('land', 'labour', 'finance', 'environment', 'approval', 'utilities', 'other')", name=op.f('ck_project_problems_kind')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_project_problems_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['escalated_by'], ['users.id'], name=op.f('fk_project_problems_escalated_by_users')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_project_problems_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_problems_project_id_projects')),
    sa.ForeignKeyConstraint(['report_id'], ['project_monthly_reports.id'], name=op.f('fk_project_problems_report_id_project_monthly_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_problems'))
    )
    with op.batch_alter_table('project_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_problems_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_problems_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_problems_report_id'), ['report_id'], unique=False)



def downgrade():
    with op.batch_alter_table('project_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_problems_report_id'))
        batch_op.drop_index(batch_op.f('ix_project_problems_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_problems_prefecture_id'))

    op.drop_table('project_problems')
    with op.batch_alter_table('project_unfulfilled_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_unfulfilled_reports_prefecture_id'))

    op.drop_table('project_unfulfilled_reports')
    with op.batch_alter_table('project_stage_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_stage_events_project_id'))

    op.drop_table('project_stage_events')
    with op.batch_alter_table('project_funds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_funds_report_id'))
        batch_op.drop_index(batch_op.f('ix_project_funds_project_id'))

    op.drop_table('project_funds')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_prefecture_stage')
        batch_op.drop_index(batch_op.f('ix_projects_prefecture_id'))
        batch_op.drop_index(batch_op.f('ix_projects_county_id'))

    op.drop_table('projects')
    with op.batch_alter_table('project_monthly_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_monthly_reports_prefecture_id'))

    op.drop_table('project_monthly_reports')
    with op.batch_alter_table('project_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_targets_prefecture_id'))

    op.drop_table('project_targets')

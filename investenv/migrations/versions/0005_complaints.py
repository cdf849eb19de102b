"""complaints

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 20:43:13.382926
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('prefecture_code', sa.String(length=6), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('complainant', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=60), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('claims', sa.Text(), nullable=False),
    sa.Column('amount_yuan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('procedure', sa.String(length=6), nullable=False),
    sa.Column('major', sa.Boolean(), nullable=False),
    sa.Column('rule_set', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('acknowledge_due_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('extended_until', sa.Date(), nullable=True),
    sa.Column('progress_due_on', sa.Date(), nullable=True),
    sa.Column('deadline_problem', sa.String(length=100), nullable=False),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('loss_recovered_yuan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('satisfaction', sa.String(length=6), nullable=True),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('visited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_event_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("procedure IN ('simple', 'joint')", name=op.f('ck_complaints_procedure')),
    sa.CheckConstraint("status IN ('received', 'accepted', 'not_accepted', 'assigned', 'handling', 'extended', 'replied', 'closed')", name=op.f('ck_complaints_status')),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_complaints_county_id_counties')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_complaints_created_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_complaints_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_complaints_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['visited_by_id'], ['users.id'], name=op.f('fk_complaints_visited_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('case_no', name=op.f('uq_complaints_case_no')),
    sa.UniqueConstraint('year', 'prefecture_code', 'sequence', name='uq_complaints_number')
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_status'), ['status'], unique=False)

    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status_from', sa.String(length=12), nullable=True),
    sa.Column('status_to', sa.String(length=12), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_events_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_complaint_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_events_complaint_id'), ['complaint_id'], unique=False)



def downgrade():
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_events_complaint_id'))

    op.drop_table('complaint_events')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_status'))
        batch_op.drop_index(batch_op.f('ix_complaints_received_on'))
        batch_op.drop_index(batch_op.f('ix_complaints_prefecture_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_due_on'))

    op.drop_table('complaints')

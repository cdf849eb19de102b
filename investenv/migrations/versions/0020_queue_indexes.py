"""work-queue indexes: cases awaiting a return visit, cases under supervision, events by user

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 11:58:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# The queues' conditions as they stand at this revision (a migration never imports application code).
AWAITING_VISIT = "satisfaction IS NULL AND status IN ('replied', 'closed')"
SUPERVISED = "(major OR escalated) AND status <> 'not_accepted'"


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_awaiting_visit', ['prefecture_id'], unique=False,
                              postgresql_where=sa.text(AWAITING_VISIT), sqlite_where=sa.text(AWAITING_VISIT))
        batch_op.create_index('ix_complaints_supervised', ['prefecture_id'], unique=False,
                              postgresql_where=sa.text(SUPERVISED), sqlite_where=sa.text(SUPERVISED))
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_events_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_events_user_id'))
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_supervised', postgresql_where=sa.text(SUPERVISED),
                            sqlite_where=sa.text(SUPERVISED))
        batch_op.drop_index('ix_complaints_awaiting_visit', postgresql_where=sa.text(AWAITING_VISIT),
                            sqlite_where=sa.text(AWAITING_VISIT))

"""staff-list indexes: monitoring-point reports newest first; keyed paper forms by state and by
the last keying

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 17:50:00
"""
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_submitted', ['submitted_on', 'id'], unique=False)
    with op.batch_alter_table('paper_forms', schema=None) as batch_op:
        batch_op.create_index('ix_paper_forms_queue', ['round_id', 'verified', 'form_code', 'id'], unique=False)
        batch_op.create_index('ix_paper_forms_updated', ['round_id', 'updated_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('paper_forms', schema=None) as batch_op:
        batch_op.drop_index('ix_paper_forms_updated')
        batch_op.drop_index('ix_paper_forms_queue')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_submitted')

"""complaint day stats

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 21:26:47.221156
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OPEN = "replied_on IS NULL AND status IN ('accepted', 'assigned', 'handling', 'extended')"
RECEIVED = "status = 'received'"


FILL = """
INSERT INTO complaint_day_stats (prefecture_id, day, received, accepted, closed, on_time, replied_late,
    reply_days_total, replies_timed, visits, satisfaction_points, loss_recovered, major, inspection)
SELECT prefecture_id, received_on, count(*), count(accepted_on),
    sum(CASE WHEN status = 'closed' THEN 1 ELSE 0 END),
    sum(CASE WHEN replied_on IS NOT NULL AND due_on IS NOT NULL AND replied_on <= due_on THEN 1 ELSE 0 END),
    sum(CASE WHEN replied_on IS NOT NULL AND due_on IS NOT NULL AND replied_on > due_on THEN 1 ELSE 0 END),
    coalesce(sum(reply_working_days), 0), count(reply_working_days), count(satisfaction),
    coalesce(sum(CASE WHEN satisfaction = '满意' THEN 1.0 WHEN satisfaction = '基本满意' THEN 0.5 ELSE 0.0 END), 0),
    coalesce(sum(loss_recovered_yuan), 0), sum(CASE WHEN major THEN 1 ELSE 0 END),
    sum(CASE WHEN category = 'inspection' THEN 1 ELSE 0 END)
FROM complaints GROUP BY prefecture_id, received_on
"""

def upgrade():
    op.create_table('complaint_day_stats',
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('replied_late', sa.Integer(), nullable=False),
    sa.Column('reply_days_total', sa.Integer(), nullable=False),
    sa.Column('replies_timed', sa.Integer(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('satisfaction_points', sa.Float(), nullable=False),
    sa.Column('loss_recovered', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('major', sa.Integer(), nullable=False),
    sa.Column('inspection', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_complaint_day_stats_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('prefecture_id', 'day', name=op.f('pk_complaint_day_stats'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_open_due', ['due_on', 'prefecture_id', 'received_on'], unique=False,
                              postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
        batch_op.create_index('ix_complaints_unacknowledged', ['acknowledge_due_on', 'prefecture_id'], unique=False,
                              postgresql_where=sa.text(RECEIVED), sqlite_where=sa.text(RECEIVED))
    # Fill the statistics of the cases already there (the aggregation as it stood at this revision;
    # a migration never imports application code, which may have changed since).
    op.execute(FILL)


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_unacknowledged', postgresql_where=sa.text(RECEIVED), sqlite_where=sa.text(RECEIVED))
        batch_op.drop_index('ix_complaints_open_due', postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))

    op.drop_table('complaint_day_stats')

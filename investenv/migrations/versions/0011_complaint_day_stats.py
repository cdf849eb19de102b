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
    # Fill the statistics of the cases already there.
    from complaints.stats import rebuild

    rebuild(op.get_bind())


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_unacknowledged', postgresql_where=sa.text(RECEIVED), sqlite_where=sa.text(RECEIVED))
        batch_op.drop_index('ix_complaints_open_due', postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))

    op.drop_table('complaint_day_stats')

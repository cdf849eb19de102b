"""the stalled projects of any day: a GiST index of each stalled span's days (PostgreSQL)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03 20:55:00
"""
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_project_stalled_spans_days ON project_stalled_spans "
                   "USING gist (daterange(from_on, until_on))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_project_stalled_spans_days")

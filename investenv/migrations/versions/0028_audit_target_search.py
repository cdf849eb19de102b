"""audit log search by part of an event's object: a GIN index of every substring of up to three
characters of the object (PostgreSQL; the function search_grams of migration 0026)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03 20:40:00
"""
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_audit_events_target_grams ON audit_events USING gin (search_grams(target, 3))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_audit_events_target_grams")

"""case search by part of a name or number: GIN indexes of every short substring (PostgreSQL); the
queue 应通报进展 read from a partial index of the extended cases in the urgency order; the orders of
the enterprise list, the audit log by account

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 17:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

# Every distinct substring of 1 to n characters of a text (characters, not bytes: any locale, CJK
# included); investenv.listing.search_grams asks for the n-grams of what was typed.  No extension
# (pg_trgm needs three characters and a non-C ctype for CJK), so the database owner can create it.
GRAMS = """
CREATE FUNCTION search_grams(t text, n integer) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    grams text[] := '{}';
    g text;
BEGIN
    FOR i IN 1 .. length(t) LOOP
        FOR k IN 1 .. least(n, length(t) - i + 1) LOOP
            g := substr(t, i, k);
            IF NOT g = ANY (grams) THEN
                grams := grams || g;
            END IF;
        END LOOP;
    END LOOP;
    RETURN grams;
END
$$
"""
EXTENDED = "status = 'extended'"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(GRAMS)
        op.execute("CREATE INDEX ix_complaints_complainant_grams ON complaints USING gin (search_grams(complainant, 2))")
        op.execute("CREATE INDEX ix_complaints_case_no_grams ON complaints USING gin (search_grams(case_no, 3))")
    # 应通报进展 in the urgency order; the due date and the prefecture are compared inside the index.
    op.create_index('ix_complaints_progress_due', 'complaints', ['deadline_on', 'id', 'progress_due_on', 'prefecture_id'],
                    unique=False, postgresql_where=sa.text(EXTENDED), sqlite_where=sa.text(EXTENDED))
    op.create_index('ix_enterprises_prefecture_name', 'enterprises', ['prefecture_id', 'name', 'id'], unique=False)
    op.create_index('ix_enterprises_name', 'enterprises', ['name', 'id'], unique=False)
    op.create_index('ix_enterprises_origin', 'enterprises', ['origin_province', 'id'], unique=False)
    op.create_index('ix_audit_events_username', 'audit_events', ['username', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_audit_events_username', table_name='audit_events')
    op.drop_index('ix_enterprises_origin', table_name='enterprises')
    op.drop_index('ix_enterprises_name', table_name='enterprises')
    op.drop_index('ix_enterprises_prefecture_name', table_name='enterprises')
    op.drop_index('ix_complaints_progress_due', table_name='complaints', postgresql_where=sa.text(EXTENDED),
                  sqlite_where=sa.text(EXTENDED))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_complaints_case_no_grams")
        op.execute("DROP INDEX ix_complaints_complainant_grams")
        op.execute("DROP FUNCTION search_grams(text, integer)")

"""queue counts: a maintained count per prefecture and queue condition; the cases' next deadline as
a generated column with the indexes of the urgency order; enterprises' pinyin initials and the cases
of an enterprise, for intake's search

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-03 14:20:00
"""
import re

import sqlalchemy as sa
from alembic import op
from pypinyin import Style, lazy_pinyin

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# The rules as they stand at this revision (a migration never imports application code).
HANDLING = "status IN ('accepted', 'assigned', 'handling', 'extended')"
DEADLINE = f"CASE WHEN status = 'received' THEN acknowledge_due_on WHEN {HANDLING} THEN due_on END"
NEVER = "DATE '9999-12-31'"
KEY = ["prefecture_id", "status", "category", "due_on", "acknowledge_due_on", "progress_due_on", "unreplied",
       "unvisited", "supervised"]
FILL = f"""
INSERT INTO complaint_queue_counts ({', '.join(KEY)}, cases)
SELECT prefecture_id, status, category,
    coalesce(CASE WHEN {HANDLING} THEN due_on END, {{never}}),
    coalesce(CASE WHEN status = 'received' THEN acknowledge_due_on END, {{never}}),
    coalesce(CASE WHEN status = 'extended' THEN progress_due_on END, {{never}}),
    replied_on IS NULL, satisfaction IS NULL, (major OR escalated), count(*)
FROM complaints GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""


def upgrade():
    op.create_table('complaint_queue_counts',
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('acknowledge_due_on', sa.Date(), nullable=False),
    sa.Column('progress_due_on', sa.Date(), nullable=False),
    sa.Column('unreplied', sa.Boolean(), nullable=False),
    sa.Column('unvisited', sa.Boolean(), nullable=False),
    sa.Column('supervised', sa.Boolean(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_complaint_queue_counts_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint(*KEY, name=op.f('pk_complaint_queue_counts'))
    )
    # SQLite can add a generated column only as VIRTUAL (indexable); PostgreSQL stores it.
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column('complaints', sa.Column('deadline_on', sa.Date(), sa.Computed(DEADLINE, persisted=postgresql or None),
                                          nullable=True))
    op.create_index('ix_complaints_urgency', 'complaints', ['deadline_on', 'id'], unique=False)
    op.create_index('ix_complaints_prefecture_urgency', 'complaints', ['prefecture_id', 'deadline_on', 'id'],
                    unique=False)
    never = NEVER if postgresql else "'9999-12-31'"
    op.execute(FILL.format(never=never))
    op.create_index(op.f('ix_complaints_enterprise_id'), 'complaints', ['enterprise_id'], unique=False)
    op.add_column('enterprises', sa.Column('name_initials', sa.String(length=200), server_default='', nullable=False))
    enterprises = sa.table('enterprises', sa.column('id', sa.Integer), sa.column('name', sa.String),
                           sa.column('name_initials', sa.String))
    bind = op.get_bind()
    for row in bind.execute(sa.select(enterprises.c.id, enterprises.c.name)).all():
        bind.execute(enterprises.update().where(enterprises.c.id == row.id).values(name_initials=initials(row.name)))


def initials(name):
    """The rule of investenv.registry.pinyin as it stands at this revision."""
    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())[:200]


def downgrade():
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('name_initials')
    op.drop_index(op.f('ix_complaints_enterprise_id'), table_name='complaints')
    op.drop_index('ix_complaints_prefecture_urgency', table_name='complaints')
    op.drop_index('ix_complaints_urgency', table_name='complaints')
    op.drop_column('complaints', 'deadline_on')
    op.drop_table('complaint_queue_counts')

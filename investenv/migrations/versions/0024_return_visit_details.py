"""return visit details: how the complainant was reached, the visitor's comment, the complainant's words

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 14:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visit_method', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('visit_comment', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('visit_words', sa.Text(), server_default='', nullable=False))


def downgrade():
    # Dropped in place (SQLite ≥ 3.35 drops columns itself): copying the table would have to copy
    # the database-generated ``deadline_on`` of 0023, which SQLite cannot re-create that way.
    with op.batch_alter_table('complaints', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('visit_words')
        batch_op.drop_column('visit_comment')
        batch_op.drop_column('visit_method')

"""evaluation runs: stored files, published versions and requests for review (复核申请)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:32:04.974603
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_evaluation_blobs'))
    )
    op.create_table('evaluation_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('method_name', sa.String(length=200), nullable=False),
    sa.Column('software', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('top3', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(state = 'published') = (version IS NOT NULL)", name=op.f('ck_evaluation_runs_published_version')),
    sa.CheckConstraint("state IN ('draft', 'published')", name=op.f('ck_evaluation_runs_state')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evaluation_runs_created_by_id_users')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_evaluation_runs_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_runs')),
    sa.UniqueConstraint('year', 'version', name=op.f('uq_evaluation_runs_year'))
    )
    with op.batch_alter_table('evaluation_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_runs_year'), ['year'], unique=False)

    op.create_table('evaluation_objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('corrected_in_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('filed', 'accepted', 'rejected')", name=op.f('ck_evaluation_objections_state')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_evaluation_objections_answered_by_id_users')),
    sa.ForeignKeyConstraint(['corrected_in_id'], ['evaluation_runs.id'], name=op.f('fk_evaluation_objections_corrected_in_id_evaluation_runs')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_evaluation_objections_filed_by_id_users')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_evaluation_objections_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['run_id'], ['evaluation_runs.id'], name=op.f('fk_evaluation_objections_run_id_evaluation_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_objections'))
    )
    with op.batch_alter_table('evaluation_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_objections_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_objections_run_id'), ['run_id'], unique=False)

    op.create_table('evaluation_run_files',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['evaluation_runs.id'], name=op.f('fk_evaluation_run_files_run_id_evaluation_runs')),
    sa.ForeignKeyConstraint(['sha256'], ['evaluation_blobs.sha256'], name=op.f('fk_evaluation_run_files_sha256_evaluation_blobs')),
    sa.PrimaryKeyConstraint('run_id', 'name', name=op.f('pk_evaluation_run_files'))
    )


def downgrade():
    op.drop_table('evaluation_run_files')
    with op.batch_alter_table('evaluation_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_objections_run_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_objections_prefecture_id'))

    op.drop_table('evaluation_objections')
    with op.batch_alter_table('evaluation_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_runs_year'))

    op.drop_table('evaluation_runs')
    op.drop_table('evaluation_blobs')

"""feedback and spot checks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:26:43.032523
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hotlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('person', sa.String(length=60), nullable=False),
    sa.Column('office', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_hotlines_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotlines')),
    sa.UniqueConstraint('prefecture_id', name=op.f('uq_hotlines_prefecture_id'))
    )
    op.create_table('spotcheck_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('per_prefecture', sa.Integer(), nullable=False),
    sa.Column('frame', sa.JSON(), nullable=False),
    sa.Column('drawn', sa.Boolean(), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['locked_by_id'], ['users.id'], name=op.f('fk_spotcheck_rounds_locked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spotcheck_rounds')),
    sa.UniqueConstraint('title', name=op.f('uq_spotcheck_rounds_title'))
    )
    with op.batch_alter_table('spotcheck_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spotcheck_rounds_year'), ['year'], unique=False)

    op.create_table('rubric_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('max_score', sa.Float(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_rubric_items_max_positive')),
    sa.ForeignKeyConstraint(['round_id'], ['spotcheck_rounds.id'], name=op.f('fk_rubric_items_round_id_spotcheck_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_items'))
    )
    with op.batch_alter_table('rubric_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_items_round_id'), ['round_id'], unique=False)

    op.create_table('sampled_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('draw_order', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_sampled_units_county_id_counties')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_sampled_units_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['round_id'], ['spotcheck_rounds.id'], name=op.f('fk_sampled_units_round_id_spotcheck_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampled_units'))
    )
    with op.batch_alter_table('sampled_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sampled_units_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sampled_units_round_id'), ['round_id'], unique=False)

    op.create_table('evidence_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['sampled_units.id'], name=op.f('fk_evidence_photos_unit_id_sampled_units')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_photos_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_photos')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_photos_stored_name'))
    )
    with op.batch_alter_table('evidence_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_photos_unit_id'), ['unit_id'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('monitoring_point_id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('d1', sa.Integer(), nullable=False),
    sa.Column('d2', sa.Integer(), nullable=False),
    sa.Column('d3', sa.Integer(), nullable=False),
    sa.Column('d4', sa.Integer(), nullable=False),
    sa.Column('d5', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('incidents', sa.Text(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('d1 BETWEEN 1 AND 5', name=op.f('ck_feedback_d1_range')),
    sa.CheckConstraint('d2 BETWEEN 1 AND 5', name=op.f('ck_feedback_d2_range')),
    sa.CheckConstraint('d3 BETWEEN 1 AND 5', name=op.f('ck_feedback_d3_range')),
    sa.CheckConstraint('d4 BETWEEN 1 AND 5', name=op.f('ck_feedback_d4_range')),
    sa.CheckConstraint('d5 BETWEEN 1 AND 5', name=op.f('ck_feedback_d5_range')),
    sa.ForeignKeyConstraint(['monitoring_point_id'], ['monitoring_points.id'], name=op.f('fk_feedback_monitoring_point_id_monitoring_points')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_feedback_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('monitoring_point_id', 'period', name='uq_feedback_point_period')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_monitoring_point_id'), ['monitoring_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_prefecture_id'), ['prefecture_id'], unique=False)

    op.create_table('item_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_item_scores_score_non_negative')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_item_scores_entered_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['rubric_items.id'], name=op.f('fk_item_scores_item_id_rubric_items')),
    sa.ForeignKeyConstraint(['unit_id'], ['sampled_units.id'], name=op.f('fk_item_scores_unit_id_sampled_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_scores')),
    sa.UniqueConstraint('unit_id', 'item_id', name='uq_item_scores_unit_item')
    )
    with op.batch_alter_table('item_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_scores_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_scores_unit_id'), ['unit_id'], unique=False)

    op.create_table('score_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('score_id', sa.Integer(), nullable=False),
    sa.Column('old_score', sa.Float(), nullable=False),
    sa.Column('new_score', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('corrected_by_id', sa.Integer(), nullable=False),
    sa.Column('corrected_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['corrected_by_id'], ['users.id'], name=op.f('fk_score_corrections_corrected_by_id_users')),
    sa.ForeignKeyConstraint(['score_id'], ['item_scores.id'], name=op.f('fk_score_corrections_score_id_item_scores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_corrections'))
    )
    with op.batch_alter_table('score_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_corrections_score_id'), ['score_id'], unique=False)

    # Existing monitoring points get their feedback link before the column becomes required.
    with op.batch_alter_table('monitoring_points', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    points = sa.table('monitoring_points', sa.column('id', sa.Integer), sa.column('feedback_token', sa.String))
    for (point_id,) in connection.execute(sa.select(points.c.id)).all():
        connection.execute(
            points.update().where(points.c.id == point_id).values(feedback_token=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table('monitoring_points', schema=None) as batch_op:
        batch_op.alter_column('feedback_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_monitoring_points_feedback_token'), ['feedback_token'])



def downgrade():
    with op.batch_alter_table('monitoring_points', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_monitoring_points_feedback_token'), type_='unique')
        batch_op.drop_column('feedback_token')

    with op.batch_alter_table('score_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_corrections_score_id'))

    op.drop_table('score_corrections')
    with op.batch_alter_table('item_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_scores_unit_id'))
        batch_op.drop_index(batch_op.f('ix_item_scores_item_id'))

    op.drop_table('item_scores')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_prefecture_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_period'))
        batch_op.drop_index(batch_op.f('ix_feedback_monitoring_point_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('evidence_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_photos_unit_id'))

    op.drop_table('evidence_photos')
    with op.batch_alter_table('sampled_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sampled_units_round_id'))
        batch_op.drop_index(batch_op.f('ix_sampled_units_prefecture_id'))

    op.drop_table('sampled_units')
    with op.batch_alter_table('rubric_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubric_items_round_id'))

    op.drop_table('rubric_items')
    with op.batch_alter_table('spotcheck_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spotcheck_rounds_year'))

    op.drop_table('spotcheck_rounds')
    op.drop_table('hotlines')

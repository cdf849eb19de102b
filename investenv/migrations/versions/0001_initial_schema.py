"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 19:34:28.616800
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('prefectures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prefectures')),
    sa.UniqueConstraint('code', name=op.f('uq_prefectures_code')),
    sa.UniqueConstraint('slug', name=op.f('uq_prefectures_slug'))
    )
    op.create_table('rate_limit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_events'))
    )
    with op.batch_alter_table('rate_limit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_events_key'), ['key'], unique=False)

    op.create_table('counties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_counties_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counties')),
    sa.UniqueConstraint('code', name=op.f('uq_counties_code')),
    sa.UniqueConstraint('id', 'prefecture_id', name='uq_counties_id_prefecture')
    )
    with op.batch_alter_table('counties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counties_prefecture_id'), ['prefecture_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(role = 'prefecture' AND prefecture_id IS NOT NULL) OR (role <> 'prefecture' AND prefecture_id IS NULL)", name=op.f('ck_users_prefecture_scope')),
    sa.CheckConstraint("role IN ('admin', 'analyst', 'centre', 'prefecture')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_users_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('enterprises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('origin_province', sa.String(length=20), nullable=False),
    sa.Column('origin_city', sa.String(length=50), nullable=False),
    sa.Column('industry', sa.String(length=1), nullable=True),
    sa.Column('contact_name', sa.String(length=60), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_id', 'prefecture_id'], ['counties.id', 'counties.prefecture_id'], name='fk_enterprises_county_in_prefecture'),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_enterprises_prefecture_id_prefectures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprises')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_enterprises_credit_code'))
    )
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprises_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_prefecture_id'), ['prefecture_id'], unique=False)

    op.create_table('monitoring_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('filing_status', sa.String(length=10), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("filing_status IN ('pending', 'filed', 'returned')", name=op.f('ck_monitoring_points_filing_status')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_monitoring_points_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_points')),
    sa.UniqueConstraint('enterprise_id', name=op.f('uq_monitoring_points_enterprise_id'))
    )


def downgrade():
    op.drop_table('monitoring_points')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprises_prefecture_id'))
        batch_op.drop_index(batch_op.f('ix_enterprises_county_id'))

    op.drop_table('enterprises')
    op.drop_table('users')
    with op.batch_alter_table('counties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counties_prefecture_id'))

    op.drop_table('counties')
    with op.batch_alter_table('rate_limit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_events_key'))
        batch_op.drop_index(batch_op.f('ix_rate_limit_events_created_at'))

    op.drop_table('rate_limit_events')
    op.drop_table('prefectures')

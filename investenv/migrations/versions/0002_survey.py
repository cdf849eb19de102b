"""survey

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:57:09.935895
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=20), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('opens_on <= closes_on', name=op.f('ck_survey_rounds_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_rounds'))
    )
    with op.batch_alter_table('survey_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_rounds_year'), ['year'], unique=False)

    op.create_table('paper_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('form_code', sa.String(length=20), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('first_answers', sa.JSON(), nullable=True),
    sa.Column('first_clerk_id', sa.Integer(), nullable=True),
    sa.Column('second_answers', sa.JSON(), nullable=True),
    sa.Column('second_clerk_id', sa.Integer(), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_paper_forms_county_id_counties')),
    sa.ForeignKeyConstraint(['first_clerk_id'], ['users.id'], name=op.f('fk_paper_forms_first_clerk_id_users')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_paper_forms_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], name=op.f('fk_paper_forms_round_id_survey_rounds')),
    sa.ForeignKeyConstraint(['second_clerk_id'], ['users.id'], name=op.f('fk_paper_forms_second_clerk_id_users')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_paper_forms_verified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_forms')),
    sa.UniqueConstraint('round_id', 'form_code', name='uq_paper_forms_round_code')
    )
    with op.batch_alter_table('paper_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_forms_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_forms_round_id'), ['round_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_invitations_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_invitations_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], name=op.f('fk_invitations_round_id_survey_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('round_id', 'enterprise_id', name='uq_invitations_round_enterprise'),
    sa.UniqueConstraint('token', name=op.f('uq_invitations_token'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_round_id'), ['round_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('prefecture_id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_survey_responses_county_id_counties')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_survey_responses_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'], name=op.f('fk_survey_responses_prefecture_id_prefectures')),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], name=op.f('fk_survey_responses_round_id_survey_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('public_id', name=op.f('uq_survey_responses_public_id'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_prefecture_id'), ['prefecture_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_round_id'), ['round_id'], unique=False)

    op.create_table('survey_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_survey_drafts_invitation_id_invitations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_drafts')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_survey_drafts_invitation_id'))
    )


def downgrade():
    op.drop_table('survey_drafts')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_round_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_prefecture_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_round_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_prefecture_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_enterprise_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('paper_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_forms_round_id'))
        batch_op.drop_index(batch_op.f('ix_paper_forms_prefecture_id'))

    op.drop_table('paper_forms')
    with op.batch_alter_table('survey_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_rounds_year'))

    op.drop_table('survey_rounds')

"""notifications: the outbox, prefectures' contacts for notices, the complainant's e-mail, reminders off

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notification_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=5), nullable=False),
        sa.Column('recipient', sa.String(length=200), nullable=False),
        sa.Column('audience', sa.String(length=12), nullable=False),
        sa.Column('template', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_try', sa.DateTime(), nullable=False),
        sa.Column('claim', sa.String(length=32), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=120), nullable=True),
        sa.Column('complaint_id', sa.Integer(), nullable=True),
        sa.Column('complaint_event_id', sa.Integer(), nullable=True),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("channel IN ('email', 'sms', 'app')", name=op.f('ck_notification_messages_channel')),
        sa.CheckConstraint("state IN ('pending', 'sending', 'sent', 'failed', 'unknown')",
                           name=op.f('ck_notification_messages_state')),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'],
                                name=op.f('fk_notification_messages_complaint_id_complaints')),
        sa.ForeignKeyConstraint(['complaint_event_id'], ['complaint_events.id'],
                                name=op.f('fk_notification_messages_complaint_event_id_complaint_events')),
        sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'],
                                name=op.f('fk_notification_messages_round_id_survey_rounds')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_messages_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_messages')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_notification_messages_dedupe_key')),
    )
    with op.batch_alter_table('notification_messages', schema=None) as batch_op:
        batch_op.create_index('ix_notification_messages_due', ['state', 'next_try'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_messages_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_messages_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_messages_user_id'), ['user_id'], unique=False)
    op.create_table(
        'notification_contacts',
        sa.Column('prefecture_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('email', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['prefecture_id'], ['prefectures.id'],
                                name=op.f('fk_notification_contacts_prefecture_id_prefectures')),
        sa.PrimaryKeyConstraint('prefecture_id', name=op.f('pk_notification_contacts')),
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders_off', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('reminders_off')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
    op.drop_table('notification_contacts')
    with op.batch_alter_table('notification_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_messages_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_messages_round_id'))
        batch_op.drop_index(batch_op.f('ix_notification_messages_complaint_id'))
        batch_op.drop_index('ix_notification_messages_due')
    op.drop_table('notification_messages')

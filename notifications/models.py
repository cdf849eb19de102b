"""The outbox: one row per message to one recipient, and the contacts that receive a prefecture's
notices."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investenv.extensions import db
from investenv.registry.models import Prefecture
from investenv.timeutil import utcnow

CHANNELS = {"email": "邮件", "sms": "短信", "app": "站内"}
# pending: waiting for its next try; sending: claimed by a sender that has not yet recorded the
# server's answer; sent: accepted by the server; failed: given up; unknown: a sender was stopped
# after it claimed the message, so whether the server accepted it is not known (never re-sent
# automatically; docs/notifications.md).
STATES = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败", "unknown": "状态不明"}


def _among(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Message(db.Model):
    __tablename__ = "notification_messages"
    __table_args__ = (
        CheckConstraint(_among("channel", CHANNELS), name="channel"),
        CheckConstraint(_among("state", STATES), name="state"),
        Index("ix_notification_messages_due", "state", "next_try"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(5))
    recipient: Mapped[str] = mapped_column(String(200))  # an e-mail address, a phone number, or user:<id>
    audience: Mapped[str] = mapped_column(String(12))  # complainant, prefecture, province, enterprise
    template: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claim: Mapped[str | None] = mapped_column(String(32))  # the sender that holds it while "sending"
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # At most one message per key (e.g. one deadline warning per case and due date).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # What it belongs to: a case and its timeline entry, or a survey round; an in-app message's reader.
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    complaint_event_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_events.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)


class Contact(db.Model):
    """Who receives a prefecture's notices (a case transferred to it, deadlines): its complaint
    office's address and mobile number, kept by an administrator on the page ``/admin/notice-contacts``
    (or ``investenv notify-contact``); a deactivated contact receives nothing."""

    __tablename__ = "notification_contacts"

    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    prefecture: Mapped[Prefecture] = relationship()

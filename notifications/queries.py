"""Reading the outbox: what was sent to whom and when, for a case's timeline or a round."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from investenv.extensions import db
from investenv.registry.models import Prefecture

from .models import Contact, Message


def for_complaint(complaint_id: int) -> list[Message]:
    return list(db.session.scalars(select(Message).where(Message.complaint_id == complaint_id).order_by(Message.id)))


def contact(prefecture_id: int) -> Contact | None:
    return db.session.get(Contact, prefecture_id)


def active_contact(prefecture_id: int) -> Contact | None:
    """The prefecture's contact for notices, unless an administrator deactivated it."""
    found = contact(prefecture_id)
    return found if found is not None and found.active else None


def contacts() -> list[Contact]:
    """Every prefecture's contact, in the order of the prefectures' codes."""
    return list(db.session.scalars(select(Contact).join(Contact.prefecture).order_by(Prefecture.code)))


def inbox(user_id: int, limit: int = 200) -> list[Message]:
    """A staff member's in-app messages, newest first."""
    return list(db.session.scalars(select(Message).where(Message.channel == "app", Message.user_id == user_id)
                                   .order_by(Message.id.desc()).limit(limit)))


def for_round(round_id: int) -> list[tuple[str, str, int, dt.datetime | None]]:
    """What was sent for a survey round: (template, state, how many, last sent) per template and state."""
    return [tuple(row) for row in db.session.execute(
        select(Message.template, Message.state, func.count(), func.max(Message.sent_at))
        .where(Message.round_id == round_id).group_by(Message.template, Message.state)
        .order_by(Message.template, Message.state))]

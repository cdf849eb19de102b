"""Reading the outbox: what was sent to whom and when, for a case's timeline or a round."""
from __future__ import annotations

from sqlalchemy import select

from investenv.extensions import db

from .models import Contact, Message


def for_complaint(complaint_id: int) -> list[Message]:
    return list(db.session.scalars(select(Message).where(Message.complaint_id == complaint_id).order_by(Message.id)))


def contact(prefecture_id: int) -> Contact | None:
    return db.session.get(Contact, prefecture_id)


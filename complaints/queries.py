"""Reads of complaint cases: the work queues (each a filter on cases, scoped by the caller), and
paging without a total count (one row more than a page tells whether there is a next page, so a
queue of a hundred thousand cases costs no more than one of fifty)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from .models import Complaint, ComplaintEvent
from .vocabulary import HANDLING, OPEN_STATUSES

# Work queues.
QUEUES = {
    "open": "在办案件",
    "mine": "我经手的",
    "due_soon": "3个工作日内到期",
    "overdue": "已超期",
    "progress": "应通报进展",
    "visit": "待回访",
    "supervision": "省级督办",
    "all": "全部案件",
}


def queue_filter(name: str, day: dt.date, due_soon_until: dt.date, user_id: int):
    """The WHERE clause of queue ``name``; ``due_soon_until`` is 3 working days after ``day``."""
    handling = Complaint.status.in_(HANDLING)
    return {
        "open": Complaint.status.in_(OPEN_STATUSES),
        "mine": Complaint.id.in_(select(ComplaintEvent.complaint_id).where(ComplaintEvent.user_id == user_id)),
        "due_soon": or_(
            and_(handling, Complaint.due_on.between(day, due_soon_until)),
            and_(Complaint.status == "received", Complaint.acknowledge_due_on.between(day, due_soon_until)),
        ),
        "overdue": or_(
            and_(handling, Complaint.replied_on.is_(None), Complaint.due_on < day),
            and_(Complaint.status == "received", Complaint.acknowledge_due_on < day),
        ),
        "progress": and_(Complaint.status == "extended", Complaint.progress_due_on <= day),
        "visit": and_(Complaint.status.in_(("replied", "closed")), Complaint.satisfaction.is_(None)),
        "supervision": and_(or_(Complaint.major.is_(True), Complaint.escalated.is_(True)),
                            Complaint.status != "not_accepted"),
        "all": Complaint.id.is_not(None),
    }[name]


# Paging.
@dataclass
class Page:
    items: list
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(rows: list, page: int, per_page: int) -> Page:
    """``rows`` are the first ``page * per_page + 1`` rows of the ordered result."""
    start = (page - 1) * per_page
    return Page(rows[start:start + per_page], page, len(rows) > start + per_page)

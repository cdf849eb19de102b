"""Reads of complaint cases: the work queues (each a filter on cases, scoped to what the current
user may see), paging without a total count (one row more than a page tells whether there is a
next page, so a queue of a hundred thousand cases costs no more than one of fifty), single cases,
and the inspection register."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from investenv import access
from investenv.extensions import db

from .models import Complaint, ComplaintEvent, Inspection
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


# Single cases, the queues' rows, the inspection register.
def case_by_number(case_no: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.case_no == case_no))


def case_by_intake_key(key: str) -> Complaint | None:
    """The case an intake form with this one-time key already logged, if any."""
    return db.session.scalar(select(Complaint).where(Complaint.intake_key == key))


def visible_queue(name: str, day: dt.date, due_soon_until: dt.date, user_id: int, search: str,
                  limit: int) -> list[Complaint]:
    """The first ``limit`` cases of queue ``name`` that the current user may see, whose case
    number or complainant contains ``search`` if given: earliest due first, or, for the overdue
    queue without a search, most overdue first."""
    if name == "overdue" and not search:
        return _visible_overdue(day, limit)
    stmt = access.scope(select(Complaint), Complaint.prefecture_id).where(
        queue_filter(name, day, due_soon_until, user_id))
    if search:
        stmt = stmt.where(or_(Complaint.case_no.like(f"%{search}%"), Complaint.complainant.like(f"%{search}%")))
    return list(db.session.scalars(
        stmt.order_by(Complaint.due_on.is_(None), Complaint.due_on, Complaint.id).limit(limit)))


def _visible_overdue(day: dt.date, limit: int) -> list[Complaint]:
    """The overdue queue, most overdue first: open cases past their due date and unacknowledged
    cases past their acknowledgement date, each read in order from its partial index."""
    scoped = access.scope(select(Complaint), Complaint.prefecture_id)
    handling = db.session.scalars(scoped.where(
        Complaint.replied_on.is_(None), Complaint.status.in_(HANDLING), Complaint.due_on < day,
    ).order_by(Complaint.due_on, Complaint.id).limit(limit))
    waiting = db.session.scalars(scoped.where(
        Complaint.status == "received", Complaint.acknowledge_due_on < day,
    ).order_by(Complaint.acknowledge_due_on, Complaint.id).limit(limit))
    rows = [*handling, *waiting]
    rows.sort(key=lambda c: (c.acknowledge_due_on if c.status == "received" else c.due_on, c.id))
    return rows[:limit]


def visible_inspections(limit: int = 200) -> list[Inspection]:
    """The registered inspections the current user may see, latest planned first."""
    return list(db.session.scalars(
        access.scope(select(Inspection), Inspection.prefecture_id).order_by(Inspection.planned_on.desc()).limit(limit)))


def visible_inspection_complaints(limit: int = 200) -> list[Complaint]:
    """The cases of category 未经申报检查 the current user may see, latest received first."""
    return list(db.session.scalars(
        access.scope(select(Complaint), Complaint.prefecture_id).where(Complaint.category == "inspection")
        .order_by(Complaint.received_on.desc()).limit(limit)))


def inspection_by_notice(prefecture_id: int, notice_no: str) -> Inspection | None:
    """The inspection registered in this prefecture under this 通知单 number."""
    return db.session.scalar(select(Inspection).where(Inspection.prefecture_id == prefecture_id,
                                                      Inspection.notice_no == notice_no))

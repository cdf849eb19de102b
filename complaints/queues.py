"""Work queues of the complaint centre: each a filter on cases, scoped by the caller."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select

from .models import Complaint, ComplaintEvent
from .vocabulary import HANDLING, OPEN_STATUSES

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

"""Reads of complaint cases: the work queues (each a filter on cases, scoped to what the current
user may see) with their counts, the case list with its filters, sorting, total and numbered
pages, single cases, and the inspection register.

"Overdue" and "due soon" are defined once, in :func:`queue_filter`; the home page's counts, the
tabs' counts and the lists all read them from there (the counts from the maintained table of
:mod:`complaints.queuecounts`), so a count always equals its list."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from investenv import access, listing
from investenv.extensions import db
from investenv.registry.models import Prefecture

from . import calendar_store
from .calendar import CalendarMissing
from .models import Complaint, ComplaintEvent, ComplaintQueueCount, Inspection
from .vocabulary import HANDLING, OPEN_STATUSES, STATUSES

# Work queues, in the order of the tabs.
QUEUES = {
    "open": "在办案件",
    "new": "待受理",
    "assigned": "已派单待办理",
    "mine": "我经手的",
    "due_soon": "3个工作日内到期",
    "overdue": "已超期",
    "progress": "应通报进展",
    "visit": "待回访",
    "supervision": "省级督办",
    "all": "全部案件",
}
# The queues that are sets of statuses: counted together from one pass over the status index.
BY_STATUS = {"open": OPEN_STATUSES, "new": ("received",), "assigned": ("assigned",), "all": tuple(STATUSES)}
DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Clock:
    """What the queues are measured against: the day, the end of "due soon" (3 working days
    later) and the user whose own cases are "mine"."""
    day: dt.date
    soon: dt.date
    user_id: int


def clock(day: dt.date, user_id: int) -> Clock:
    """The queues' clock on ``day``; without the calendar of the next days, "due soon" reaches
    a calendar week (5 days), the longest that 3 working days can be outside the holidays."""
    try:
        soon = calendar_store.around(day).add_working_days(day, DUE_SOON_WORKING_DAYS)
    except CalendarMissing:
        soon = day + dt.timedelta(days=5)
    return Clock(day, soon, user_id)


def queue_filter(name: str, day: dt.date, due_soon_until: dt.date, user_id: int, t=Complaint):
    """The WHERE clause of queue ``name``; ``due_soon_until`` is 3 working days after ``day``.
    ``t`` is the cases or the queue counts table (:class:`ComplaintQueueCount`, which has the
    columns the queues read; it has no 我经手的)."""
    handling = t.status.in_(HANDLING)
    if name in BY_STATUS:
        return t.status.in_(BY_STATUS[name])
    return {
        "mine": lambda: Complaint.id.in_(select(ComplaintEvent.complaint_id).where(ComplaintEvent.user_id == user_id)),
        "due_soon": lambda: or_(
            and_(handling, t.due_on.between(day, due_soon_until)),
            and_(t.status == "received", t.acknowledge_due_on.between(day, due_soon_until)),
        ),
        "overdue": lambda: or_(
            and_(handling, t.unreplied, t.due_on < day),
            and_(t.status == "received", t.acknowledge_due_on < day),
        ),
        "progress": lambda: and_(t.status == "extended", t.progress_due_on <= day),
        "visit": lambda: and_(t.status.in_(("replied", "closed")), t.unvisited),
        "supervision": lambda: and_(t.supervised, t.status != "not_accepted"),
    }[name]()


def _queue(name: str, now: Clock):
    return queue_filter(name, now.day, now.soon, now.user_id)


def overdue_days(case: Complaint, day: dt.date) -> int:
    """How many days past its deadline an overdue case is (0 if it is not overdue)."""
    return max((day - case.deadline).days, 0) if case.deadline else 0


# The search by part of a case number or of the complainant's name, through each column's index of
# short substrings on PostgreSQL (listing.contains, migration 0026).
CASE_NO_GRAMS = 3  # digits and hyphens: pairs are too common to narrow much
COMPLAINANT_GRAMS = 2  # names: pairs of characters are rare enough, and a 2-character search is common


# The case list: a queue narrowed by the filters people ask about.
CASE_NUMBER = re.compile(r"\d{4}-\d{4}-\d{4,}")
@dataclass(frozen=True)
class CaseFilter:
    queue: str = "open"
    prefecture: str = ""  # the handling prefecture's code
    status: str = ""
    category: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    search: str = ""  # in the case number or the complainant

    def narrowed(self, t=Complaint) -> list:
        """The WHERE clauses of the filters other than the queue, on the cases or (the filters
        that :attr:`countable` allows) on the queue counts table ``t``."""
        clauses = []
        if self.prefecture:
            clauses.append(t.prefecture_id == select(Prefecture.id).where(Prefecture.code == self.prefecture)
                           .scalar_subquery())
        if self.status:
            clauses.append(t.status == self.status)
        if self.category:
            clauses.append(t.category == self.category)
        if self.received_from:
            clauses.append(Complaint.received_on >= self.received_from)
        if self.received_to:
            clauses.append(Complaint.received_on <= self.received_to)
        if CASE_NUMBER.fullmatch(self.search):  # a whole case number: its unique index
            clauses.append(Complaint.case_no == self.search)
        elif self.search:
            clauses.append(or_(listing.contains(Complaint.case_no, self.search, CASE_NO_GRAMS),
                               listing.contains(Complaint.complainant, self.search, COMPLAINANT_GRAMS)))
        return clauses

    @property
    def narrows(self) -> bool:
        return self != CaseFilter(queue=self.queue)

    @property
    def countable(self) -> bool:
        """Whether the queue counts table answers every queue's count under these filters (it
        knows prefecture, status and category; not the dates received nor the search)."""
        return self == CaseFilter(self.queue, self.prefecture, self.status, self.category)


# Column sorts; "urgency" (the default) puts overdue cases first, most overdue first, across
# statuses, then the rest by their next deadline.
CASE_SORTS = listing.Sorting({
    "case_no": ("案件编号", Complaint.case_no), "complainant": ("投诉企业", Complaint.complainant),
    "prefecture": ("承办市州", Complaint.prefecture_id), "category": ("类别", Complaint.category),
    "status": ("状态", Complaint.status), "received": ("收件日期", Complaint.received_on),
    "deadline": ("期限", Complaint.deadline_on),
}, default="urgency", tiebreak=Complaint.id)
SORTS = {"urgency": "紧迫程度", **CASE_SORTS.labels}


NO_DEADLINE = frozenset(STATUSES) - set(OPEN_STATUSES)  # replied, closed, refused


def _order(filters: CaseFilter, sort: str, descending: bool) -> list:
    """The ORDER BY of a list.  "urgency" is by the next deadline (the generated column
    ``deadline_on``, read in order from its indexes): a case is overdue exactly when its deadline
    has passed (a handled case has no reply: a reply ends handling, reopening clears it), so the
    overdue cases come first, the most overdue first, then the rest by deadline, then the cases
    without one.  A list of cases that have no deadline is simply in order of intake."""
    if sort == "urgency":
        if filters.queue == "visit" or filters.status in NO_DEADLINE:
            return [Complaint.id]
        return [Complaint.deadline_on.nulls_last(), Complaint.id]
    return CASE_SORTS.order(sort, descending)


def _deadline_range(queue: str, now: Clock) -> list:
    """What the deadline queues' conditions imply for the next deadline: the range of the
    urgency index to read (without it the index would be read from the earliest deadline)."""
    return {"overdue": [Complaint.deadline_on < now.day],
            "due_soon": [Complaint.deadline_on.between(now.day, now.soon)]}.get(queue, [])


def _visible(filters: CaseFilter, now: Clock):
    return access.scope(select(Complaint), Complaint.prefecture_id).where(
        _queue(filters.queue, now), *_deadline_range(filters.queue, now), *filters.narrowed())


# Counts that are not maintained (a filter on the dates or a search) stop at this many: "1000+".
COUNT_CAP = 1000


def queue_counts(filters: CaseFilter, now: Clock) -> dict[str, int | None]:
    """How many cases the current user may see in each queue under ``filters`` (its own queue
    aside): the numbers on the tabs, and on the home page without filters.

    Under filters the queue counts table knows (:attr:`CaseFilter.countable`), every queue's count
    is one pass over that table (a conditional sum per queue), 我经手的 a count of the user's own
    cases.  Under the others, only the current queue is counted, and only up to COUNT_CAP + 1
    (shown as "1000+"); the other tabs show no number."""
    if not filters.countable:
        capped = _visible(filters, now).with_only_columns(Complaint.id).limit(COUNT_CAP + 1).subquery()
        return {name: db.session.scalar(select(func.count()).select_from(capped)) if name == filters.queue else None
                for name in QUEUES}
    t = ComplaintQueueCount
    sums = [func.coalesce(func.sum(case((queue_filter(name, now.day, now.soon, now.user_id, t), t.cases), else_=0)), 0)
            for name in QUEUES if name != "mine"]
    row = db.session.execute(access.scope(select(*sums), t.prefecture_id).where(*filters.narrowed(t))).one()
    counts = dict(zip((name for name in QUEUES if name != "mine"), row, strict=True))
    counts["mine"] = db.session.scalar(select(func.count()).select_from(
        _visible(replace(filters, queue="mine"), now).with_only_columns(Complaint.id).subquery()))
    return {name: int(counts[name]) for name in QUEUES}


def visible_cases(filters: CaseFilter, now: Clock, total: int, sort: str = "urgency", descending: bool = False,
                  page: int = 1, per_page: int = 50) -> listing.Page:
    """One page of the ``total`` cases (its queue's count) the current user may see under
    ``filters``, sorted by ``sort``."""
    rows = db.session.scalars(_visible(filters, now).options(selectinload(Complaint.prefecture))
                              .order_by(*_order(filters, sort, descending)).offset((page - 1) * per_page).limit(per_page))
    return listing.Page(list(rows), page, per_page, total)


def all_visible_cases(filters: CaseFilter, now: Clock, sort: str, descending: bool, limit: int) -> list[Complaint]:
    """The first ``limit`` cases of the same view, for its download."""
    return list(db.session.scalars(_visible(filters, now).options(selectinload(Complaint.prefecture), selectinload(
        Complaint.county)).order_by(*_order(filters, sort, descending)).limit(limit)))


def most_overdue(now: Clock, limit: int) -> list[Complaint]:
    """The home page's shortlist: the ``limit`` most overdue cases the current user may see."""
    overdue = CaseFilter(queue="overdue")
    return list(db.session.scalars(_visible(overdue, now).order_by(*_order(overdue, "urgency", False)).limit(limit)))


# Single cases, the inspection register.
def case_by_number(case_no: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.case_no == case_no))


def cases_of_enterprise(enterprise_id: int, limit: int) -> list[Complaint]:
    """The latest ``limit`` cases of an enterprise the current user may see, latest first."""
    return list(db.session.scalars(access.scope(select(Complaint), Complaint.prefecture_id)
                                   .where(Complaint.enterprise_id == enterprise_id)
                                   .order_by(Complaint.received_on.desc(), Complaint.id.desc()).limit(limit)))


def case_by_intake_key(key: str) -> Complaint | None:
    """The case an intake form with this one-time key already logged, if any."""
    return db.session.scalar(select(Complaint).where(Complaint.intake_key == key))


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

"""Who is told what about a case: the messages each timeline entry causes, written into the
outbox in the same transaction (:func:`after_event`, called by ``operations._event`` and nowhere
else), and the deadline warnings that ``investenv notify`` adds each run (:func:`scan_deadlines`).

- the complainant (e-mail and/or SMS, when given): receipt, a request to supplement material,
  acceptance or refusal, extension and
  each progress report, the reply, the closing and the request to rate;
- the prefecture's contact (notifications.models.Contact) and its complaint handlers (in the app):
  a case routed or transferred to it; a deadline within 3 working days, a progress report due, overdue;
- the centre's supervisors (in the app): objections, material supplemented, and overdue major cases;
- the administrators (in the app): from November, next year's holiday arrangement still missing
  (:func:`scan_calendar`), since deadlines in it are only provisional (预计) without it.

Every deadline in a message is written by ``due`` (:class:`.calendar_store.Deadlines`): marked 预计
when it is provisional.

No message to a prefecture carries an enterprise's personal survey or feedback link (the outbox
refuses one: notifications.outbox.PERSONAL_LINK).
"""
from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select

from investenv.auth.models import User
from investenv.extensions import db
from investenv.permissions import PERMISSIONS
from notifications import outbox
from notifications import queries as notification_queries

from . import calendar_store
from .calendar import CalendarMissing
from .models import Complaint, ComplaintEvent
from .vocabulary import CATEGORIES, HANDLING, STATUSES

# timeline entry kind → the complainant's template(s)
TO_COMPLAINANT = {
    "intake": ("receipt",), "supplement": ("supplement",), "accept": ("accepted",), "refuse": ("refused",), "extend": ("extended",),
    "progress": ("progress",), "reply": ("reply",), "close": ("closed", "rate"),
}
WARN_WORKING_DAYS = 3


def _context(case: Complaint, event: ComplaintEvent | None = None) -> dict:
    return {"case": case, "event": event, "STATUSES": STATUSES, "CATEGORIES": CATEGORIES,
            "status_url": outbox.public_url("/status"), "due": calendar_store.Deadlines()}


def _key(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _staff(permission: str, prefecture_id: int | None) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.active.is_(True), User.role.in_(PERMISSIONS[permission]),
        User.prefecture_id == prefecture_id if prefecture_id else User.prefecture_id.is_(None)).order_by(User.id)))


def _to_complainant(case: Complaint, event: ComplaintEvent, template: str) -> None:
    context = _context(case, event)
    if case.contact_email:
        outbox.enqueue("email", case.contact_email, "complainant", template, context,
                       complaint_id=case.id, event_id=event.id)
    phone = outbox.mobile_number(case.contact_phone)
    if phone:
        outbox.enqueue("sms", phone, "complainant", template, context, complaint_id=case.id, event_id=event.id)


def _to_prefecture(case: Complaint, template: str, context: dict, event_id: int | None = None,
                   once: str | None = None) -> int:
    """To the prefecture's contact and its complaint handlers; ``once`` makes it one per recipient."""
    written = 0
    contact = notification_queries.active_contact(case.prefecture_id)
    targets = [("app", f"user:{u.id}", u.id) for u in _staff("handle_complaints", case.prefecture_id)]
    if contact is not None:
        targets += [(c, a, None) for c, a in (("email", contact.email), ("sms", contact.phone)) if a]
    for channel, recipient, user_id in targets:
        written += outbox.enqueue(channel, recipient, "prefecture", template, context, complaint_id=case.id,
                                  event_id=event_id, user_id=user_id,
                                  dedupe_key=_key(once, channel, recipient) if once else None) is not None
    return written


def _to_province(case: Complaint, template: str, context: dict, event_id: int | None = None,
                 once: str | None = None) -> int:
    return sum(outbox.enqueue("app", f"user:{u.id}", "province", template, context, complaint_id=case.id,
                              event_id=event_id, user_id=u.id,
                              dedupe_key=_key(once, u.id) if once else None) is not None
               for u in _staff("take_complaints", None))


def after_event(case: Complaint, event: ComplaintEvent) -> None:
    """The messages a new timeline entry causes (flush only)."""
    kind = event.kind
    if kind not in TO_COMPLAINANT and kind not in ("assign", "transfer", "objection", "supplemented"):
        return
    db.session.flush()  # the case's and the entry's ids
    for template in TO_COMPLAINANT.get(kind, ()):
        _to_complainant(case, event, template)
    if kind in ("assign", "transfer"):
        _to_prefecture(case, "transferred", _context(case, event), event.id)
    if kind in ("objection", "supplemented"):
        _to_province(case, kind, _context(case, event), event.id)


def scan_deadlines(day: dt.date) -> int:
    """Warn of deadlines within :data:`WARN_WORKING_DAYS` working days, progress reports due and
    overdue cases: once per case, deadline and recipient.  Returns how many messages it wrote."""
    try:
        soon = calendar_store.around(day).add_working_days(day, WARN_WORKING_DAYS)
    except CalendarMissing:
        soon = day + dt.timedelta(days=WARN_WORKING_DAYS + 2)
    written = 0
    open_cases = select(Complaint).where(Complaint.status.in_(HANDLING), Complaint.replied_on.is_(None))
    for case in db.session.scalars(open_cases.where(Complaint.due_on <= soon).order_by(Complaint.id)):
        template = "overdue" if case.due_on < day else "due_soon"
        context = _context(case) | {"day": day}
        written += _to_prefecture(case, template, context, once=(template, case.id, case.due_on))
        if template == "overdue" and case.major:
            written += _to_province(case, "overdue", context, once=("overdue-major", case.id, case.due_on))
    for case in db.session.scalars(open_cases.where(Complaint.status == "extended", Complaint.progress_due_on <= soon)
                                   .order_by(Complaint.id)):
        written += _to_prefecture(case, "progress_due", _context(case) | {"day": day},
                                  once=("progress_due", case.id, case.progress_due_on))
    db.session.flush()
    return written


def scan_calendar(day: dt.date) -> int:
    """From November on, tell the administrators (once per year and person) that next year's
    official holiday arrangement has not been entered.  Returns how many messages it wrote."""
    year = day.year + 1
    if day.month < 11 or year in {y.year for y in calendar_store.entered_years()}:
        return 0
    written = sum(outbox.enqueue("app", f"user:{u.id}", "province", "calendar_missing",
                                 {"year": year, "calendar_url": outbox.public_url("/admin/calendar")},
                                 user_id=u.id, dedupe_key=_key("calendar_missing", year, u.id)) is not None
                  for u in _staff("enter_calendar", None))
    db.session.flush()
    return written

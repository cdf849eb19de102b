"""Reminders to monitoring points to report their feedback, written into the outbox: by e-mail to
the enterprise's contact e-mail (which only the province may enter) with the point's personal
link, and by SMS to its contact mobile (kept by the prefecture) without it, saying that the link
is in the mail or the province's letter (``outbox.may_carry_personal_link``):

- when a period opens, to every active point (``feedback_open``), and in the last
  :data:`CLOSING_DAYS` days before the reporting of the previous period closes, to the points that
  have not reported on it (``feedback_reminder``): by ``investenv notify`` on each run, once per
  point, period and channel (:func:`scan_periods`);
- whenever the province sends them from the list of points that have not reported (at most once a
  day per point and channel: :func:`remind`).

Only the point's own enterprise receives its link (audience ``enterprise``); nothing here goes to
a prefecture.  A point has no contact fields of its own: its enterprise's are used.
"""
from __future__ import annotations

import datetime as dt

from investenv.registry.models import MonitoringPoint
from notifications import outbox

from . import periods, queries

CLOSING_DAYS = 7


def point_link(point: MonitoringPoint) -> str:
    """The point's personal feedback link on the site's public address."""
    return outbox.public_url(f"/f/{point.feedback_token}")


def closes_on(period: periods.Period) -> dt.date:
    """The last day a report on ``period`` can arrive (:func:`periods.reporting_closed`): the end of
    the period after it."""
    return period.next().next().starts_on - dt.timedelta(days=1)


def remind(points: list[MonitoringPoint], period: periods.Period, template: str, once: str) -> int:
    """``template`` to each of ``points`` that has not reported on ``period``, once per ``once``
    (e.g. the day), point and channel.  Returns how many messages it wrote."""
    reported = queries.reported_point_ids(period)
    written = 0
    for point in points:
        if point.id in reported or point.withdrawn_on is not None:
            continue
        enterprise = point.enterprise
        context = {"enterprise": enterprise, "period": period, "closes_on": closes_on(period)}
        email, mobile = enterprise.contact_email.strip(), outbox.mobile_number(enterprise.contact_phone)
        messages = []
        if email and outbox.may_carry_personal_link("email", email, enterprise):
            messages.append(("email", email, context | {"link": point_link(point)}))
        if mobile:
            messages.append(("sms", mobile, context))
        for channel, address, values in messages:
            written += outbox.enqueue(channel, address, "enterprise", template, values, enterprise=enterprise,
                                      dedupe_key=f"{template}:{period.code}:{point.id}:{channel}:{once}") is not None
    return written


def scan_periods(day: dt.date, cadence: str) -> int:
    """The scheduled reminders of ``day`` (see the module).  Returns how many messages it wrote."""
    current = periods.current(day, cadence)
    written = remind(queries.active_points(current), current, "feedback_open", "opening")
    previous = current.previous()
    if (closes_on(previous) - day).days < CLOSING_DAYS:
        written += remind(queries.active_points(previous), previous, "feedback_reminder", "closing")
    return written

"""Feedback pages: the point's own link (``/f/<token>``), and the staff overview."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

import complaints.views as complaints_views
from investenv import access, audit, listing
from investenv.auth import throttle
from investenv.exporting import CSV_MIMETYPE, XLSX_MIMETYPE, attachment, csv_bytes, workbook_bytes
from investenv.extensions import db
from investenv.forms import attempt, options
from investenv.permissions import can, permission_required
from investenv.registry import queries as registry_queries
from investenv.registry.models import MonitoringPoint
from investenv.timeutil import today

from . import notices, operations, periods, queries
from .forms import FeedbackForm, HotlineForm
from .models import Feedback
from .vocabulary import DIMENSIONS

public = Blueprint("point_feedback", __name__, url_prefix="/f")
public.before_request(access.refuse_staff_sessions)
bp = Blueprint("feedback", __name__, url_prefix="/feedback")


def _point_or_404(token: str) -> MonitoringPoint:
    point = operations.find_point(token)
    if point is None:
        throttle.count_token_miss(request.remote_addr)
        abort(404)
    return point


@public.route("/<token>", methods=["GET", "POST"])
def report(token: str):
    point = _point_or_404(token)
    now = periods.current(today(), operations.cadence())
    reported = queries.reported_periods(point)
    choices = [now, now.previous()]
    form = FeedbackForm()
    form.period.choices = options((p.code, p.label + ("（已报送）" if p.code in reported else "")) for p in choices)
    pending = [p for p in choices if p.code not in reported]
    if request.method == "GET" and pending:
        form.period.data = pending[0].code
    status = 200
    if form.validate_on_submit():
        ratings = [getattr(form, key).data for key in DIMENSIONS]
        _, refusal = attempt(lambda: operations.submit(
            point, form.period.data, ratings, form.comment.data or "", form.incidents.data or "", today()), form)
        if refusal is None:
            db.session.commit()
            return render_template("feedback/thanks.html", point=point,
                                   hotline=operations.hotline_for(point.enterprise.prefecture_id))
    if request.method == "POST":
        status = 400
    return render_template(
        "feedback/report.html", form=form, point=point, dimensions=DIMENSIONS, now=now, pending=pending,
        reported=sorted(periods.parse(code) for code in reported), next_opens=periods.day_label(now.next().starts_on),
        hotline=operations.hotline_for(point.enterprise.prefecture_id),
    ), status


def _period() -> periods.Period:
    return _period_of(request.args.get("period", ""))


def _period_of(code: str) -> periods.Period:
    if not code:
        return periods.current(today(), operations.cadence())
    try:
        return operations.check_period(code, today())
    except ValueError:
        abort(404)


@bp.get("/")
@permission_required("use_staff_pages")
def overview():
    period = _period()
    points = queries.visible_active_points(period)
    reports = queries.visible_reports_by_point(period)
    closed = periods.reporting_closed(period, today(), operations.cadence())
    live = can("read_live_results")  # prefecture staff: means only once no report can come, and of enough points
    rows = []
    for prefecture in registry_queries.visible_prefectures():
        mine = [p for p in points if p.enterprise.prefecture_id == prefecture.id]
        got = [reports[p.id] for p in mine if p.id in reports]
        shown = got and (live or (closed and len(got) >= access.SMALL_CELL))
        means = [sum(f.ratings[i] for f in got) / len(got) for i in range(len(DIMENSIONS))] if shown else None
        rows.append({"prefecture": prefecture, "points": len(mine), "reported": len(got), "means": means})
    choices = periods.of_year(period.year, operations.cadence())
    return render_template(
        "feedback/overview.html", period=period, rows=rows, dimensions=DIMENSIONS, live=live, closed=closed,
        recent=queries.visible_remarks(period) if can("read_open_answers") else [], minimum=access.SMALL_CELL,
        choices=[p for p in choices if p.starts_on <= today()],
    )


EXPORT_LIMIT = 50000  # reports in one download: a national year


def _reports_view():
    """The report list's filters and sort from the query string: the statement and the arguments
    that its links and its download keep (a period or an issue it does not know is left out)."""
    prefecture, point = request.args.get("prefecture", ""), request.args.get("q", "").strip()
    period = request.args.get("period", "").strip().upper()
    period = period if periods.label(period) != period else ""
    issue = request.args.get("issue", "")
    issue = issue if issue in queries.ISSUES else ""
    since, until = listing.date_arg("from"), listing.date_arg("to")
    sort, descending = queries.REPORT_SORTS.read()
    stmt = queries.reports_view(prefecture, period, point, issue, since, until, sort, descending)
    args = listing.kept(prefecture=prefecture, period=period, q=point, issue=issue,
                        **{"from": since and since.isoformat(), "to": until and until.isoformat()})
    return stmt, args | queries.REPORT_SORTS.args(sort, descending), sort, descending


@bp.get("/reports")
@permission_required("read_open_answers")
def reports():
    """Every report the user may see, one row each: filtered, sorted by a column, paged."""
    audit.note("view", f"feedback-reports:{request.query_string.decode(errors='replace')}")  # names points and their remarks
    stmt, args, sort, descending = _reports_view()
    page = listing.page_of(stmt, listing.count(stmt), listing.page_arg())
    return render_template(
        "feedback/reports.html", page=page, args=args, sort=sort, descending=descending,
        sorts=queries.REPORT_SORTS.labels, issues={k: label for k, (label, _) in queries.ISSUES.items()},
        prefectures=registry_queries.visible_prefectures(), dimensions=DIMENSIONS,
        period_choices=_periods_since(queries.earliest_visible_period()),
        period_label=periods.label,
    )


def _periods_since(code: str | None) -> list[tuple[str, str]]:
    """The periods from ``code`` to the one under way, newest first, as (code, words)."""
    try:
        period = periods.parse(code or "")
    except ValueError:
        return []
    found = []
    while period.starts_on <= today():
        found.append((period.code, period.label))
        period = period.next()
    return found[::-1]


REPORT_HEADER = ["市州", "测评点", "统一社会信用代码", "县市区", "期间", "报送日期", *DIMENSIONS.values(), "平均分",
                 "意见和建议", "具体事件", "投诉案件"]


@bp.get("/reports.xlsx")
@permission_required("read_open_answers")
def export_reports():
    """The current view of the report list as an Excel file, up to EXPORT_LIMIT rows (the ratings
    as numbers, the text guarded)."""
    rows = [[f.prefecture.name, f.point.enterprise.name, f.point.enterprise.credit_code, f.point.enterprise.county.name,
             periods.label(f.period), f.submitted_on.isoformat(), *f.ratings, f.mean,
             f.comment, f.incidents, f.complaint.case_no if f.complaint else ""]
            for f in listing.first_rows(_reports_view()[0], EXPORT_LIMIT)]
    return attachment(workbook_bytes([("测评点反馈", REPORT_HEADER, rows)]), XLSX_MIMETYPE, "feedback-reports.xlsx")


@bp.post("/<int:feedback_id>/complaint")
@permission_required("take_complaints")
def open_complaint(feedback_id: int):
    found = access.get_scoped_or_404(Feedback, feedback_id)
    opened, refusal = attempt(lambda: operations.open_complaint(found, current_user.id, today()))
    if refusal is not None:
        flash(refusal.message, "warning")
        return redirect(url_for("feedback.overview", period=found.period))
    case, code = opened
    db.session.commit()
    return complaints_views.new_case_page(case, code)


@bp.get("/missing")
@permission_required("handle_personal_links")
def missing():
    period = _period()
    reported = queries.reported_point_ids(period)
    pending = [p for p in queries.visible_active_points(period) if p.id not in reported]
    audit.note("view", f"feedback-missing:{period.code}")  # names, contacts and links of the points
    if request.args.get("format") == "csv":
        rows = [[p.enterprise.prefecture.name, p.enterprise.name, p.enterprise.contact_name,
                 p.enterprise.contact_phone, notices.point_link(p)] for p in pending]
        return attachment(csv_bytes(["市州", "企业", "联系人", "联系电话", "反馈链接"], rows),
                          CSV_MIMETYPE, f"feedback-missing-{period.code}.csv")
    return render_template("feedback/missing.html", period=period, pending=pending, link=notices.point_link)


@bp.post("/missing/remind")
@permission_required("handle_personal_links")
def remind():
    """The province reminds the points that have not reported on the period (mail and SMS, each
    with its own link; at most once a day per point and channel)."""
    period = _period_of(request.form.get("period", ""))
    written = notices.remind(queries.visible_active_points(period), period, "feedback_reminder", today().isoformat())
    db.session.commit()
    flash(f"已写入 {written} 条提醒（邮件、短信），由发送进程发出；今天已提醒过的不再重复。", "success")
    return redirect(url_for("feedback.missing", period=period.code))


@bp.get("/links")
@permission_required("handle_personal_links")
def links():
    audit.note("view", "feedback-links")
    points = queries.visible_active_points(periods.current(today(), operations.cadence()))
    return render_template("feedback/links.html", points=points, link=notices.point_link)


@bp.route("/hotlines", methods=["GET", "POST"])
@permission_required("use_staff_pages")
def hotlines():
    prefectures = registry_queries.visible_prefectures()
    current = queries.hotlines_by_prefecture()
    form = HotlineForm()
    code = request.values.get("prefecture")
    chosen = next((p for p in prefectures if p.code == code), None)
    if request.method == "POST":
        if chosen is None:
            abort(404)
        if not can("edit_prefecture_data"):
            abort(403)
        if form.validate_on_submit():
            _, refusal = attempt(lambda: operations.set_hotline(
                chosen.id, form.phone.data, form.person.data, form.office.data or ""), form)
            if refusal is None:
                db.session.commit()
                flash(f"已更新{chosen.name}的专用热线。", "success")
                return redirect(url_for("feedback.hotlines"))
    elif chosen is not None and chosen.id in current:
        hotline = current[chosen.id]
        form = HotlineForm(formdata=None, phone=hotline.phone, person=hotline.person, office=hotline.office)
    return render_template(
        "feedback/hotlines.html", prefectures=prefectures, current=current, form=form, chosen=chosen,
    ), (400 if form.errors else 200)

"""Feedback pages: the point's own link (``/f/<token>``), and the staff overview."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from investenv import access, audit
from investenv.auth import throttle
from investenv.errors import RuleError
from investenv.exporting import CSV_MIMETYPE, attachment, csv_bytes
from investenv.extensions import db
from investenv.forms import apply_rule_error, attempt, options
from investenv.permissions import can, permission_required
from investenv.registry.models import Enterprise, MonitoringPoint, Prefecture
from investenv.timeutil import today

from . import operations, periods
from .forms import FeedbackForm, HotlineForm
from .models import DIMENSIONS, Feedback, Hotline

public = Blueprint("point_feedback", __name__, url_prefix="/f")
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
    choices = [now, now.previous()]
    form = FeedbackForm()
    form.period.choices = options((p.code, p.label) for p in choices)
    status = 200
    if form.validate_on_submit():
        ratings = [getattr(form, f"d{i}").data for i in range(1, 6)]
        done = attempt(form, lambda: operations.submit(
            point, form.period.data, ratings, form.comment.data or "", form.incidents.data or "", today()))
        if done is not None:
            db.session.commit()
            return render_template("feedback/thanks.html", point=point,
                                   hotline=operations.hotline_for(point.enterprise.prefecture_id))
    if request.method == "POST":
        status = 400
    reported = {f.period for f in db.session.scalars(select(Feedback).where(Feedback.monitoring_point_id == point.id))}
    return render_template(
        "feedback/report.html", form=form, point=point, reported=reported, dimensions=DIMENSIONS,
        hotline=operations.hotline_for(point.enterprise.prefecture_id),
    ), status


def feedback_link(point: MonitoringPoint) -> str:
    base = current_app.config.get("BASE_URL") or request.url_root.rstrip("/")
    return f"{base}{url_for('point_feedback.report', token=point.feedback_token)}"


def _period() -> periods.Period:
    code = request.args.get("period")
    if not code:
        return periods.current(today(), operations.cadence())
    try:
        return operations.check_period(code, today())
    except ValueError:
        abort(404)


def _active_points(period: periods.Period):
    end = period.starts_on
    stmt = (
        access.scope(select(MonitoringPoint).join(MonitoringPoint.enterprise), Enterprise.prefecture_id)
        .where(MonitoringPoint.withdrawn_on.is_(None) | (MonitoringPoint.withdrawn_on > end))
        .options(selectinload(MonitoringPoint.enterprise))
        .order_by(Enterprise.prefecture_id, Enterprise.name)
    )
    return list(db.session.scalars(stmt))


@bp.get("/")
@permission_required("use_staff_pages")
def overview():
    period = _period()
    points = _active_points(period)
    reports = {
        f.monitoring_point_id: f
        for f in db.session.scalars(
            access.scope(select(Feedback), Feedback.prefecture_id).where(Feedback.period == period.code)
        )
    }
    prefectures = db.session.scalars(access.scope(select(Prefecture), Prefecture.id).order_by(Prefecture.code)).all()
    rows = []
    for prefecture in prefectures:
        mine = [p for p in points if p.enterprise.prefecture_id == prefecture.id]
        got = [reports[p.id] for p in mine if p.id in reports]
        means = [sum(f.ratings[i] for f in got) / len(got) for i in range(5)] if got else None
        rows.append({"prefecture": prefecture, "points": len(mine), "reported": len(got), "means": means})
    recent = db.session.scalars(
        access.scope(select(Feedback), Feedback.prefecture_id)
        .where(Feedback.period == period.code, (Feedback.incidents != "") | (Feedback.comment != ""))
        .order_by(Feedback.submitted_on.desc()).limit(50)
    ).all()
    choices = periods.of_year(period.year, operations.cadence())
    return render_template(
        "feedback/overview.html", period=period, rows=rows, recent=recent, dimensions=DIMENSIONS,
        choices=[p for p in choices if p.starts_on <= today()],
    )


@bp.post("/<int:feedback_id>/complaint")
@permission_required("take_complaints")
def open_complaint(feedback_id: int):
    found = access.get_scoped_or_404(Feedback, feedback_id)
    try:
        case, code = operations.open_complaint(found, current_user.id, today())
    except RuleError as exc:
        flash(exc.message, "warning")
        return redirect(url_for("feedback.overview", period=found.period))
    db.session.commit()
    session["new_case_code"] = (case.case_no, code)
    return redirect(url_for("complaints.case", case_no=case.case_no))


@bp.get("/missing")
@permission_required("edit_prefecture_data")
def missing():
    period = _period()
    reported = set(db.session.scalars(select(Feedback.monitoring_point_id).where(Feedback.period == period.code)))
    pending = [p for p in _active_points(period) if p.id not in reported]
    if request.args.get("format") == "csv":
        rows = [[p.enterprise.prefecture.name, p.enterprise.name, p.enterprise.contact_name,
                 p.enterprise.contact_phone, feedback_link(p)] for p in pending]
        return attachment(csv_bytes(["市州", "企业", "联系人", "联系电话", "反馈链接"], rows),
                          CSV_MIMETYPE, f"feedback-missing-{period.code}.csv")
    return render_template("feedback/missing.html", period=period, pending=pending, link=feedback_link)


@bp.get("/links")
@permission_required("edit_prefecture_data")
def links():
    audit.note("view", "feedback-links")
    points = _active_points(periods.current(today(), operations.cadence()))
    return render_template("feedback/links.html", points=points, link=feedback_link)


@bp.route("/hotlines", methods=["GET", "POST"])
@permission_required("use_staff_pages")
def hotlines():
    prefectures = db.session.scalars(access.scope(select(Prefecture), Prefecture.id).order_by(Prefecture.code)).all()
    current = {h.prefecture_id: h for h in db.session.scalars(select(Hotline))}
    form = HotlineForm()
    code = request.values.get("prefecture")
    chosen = next((p for p in prefectures if p.code == code), None)
    if request.method == "POST":
        if chosen is None:
            abort(404)
        if not can("edit_prefecture_data"):
            abort(403)
        if form.validate_on_submit():
            try:
                operations.set_hotline(chosen.id, form.phone.data, form.person.data, form.office.data or "")
            except RuleError as exc:
                apply_rule_error(form, exc)
            else:
                db.session.commit()
                flash(f"已更新{chosen.name}的专用热线。", "success")
                return redirect(url_for("feedback.hotlines"))
    elif chosen is not None and chosen.id in current:
        hotline = current[chosen.id]
        form = HotlineForm(formdata=None, phone=hotline.phone, person=hotline.person, office=hotline.office)
    return render_template(
        "feedback/hotlines.html", prefectures=prefectures, current=current, form=form, chosen=chosen,
    ), (400 if form.errors else 200)

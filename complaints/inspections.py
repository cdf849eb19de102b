"""The inspection register (检查外来投资企业申报制度) and reports of unregistered inspections."""
from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import select

from investenv import access
from investenv.access import STAFF, roles_required
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.forms import attempt
from investenv.registry.credit_code import normalise
from investenv.registry.models import Enterprise
from investenv.timeutil import today

from . import operations
from .cases import CENTRE, HANDLERS
from .forms import InspectionForm, InspectionReportForm
from .models import Complaint, Inspection
from .routes import bp


def _enterprise(code: str) -> Enterprise:
    stmt = access.scope(select(Enterprise).where(Enterprise.credit_code == normalise(code)), Enterprise.prefecture_id)
    enterprise = db.session.scalar(stmt)
    if enterprise is None:
        raise RuleError("企业名录中没有这个统一社会信用代码。", field="credit_code")
    return enterprise


def _page(register=None, report=None, status=200):
    inspections = db.session.scalars(
        access.scope(select(Inspection), Inspection.prefecture_id).order_by(Inspection.planned_on.desc()).limit(200)
    ).all()
    reported = db.session.scalars(
        access.scope(select(Complaint), Complaint.prefecture_id).where(Complaint.category == "inspection")
        .order_by(Complaint.received_on.desc()).limit(200)
    ).all()
    return render_template("complaints/inspections.html", inspections=inspections, reported=reported,
                           register=register or InspectionForm(formdata=None, planned_on=today()),
                           report=report or InspectionReportForm(formdata=None, occurred_on=today())), status


@bp.get("/complaints/inspections")
@roles_required(*STAFF)
def inspections():
    return _page()


@bp.post("/complaints/inspections")
@roles_required(*HANDLERS)
def register_inspection():
    form = InspectionForm()
    if form.validate_on_submit():
        done = attempt(form, lambda: operations.register_inspection(
            _enterprise(form.credit_code.data), form.department.data, form.reason.data, form.planned_on.data,
            form.inspectors.data, form.notice_no.data, current_user.id))
        if done is not None:
            db.session.commit()
            flash(f"已登记检查，通知单 {done.notice_no}。", "success")
            return redirect(url_for("complaints.inspections"))
    return _page(register=form, status=400)


@bp.post("/complaints/inspections/report")
@roles_required(*CENTRE)
def report_inspection():
    form = InspectionReportForm()
    if form.validate_on_submit():
        def report():
            enterprise = _enterprise(form.credit_code.data)
            inspection = None
            if form.notice_no.data:
                inspection = db.session.scalar(select(Inspection).where(Inspection.notice_no == form.notice_no.data.strip()))
            return operations.report_inspection(enterprise, form.department.data, form.occurred_on.data,
                                                form.description.data, inspection, current_user.id, today())

        done = attempt(form, report)
        if done is not None:
            case, code = done
            db.session.commit()
            session["new_case_code"] = (case.case_no, code)
            return redirect(url_for("complaints.case", case_no=case.case_no))
    return _page(report=form, status=400)

"""Complaint pages.  So far: the administration of the working-day calendar."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from investenv.access import roles_required
from investenv.auth.models import Role
from investenv.extensions import db
from investenv.forms import attempt
from investenv.timeutil import today

from . import calendar_store, operations
from .forms import CalendarYearForm
from .models import CalendarDay, CalendarYear

bp = Blueprint("complaints", __name__)


@bp.route("/admin/calendar", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def calendar():
    form = CalendarYearForm()
    if form.is_submitted() and form.validate():
        entered = attempt(form, lambda: calendar_store.enter_year(
            form.year.data, form.holidays.data, form.workdays.data or "", form.source.data, current_user.username))
        if entered is not None:
            fixed = operations.recompute_deadlines()
            db.session.commit()
            flash(f"已录入 {entered.year} 年的节假日安排，{fixed} 件案件的期限已重新计算。", "success")
            return redirect(url_for("complaints.calendar"))
    elif not form.is_submitted():
        form.year.data = today().year + 1
    years = db.session.scalars(select(CalendarYear).order_by(CalendarYear.year.desc())).all()
    counts = dict(db.session.execute(
        select(func.extract("year", CalendarDay.day), func.count()).group_by(func.extract("year", CalendarDay.day))
    ).all())
    next_year = today().year + 1
    return render_template(
        "complaints/calendar.html", form=form, years=years, counts={int(k): v for k, v in counts.items()},
        missing_next=next_year if next_year not in {y.year for y in years} else None,
    ), (400 if form.errors else 200)

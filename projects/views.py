"""Project-ledger pages (``/projects/``): the ledger with filters, a project's page and timeline,
the monthly report, unfulfilled projects, problems, the province's overview and targets, imports."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

import complaints.views as complaints_views
from investenv import access, audit, import_errors, numbers
from investenv.errors import RuleError
from investenv.exporting import CSV_MIMETYPE, XLSX_MIMETYPE, attachment
from investenv.extensions import db
from investenv.forms import apply_rule_error, attempt, options
from investenv.permissions import can, permission_required
from investenv.registry import queries as registry_queries
from investenv.registry.forms import county_choices
from investenv.tabular import TableError
from investenv.timeutil import today
from investenv.web import number_arg
from scoring import projects as kpis

from . import bundle, operations, periods, queries, report
from .forms import (
    PROBLEM_ROWS,
    ImportForm,
    ProjectForm,
    ReviewForm,
    StageForm,
    TargetForm,
    UnfulfilledForm,
    monthly_form,
)
from .models import Problem, Project, UnfulfilledReport
from .periods import Period
from .vocabulary import INDUSTRIES, MILESTONES, STAGES

bp = Blueprint("projects", __name__, url_prefix="/projects")


def _year() -> int:
    return number_arg("year", numbers.YEAR, default=today().year)


def _period(year: int) -> Period:
    """The period the query string chooses: ``month`` or ``quarter`` of ``year``, else the year to date."""
    return Period.of(year, number_arg("month", periods.MONTH), number_arg("quarter", periods.QUARTER))


@bp.get("/")
@permission_required("use_staff_pages")
def projects():
    filters = {key: request.args.get(key, "").strip()[:40] for key in ("prefecture", "stage", "industry", "outside", "q")}
    found = queries.visible_projects(filters["prefecture"], filters["stage"], filters["industry"], filters["outside"],
                                     filters["q"])
    return render_template("projects/list.html", projects=found, filters=filters, stages=STAGES, industries=INDUSTRIES,
                           prefectures=registry_queries.visible_prefectures(), limit=queries.LIST_LIMIT)


def _project_data(form: ProjectForm) -> operations.ProjectData | None:
    """The form's project, or None with the reasons shown on the form."""
    ok = form.validate()
    county = registry_queries.county_by_code(form.county.data or "")
    if county is None or not access.may_see_prefecture(county.prefecture_id):
        apply_rule_error(form, RuleError("请选择本市州的县市区。", field="county"))
        return None
    enterprise = None
    if (form.credit_code.data or "").strip():
        enterprise = registry_queries.visible_enterprise_by_credit_code(form.credit_code.data)
        if enterprise is None:
            apply_rule_error(form, RuleError("企业名录中没有这个统一社会信用代码。", field="credit_code"))
            return None
    if not ok:
        return None
    return operations.ProjectData(
        name=form.name.data, prefecture=county.prefecture, county=county, enterprise=enterprise,
        investor=form.investor.data or (enterprise.name if enterprise else ""),
        origin_province=form.origin_province.data or (enterprise.origin_province if enterprise else ""),
        origin_city=form.origin_city.data or (enterprise.origin_city if enterprise else ""),
        industry=form.industry.data, sector=form.sector.data or "", park=form.park.data or "",
        stage=form.stage.data if "stage" in form else "", stage_on=form.stage_on.data if "stage_on" in form else today(),
        signed_on=form.signed_on.data, venue=form.venue.data or "",
        contract_investment=form.contract_investment.data, contract_funds=form.contract_funds.data,
        due={key: getattr(form, f"due_{key}").data for key in MILESTONES},
        leader=form.leader.data or "", department=form.department.data or "", follow_up=form.follow_up.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required("edit_projects")
def new_project():
    form = ProjectForm()
    form.county.choices = county_choices("请选择")
    if form.is_submitted():
        data = _project_data(form)
        if data is not None:
            project, _ = attempt(lambda: operations.create_project(data, current_user.id, today()), form)
            if project is not None:
                db.session.commit()
                flash(f"已登记项目 {project.code}。", "success")
                return redirect(url_for("projects.project", project_id=project.id))
        return render_template("projects/form.html", form=form, milestones=MILESTONES), 400
    form.stage_on.data = today()
    return render_template("projects/form.html", form=form, milestones=MILESTONES)


def _edit_form(project: Project) -> ProjectForm:
    """The project form without the stage (changed on the project page), filled from ``project``
    unless a form was posted."""
    form = ProjectForm(obj=project)
    del form.stage
    del form.stage_on
    form.county.choices = county_choices("请选择")
    if not form.is_submitted():
        form.county.data = project.county.code
        form.credit_code.data = project.enterprise.credit_code if project.enterprise else ""
    return form


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@permission_required("edit_projects")
def edit_project(project_id: int):
    found = access.get_scoped_or_404(Project, project_id)
    form = _edit_form(found)
    if form.is_submitted():
        data = _project_data(form)
        if data is not None:
            changes, _ = attempt(lambda: operations.update_project(found, data, today()), form)
            if changes is not None:
                db.session.commit()
                if changes:
                    audit.note(queries.EDITED, f"{found.code} " + "；".join(changes))
                flash(f"已保存项目 {found.code}。" if changes else "没有改动。", "success")
                return redirect(url_for("projects.project", project_id=found.id))
        return render_template("projects/form.html", form=form, milestones=MILESTONES, project=found), 400
    return render_template("projects/form.html", form=form, milestones=MILESTONES, project=found)


def _render_project(project: Project, stage_form: StageForm, status: int = 200):
    facts = queries.project_facts(project, today())
    return render_template(
        "projects/project.html", project=project, timeline=queries.timeline(project), facts=facts,
        overdue=[MILESTONES[m][0] for m in facts.overdue(today())], unfulfilled=facts.unfulfilled(today()),
        stalled=facts.stalled(today()), stage_form=stage_form, milestones=MILESTONES,
        report=queries.unfulfilled_report(project.id),
    ), status


@bp.get("/<int:project_id>")
@permission_required("use_staff_pages")
def project(project_id: int):
    found = access.get_scoped_or_404(Project, project_id)
    form = StageForm(formdata=None, reached_on=today())
    return _render_project(found, form)


@bp.post("/<int:project_id>/stage")
@permission_required("edit_projects")
def change_stage(project_id: int):
    found = access.get_scoped_or_404(Project, project_id)
    form = StageForm()
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.change_stage(
            found, form.stage.data, form.reached_on.data, form.note.data or "", current_user.id, today()), form)
        if refusal is None:
            db.session.commit()
            flash(f"已记录：{STAGES[form.stage.data]}。", "success")
            return redirect(url_for("projects.project", project_id=found.id))
    return _render_project(found, form, 400)


def _month_prefecture():
    """The prefecture a monthly report is for: the user's own, or the one a provincial user chose."""
    own = access.own_prefecture_id()
    prefectures = registry_queries.visible_prefectures()
    code = request.values.get("prefecture", "")
    if own is not None:
        return next(p for p in prefectures if p.id == own), prefectures
    return next((p for p in prefectures if p.code == code), None), prefectures


@bp.route("/monthly", methods=["GET", "POST"])
@permission_required("use_staff_pages")
def monthly():
    prefecture, prefectures = _month_prefecture()
    month = operations.Month.of(today())
    if prefecture is None:
        return render_template("projects/monthly.html", prefecture=None, prefectures=prefectures, month=month)
    projects_ = queries.reportable_projects(prefecture.id)
    form = monthly_form(projects_, [(str(p.id), f"{p.code} {p.name}") for p in projects_])
    status = 200
    if request.method == "POST":
        if not can("edit_projects"):
            abort(403)
        status = 400
        if form.validate_on_submit():
            by_id = {str(p.id): p for p in projects_}
            lines = [operations.MonthLine(p, getattr(form, f"funds_{p.id}").data, getattr(form, f"stage_{p.id}").data or "",
                                          getattr(form, f"stage_on_{p.id}").data) for p in projects_]
            lines = [line for line in lines if line.amount is not None or line.stage]
            problems = [operations.ProblemData(by_id[getattr(form, f"problem_{n}").data], getattr(form, f"problem_{n}_kind").data,
                                               getattr(form, f"problem_{n}_text").data or "",
                                               getattr(form, f"problem_{n}_help").data or "")
                        for n in range(1, PROBLEM_ROWS + 1) if getattr(form, f"problem_{n}").data in by_id]
            report, _ = attempt(lambda: operations.file_monthly_report(
                prefecture, form.month.data, lines, problems, form.remarks.data or "", current_user.id, today()), form)
            if report is not None:
                db.session.commit()
                flash(f"已报送{prefecture.name}{report.month}月报。", "success")
                return redirect(url_for("projects.monthly", prefecture=prefecture.code, month=report.month))
    else:
        form.month.data = request.args.get("month", month.code)[:7]
    filed = queries.monthly_report(prefecture.id, form.month.data or "")
    return render_template("projects/monthly.html", prefecture=prefecture, prefectures=prefectures, month=month,
                           form=form, projects=projects_, filed=filed, problem_rows=PROBLEM_ROWS), status


@bp.get("/problems")
@permission_required("use_staff_pages")
def problems():
    show_all = request.args.get("all") == "1"
    return render_template("projects/problems.html", problems=queries.visible_problems(open_only=not show_all),
                           show_all=show_all)


def _problem_action(problem_id: int, action):
    found = access.get_scoped_or_404(Problem, problem_id)
    _, refusal = attempt(lambda: action(found))
    if refusal is not None:
        flash(refusal.message, "warning")
    else:
        db.session.commit()
        flash("已保存。", "success")
    return redirect(url_for("projects.problems"))


@bp.post("/problems/<int:problem_id>/escalate")
@permission_required("coordinate_projects")
def escalate(problem_id: int):
    return _problem_action(problem_id, lambda p: operations.escalate(p, current_user.id, today()))


@bp.post("/problems/<int:problem_id>/resolve")
@permission_required("edit_projects")
def resolve(problem_id: int):
    return _problem_action(problem_id, lambda p: operations.resolve(p, today()))


@bp.post("/problems/<int:problem_id>/complaint")
@permission_required("take_complaints")
def problem_complaint(problem_id: int):
    found = access.get_scoped_or_404(Problem, problem_id)
    opened, refusal = attempt(lambda: operations.open_complaint(found, current_user.id, today()))
    if refusal is not None:
        flash(refusal.message, "warning")
        return redirect(url_for("projects.problems"))
    case, code = opened
    db.session.commit()
    return complaints_views.new_case_page(case, code)


@bp.get("/unfulfilled")
@permission_required("use_staff_pages")
def unfulfilled():
    day = today()
    prefectures = registry_queries.visible_prefectures()
    flagged = [f for f in queries.facts(day.year, day, {p.id for p in prefectures}) if f.unfulfilled(day)]
    found = queries.visible_projects_by_code({f.code for f in flagged})
    reports = queries.visible_unfulfilled_reports()
    rows = [(found[f.code], f, reports.get(found[f.code].id)) for f in flagged if f.code in found]
    return render_template("projects/unfulfilled.html", rows=rows, day=day, milestones=MILESTONES)


@bp.route("/<int:project_id>/unfulfilled", methods=["GET", "POST"])
@permission_required("edit_projects")
def unfulfilled_report(project_id: int):
    found = access.get_scoped_or_404(Project, project_id)
    form = UnfulfilledForm()
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.file_unfulfilled(
            found, form.reason.data, form.responsibility.data, form.measures.data or "", current_user.id, today()), form)
        if refusal is None:
            db.session.commit()
            flash("已报送未履约项目报告。", "success")
            return redirect(url_for("projects.project", project_id=found.id))
    return render_template("projects/unfulfilled_form.html", project=found, form=form,
                           report=queries.unfulfilled_report(found.id)), (400 if request.method == "POST" else 200)


@bp.post("/unfulfilled/<int:report_id>/review")
@permission_required("coordinate_projects")
def review(report_id: int):
    found = access.get_scoped_or_404(UnfulfilledReport, report_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    _, refusal = attempt(lambda: operations.review_unfulfilled(
        found, form.decision.data == "accept", form.note.data or "", current_user.id, today()))
    if refusal is not None:
        flash(refusal.message, "warning")
    else:
        db.session.commit()
        flash("已审核。", "success")
    return redirect(url_for("projects.unfulfilled"))


@bp.get("/overview")
@permission_required("use_staff_pages")
def overview():
    year = _year()
    period = _period(year)
    day = period.day(today())
    prefectures, goals = registry_queries.visible_prefectures(), queries.goals(year)
    rows, total = queries.prefecture_kpis(year, day, prefectures, goals)
    reported = queries.reported_months(year)
    due_months = [f"{year}-{m:02d}" for m in range(1, 13) if operations.Month(year, m).last < day]
    late = {p.id: [m for m in due_months if m not in reported.get(p.id, set())] for p in prefectures}
    return render_template(
        "projects/overview.html", year=year, period=period, day=day, months=range(1, 13), quarters=periods.QUARTER_NAMES,
        tables=report.overview_rows(prefectures, rows, total, late, year,
                                    kpis.assessment(rows) if access.own_prefecture_id() is None else None),
        rates=kpis.RATES, targets=kpis.TARGETS, industries=INDUSTRIES, sizes=[label for label, _ in kpis.SIZE_BANDS],
        stalled_count=total.stalled, stalled=_named(queries.stalled(day, prefectures, STALLED_SHOWN)), note=kpis.NOTE,
        by_code={p.code: p for p in prefectures}, stall_days=kpis.STALL_DAYS,
    )


STALLED_SHOWN = 20     # on the overview
STALLED_LISTED = 200   # on the stalled-projects list, which filters by prefecture


def _named(facts: list) -> list:
    """``(project, facts)`` pairs of the projects the user may see."""
    names = queries.visible_projects_by_code({f.code for f in facts})
    return [(names[f.code], f) for f in facts if f.code in names]


@bp.get("/stalled")
@permission_required("use_staff_pages")
def stalled():
    """The stalled projects of the period (the quarter's 督查 list), by prefecture and code."""
    year = _year()
    period = _period(year)
    day = period.day(today())
    prefectures = registry_queries.visible_prefectures()
    code = request.args.get("prefecture", "").strip()[:6]
    chosen = [p for p in prefectures if p.code == code] if code else prefectures
    _, total = queries.prefecture_kpis(year, day, chosen, {})
    return render_template("projects/stalled.html", year=year, period=period, day=day, months=range(1, 13),
                           quarters=periods.QUARTER_NAMES, prefectures=prefectures, chosen=code,
                           count=total.stalled, stalled=_named(queries.stalled(day, chosen, STALLED_LISTED)),
                           stall_days=kpis.STALL_DAYS)


@bp.get("/overview/<year:year>.<fmt>")
@permission_required("use_staff_pages")
def overview_report(year: int, fmt: str):
    """The 调度 statistics with the stalled projects and the open problems (the quarter's 督查 list)."""
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    period = _period(year)
    day = period.day(today())
    prefectures = registry_queries.visible_prefectures()
    rows, total = queries.prefecture_kpis(year, day, prefectures, queries.goals(year))
    stalled = queries.stalled(day, prefectures)
    data = (prefectures, stalled, rows, total, queries.visible_projects_by_code({f.code for f in stalled}),
            queries.visible_problems(at=day))
    if fmt == "pdf":
        return attachment(report.pdf(period, day, *data), "application/pdf", f"projects-{period.slug}.pdf")
    return attachment(report.workbook(period, day, *data), XLSX_MIMETYPE, f"projects-{period.slug}.xlsx")


@bp.route("/targets/<year:year>", methods=["GET", "POST"])
@permission_required("set_project_targets")
def targets(year: int):
    prefectures = registry_queries.visible_prefectures()
    form = TargetForm()
    form.prefecture.choices = options((p.code, p.name) for p in prefectures)
    status = 200
    if request.method == "POST":
        status = 400
        chosen = next((p for p in prefectures if p.code == form.prefecture.data), None)
        if chosen is None:
            apply_rule_error(form, RuleError("请选择市州。", field="prefecture"))
        elif form.validate_on_submit():
            _, refusal = attempt(lambda: operations.set_target(
                chosen, year, form.funds.data, form.projects.data, form.large_projects.data), form)
            if refusal is None:
                db.session.commit()
                flash(f"已设定{chosen.name}{year}年目标。", "success")
                return redirect(url_for("projects.targets", year=year))
    return render_template("projects/targets.html", year=year, form=form, prefectures=prefectures,
                           current=queries.targets(year)), status


@bp.route("/import", methods=["GET", "POST"])
@permission_required("edit_projects")
def import_file():
    form = ImportForm()
    errors, file_error, done, status = [], None, None, 200
    if form.validate_on_submit():
        run, data = bundle.IMPORTS[form.kind.data], form.file.data.read()
        try:
            count, errors = run(data, current_app.config["UPLOAD_MAX_BYTES"],
                                access.own_prefecture_id(), current_user.id, today())
        except TableError as exc:
            file_error, status = str(exc), 400
        else:
            if errors:
                db.session.rollback()
                status = 400
                errors = import_errors.named(errors, data, bundle.TEMPLATES[form.kind.data],
                                             current_app.config["UPLOAD_MAX_BYTES"], ("name", "project_code"))
            else:
                db.session.commit()
                done = f"导入完成：{count} 行。"
    elif request.method == "POST":
        status = 400
    return render_template("projects/import.html", form=form, errors=errors, file_error=file_error, done=done,
                           errors_token=import_errors.token(errors, form.kind.data, current_user.id) if errors else "",
                           templates=bundle.TEMPLATES), status


@bp.get("/import/<kind>-template.<fmt>")
@permission_required("edit_projects")
def import_template(kind: str, fmt: str):
    if kind not in bundle.TEMPLATES or fmt not in ("csv", "xlsx"):
        abort(404)
    body = bundle.template(kind, fmt)
    return attachment(body, CSV_MIMETYPE if fmt == "csv" else XLSX_MIMETYPE, f"{kind}-template.{fmt}")

"""Registry pages: compliance overview, prefectures, enterprises, monitoring points, import."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from .. import access, audit, import_errors, listing, numbers
from ..errors import RuleError
from ..exporting import CSV_MIMETYPE, XLSX_MIMETYPE, attachment, csv_bytes, workbook_bytes, xlsx_bytes
from ..extensions import db
from ..forms import apply_rule_error, attempt
from ..permissions import permission_required
from ..tabular import TableError
from ..timeutil import today
from ..web import number_arg
from . import compliance, importer, operations, queries
from .codes import INDUSTRIES
from .forms import (
    EnterpriseForm,
    FilingForm,
    ImportForm,
    MonitoringPointForm,
    WithdrawForm,
    county_choices,
)
from .models import Enterprise, FilingStatus

bp = Blueprint("registry", __name__, url_prefix="/registry")
PAGE_SIZE = 50


def _year() -> int:
    return number_arg("year", numbers.YEAR) or today().year


def _own_ids() -> set[int] | None:
    pid = access.own_prefecture_id()
    return None if pid is None else {pid}


@bp.get("/")
@permission_required("use_staff_pages")
def overview():
    year = _year()
    rows = compliance.prefecture_compliance(db.session, year, _own_ids())
    return render_template(
        "registry/overview.html",
        rows=rows,
        year=year,
        deadline=compliance.deadline(year),
        minimum=compliance.MINIMUM_POINTS,
    )


@bp.get("/prefectures/<code>")
@permission_required("use_staff_pages")
def prefecture(code: str):
    found = queries.prefecture_by_code(code)
    if found is None or not access.may_see_prefecture(found.id):
        abort(404)
    audit.note("view", f"prefecture:{found.code}")  # lists its enterprises and monitoring points
    year = _year()
    (entry,) = compliance.prefecture_compliance(db.session, year, {found.id})
    return render_template(
        "registry/prefecture.html",
        prefecture=found,
        entry=entry,
        enterprises=queries.enterprises_of(found),
        year=year,
        deadline=compliance.deadline(year),
        minimum=compliance.MINIMUM_POINTS,
    )


def _enterprise_view() -> dict[str, str]:
    """The enterprise list's filters and sort as the query string gives them (search text,
    prefecture, points only, sort): what its links and its download keep."""
    sort, descending = queries.ENTERPRISE_SORTS.read()
    return listing.kept(q=request.args.get("q", "").strip(), prefecture=request.args.get("prefecture", ""),
                        points="1" if request.args.get("points") else "") | queries.ENTERPRISE_SORTS.args(sort, descending)


def _enterprise_query():
    """The enterprise list the query string asks for."""
    sort, descending = queries.ENTERPRISE_SORTS.read()
    return queries.visible_enterprises(request.args.get("q", "").strip(), request.args.get("prefecture", ""),
                                       bool(request.args.get("points")), sort, descending)


@bp.get("/enterprises")
@permission_required("use_staff_pages")
def enterprises():
    audit.note("view", f"enterprise-list:{request.query_string.decode(errors='replace')}")
    stmt = _enterprise_query()
    page = listing.page_of(stmt, listing.count(stmt), listing.page_arg(), PAGE_SIZE)
    sort, descending = queries.ENTERPRISE_SORTS.read()
    return render_template("registry/enterprises.html", page=page, prefectures=queries.visible_prefectures(),
                           args=_enterprise_view(), sorts=queries.ENTERPRISE_SORTS.labels, sort=sort,
                           descending=descending)


@bp.get("/enterprises/export.<fmt>")
@permission_required("use_staff_pages")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = [
        [
            e.name, e.credit_code, e.prefecture.name, e.county.name, e.origin_province,
            e.origin_city, e.industry or "", e.contact_name, e.contact_phone,
            "是" if e.monitoring_point and e.monitoring_point.withdrawn_on is None else "否",
            e.monitoring_point.registered_on.isoformat() if e.monitoring_point else "", e.contact_email,
        ]
        for e in db.session.scalars(_enterprise_query())
    ]
    header = [c.label for c in importer.COLUMNS]
    if fmt == "csv":
        body, mimetype = csv_bytes(header, rows), CSV_MIMETYPE
    else:
        body, mimetype = xlsx_bytes("企业登记", header, rows), XLSX_MIMETYPE
    return attachment(body, mimetype, f"enterprises.{fmt}")


def _save_enterprise(form: EnterpriseForm, enterprise: Enterprise | None) -> Enterprise | None:
    """Validate the submitted form fully (every field's error at once) and save it if valid."""
    form_ok = form.validate()
    data, errors = operations.clean_enterprise(
        form.values(), operations.Divisions(db.session), access.own_prefecture_id()
    )
    for key, message in errors.items():
        field = "county" if key == "prefecture" else key
        if not getattr(form, field).errors:
            apply_rule_error(form, RuleError(message, field=field))
    if not form_ok or data is None:
        return None

    def save() -> Enterprise:
        if enterprise is None:
            return operations.create_enterprise(data, access.own_prefecture_id())
        operations.update_enterprise(enterprise, data, int(form.version.data or 0), access.own_prefecture_id())
        return enterprise

    saved, _ = attempt(save, form)
    return saved


@bp.route("/enterprises/new", methods=["GET", "POST"])
@permission_required("edit_prefecture_data")
def new_enterprise():
    form = EnterpriseForm()
    form.county.choices = county_choices("请选择")
    if form.is_submitted():
        enterprise = _save_enterprise(form, None)
        if enterprise is not None:
            db.session.commit()
            flash(f"已登记 {enterprise.name}。", "success")
            return redirect(url_for("registry.enterprise", enterprise_id=enterprise.id))
    return render_template("registry/enterprise_form.html", form=form, enterprise=None)


@bp.route("/enterprises/<int:enterprise_id>/edit", methods=["GET", "POST"])
@permission_required("edit_prefecture_data")
def edit_enterprise(enterprise_id: int):
    enterprise = access.get_scoped_or_404(Enterprise, enterprise_id)
    audit.note("view", f"enterprise-edit:{enterprise.credit_code}")
    form = EnterpriseForm(obj=enterprise)
    form.county.choices = county_choices("请选择")
    if not form.is_submitted():
        form.county.data = enterprise.county.code
        form.industry.data = enterprise.industry or ""
        form.version.data = str(enterprise.version)
    elif _save_enterprise(form, enterprise) is not None:
        db.session.commit()
        flash("已保存。", "success")
        return redirect(url_for("registry.enterprise", enterprise_id=enterprise.id))
    status = 409 if any("已被其他人修改" in e for e in form.form_errors) else 200
    return render_template("registry/enterprise_form.html", form=form, enterprise=enterprise), status


@bp.get("/enterprises/<int:enterprise_id>")
@permission_required("use_staff_pages")
def enterprise(enterprise_id: int):
    found = access.get_scoped_or_404(Enterprise, enterprise_id)
    audit.note("view", f"enterprise:{found.credit_code}")
    return render_template(
        "registry/enterprise.html",
        enterprise=found,
        industries=INDUSTRIES,
        point_form=MonitoringPointForm(registered_on=today()),
        filing_form=FilingForm(
            filing_status=found.monitoring_point.filing_status if found.monitoring_point else None
        ),
        withdraw_form=WithdrawForm(withdrawn_on=today()),
    )


def _rerender_enterprise(found: Enterprise, **forms):
    defaults = {
        "point_form": MonitoringPointForm(formdata=None, registered_on=today()),
        "filing_form": FilingForm(formdata=None),
        "withdraw_form": WithdrawForm(formdata=None, withdrawn_on=today()),
    }
    return render_template(
        "registry/enterprise.html", enterprise=found, industries=INDUSTRIES, **(defaults | forms)
    ), 400


def _point_action(enterprise_id: int, form_name: str, form, action, done: str, needs_point: bool = True):
    """Run a monitoring-point operation from its form; re-render the page with errors if refused."""
    found = access.get_scoped_or_404(Enterprise, enterprise_id)
    if needs_point and found.monitoring_point is None:
        abort(404)
    if form.validate_on_submit():
        _, refusal = attempt(lambda: action(found, form), form)
        if refusal is None:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("registry.enterprise", enterprise_id=found.id))
    return _rerender_enterprise(found, **{form_name: form})


@bp.post("/enterprises/<int:enterprise_id>/monitoring-point")
@permission_required("edit_prefecture_data")
def register_point(enterprise_id: int):
    def register(found, form):
        operations.register_monitoring_point(found, form.registered_on.data, form.note.data or "")

    return _point_action(
        enterprise_id, "point_form", MonitoringPointForm(), register,
        "已登记为测评点，待省经协办备案。", needs_point=False,
    )


@bp.post("/enterprises/<int:enterprise_id>/monitoring-point/filing")
@permission_required("file_monitoring_points")
def set_filing(enterprise_id: int):
    def file(found, form):
        status = FilingStatus(form.filing_status.data)
        operations.set_filing_status(found.monitoring_point, status, today())

    return _point_action(enterprise_id, "filing_form", FilingForm(), file, "备案状态已更新。")


@bp.post("/enterprises/<int:enterprise_id>/monitoring-point/withdraw")
@permission_required("edit_prefecture_data")
def withdraw_point(enterprise_id: int):
    def withdraw(found, form):
        operations.withdraw_monitoring_point(found.monitoring_point, form.withdrawn_on.data)

    return _point_action(enterprise_id, "withdraw_form", WithdrawForm(), withdraw, "测评点已撤销。")


@bp.route("/import", methods=["GET", "POST"])
@permission_required("edit_prefecture_data")
def import_file():
    form = ImportForm()
    report, errors, file_error, status = None, [], None, 200
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            report = importer.import_enterprises(
                data,
                current_app.config["UPLOAD_MAX_BYTES"],
                access.own_prefecture_id(),
                form.update_existing.data,
            )
        except TableError as exc:
            file_error, status = str(exc), 400
        else:
            if report.errors:
                db.session.rollback()
                status = 400
                errors = import_errors.named(report.errors, data, importer.COLUMNS,
                                             current_app.config["UPLOAD_MAX_BYTES"], ("name", "credit_code"))
            else:
                db.session.commit()
    elif request.method == "POST":
        status = 400
    return render_template(
        "registry/import.html", form=form, report=report, file_error=file_error, errors=errors,
        errors_token=import_errors.token(errors, "enterprises", current_user.id) if errors else "",
        columns=importer.COLUMNS, help=importer.HELP,
    ), status


@bp.post("/import/errors.xlsx")
@permission_required("use_staff_pages")
def import_error_list():
    """The error list of a refused import, of any import page (its page carries the list, signed for
    this user: investenv/import_errors.py), as Excel."""
    try:
        kind, rows = import_errors.read_token(request.form.get("errors", ""), current_user.id)
    except ValueError:
        abort(400)
    return attachment(workbook_bytes([("错误清单", import_errors.HEADER, rows)]), XLSX_MIMETYPE,
                      f"import-errors-{kind}.xlsx")


@bp.get("/import/template.<fmt>")
@permission_required("edit_prefecture_data")
def import_template(fmt: str):
    if fmt == "csv":
        return attachment(importer.template_csv(), CSV_MIMETYPE, "enterprise-template.csv")
    if fmt == "xlsx":
        return attachment(importer.template_xlsx(), XLSX_MIMETYPE, "enterprise-template.xlsx")
    abort(404)


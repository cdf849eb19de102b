"""The annual evaluation's pages.

The ranking (``/evaluation/<year>``), the drill-down, the dashboard and the downloads show the
year's *published* version, read from its stored run; the live ranking of the current data is the
office's separate preview (``/evaluation/<year>/preview``).  The office runs and publishes the
year (runs are jobs), prefectures request reviews of their own result within the window and the
office answers them; a correction is a new version, and the versions page shows who moved and why.

Prefecture staff see the published ranking table (rank, composite and intervals: the bulletin
names every rank) and only their own prefecture's drill-down and requests for review.
"""
from __future__ import annotations

from collections import OrderedDict

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from complaints import calendar_store, measures
from investenv import access, audit, numbers
from investenv.extensions import db
from investenv.forms import attempt
from investenv.jobs.views import start as start_job
from investenv.permissions import can, permission_required
from investenv.registry import queries as registry_queries
from investenv.timeutil import today
from investenv.web import number_arg
from scoring.evaluate import Evaluation
from scoring.method import LABELS, load
from survey import questionnaire

from . import comparison, operations, queries, runs
from .forms import AnswerForm, ObjectionForm, PublishForm
from .models import EvaluationRun, Objection
from .service import evaluate_year, report_data

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")


def _year() -> int:
    return number_arg("year", numbers.YEAR) or today().year


def _own_code() -> str | None:
    """The prefecture the user is confined to (None for the office)."""
    return current_user.prefecture.code if access.own_prefecture_id() is not None else None


def _may_see(code: str) -> bool:
    own = _own_code()
    return own is None or own == code


def _run_or_404(run_id: int) -> EvaluationRun:
    return db.session.get(EvaluationRun, run_id) or abort(404)


@bp.get("/")
@permission_required("view_published_evaluation")
def index():
    return redirect(url_for("evaluation.ranking", year=_year()))


# The ranking tables of published versions, by (fingerprint, year, office, own prefecture): at 333
# units the table is most of a page's time, and a published version never changes.
_TABLES: OrderedDict[tuple, Markup] = OrderedDict()
KEPT_TABLES = 32


def _table(year: int, evaluation: Evaluation, run: EvaluationRun | None, office: bool, own: str | None) -> Markup:
    key = run and (run.fingerprint, year, office, own)
    found = _TABLES.get(key) if key else None
    if found is None:
        found = Markup(render_template("evaluation/_ranking_table.html", year=year, evaluation=evaluation, run=run,
                                       office=office, own=own, sources=evaluation.method.sources, labels=LABELS))
        if key:
            _TABLES[key] = found
            while len(_TABLES) > KEPT_TABLES:
                _TABLES.popitem(last=False)
    return found


def _ranking(year: int, evaluation: Evaluation, run: EvaluationRun | None):
    current = queries.current_version(year) if run is not None else None
    own = _own_code()
    table = _table(year, evaluation, run, can("view_evaluation", current_user), own)
    return render_template("evaluation/ranking.html", year=year, evaluation=evaluation, run=run, current=current,
                           sources=evaluation.method.sources, labels=LABELS, own=own, table=table)


@bp.get("/<year:year>")
@permission_required("view_published_evaluation")
def ranking(year: int):
    run = queries.current_version(year)
    if run is None:
        return render_template("evaluation/unpublished.html", year=year), 404
    return _ranking(year, queries.stored_evaluation(run), run)


@bp.get("/<year:year>/versions/<int:number>")
@permission_required("view_published_evaluation")
def version(year: int, number: int):
    run = queries.version(year, number) or abort(404)
    return _ranking(year, queries.stored_evaluation(run), run)


@bp.get("/<year:year>/preview")
@permission_required("view_evaluation")
def preview(year: int):
    try:
        evaluation = evaluate_year(year)
    except ValueError as exc:
        return render_template("evaluation/unpublished.html", year=year, problem=str(exc)), 404
    return _ranking(year, evaluation, None)


def _drill_down(year: int, evaluation: Evaluation, code: str, run: EvaluationRun | None):
    result = evaluation.by_code(code) or abort(404)
    definition = questionnaire.load()
    points = registry_queries.visible_names_by_credit_code(list(result.detail.get("monitoring_points", {})))
    if points:
        audit.note("view", f"evaluation {year} {code}: monitoring points")
    return render_template("evaluation/prefecture.html", year=year, evaluation=evaluation, result=result, run=run,
                           questions=definition.question_texts, sections=definition.section_titles,
                           sources=evaluation.method.sources,
                           labels=LABELS, complaint_measures=measures.EVALUATION, point_names=points,
                           beside=comparison.drill_down(evaluation, office=can("view_evaluation")))


@bp.get("/<year:year>/<code>")
@permission_required("view_published_evaluation")
def prefecture(year: int, code: str):
    if not _may_see(code):
        abort(404)
    run = queries.current_version(year) or abort(404)
    return _drill_down(year, queries.stored_evaluation(run), code, run)


@bp.get("/<year:year>/preview/<code>")
@permission_required("view_evaluation")
def preview_prefecture(year: int, code: str):
    try:
        evaluation = evaluate_year(year)
    except ValueError:
        abort(404)
    return _drill_down(year, evaluation, code, None)


@bp.get("/<year:year>/versions")
@permission_required("view_published_evaluation")
def versions(year: int):
    """Every published version; for each later one, who moved and why."""
    published = queries.versions(year)
    changes = {}
    for before, after in zip(published, published[1:], strict=False):
        changes[after.id] = runs.moves(queries.stored_evaluation(before), queries.stored_evaluation(after))
    corrected = {run.id: [o for o in queries.corrected_by(run) if _may_see(o.prefecture.code)] for run in published}
    return render_template("evaluation/versions.html", year=year, versions=published[::-1], changes=changes,
                           corrected=corrected)


# Runs and publication ---------------------------------------------------------------------------

@bp.get("/<year:year>/runs")
@permission_required("view_evaluation")
def year_runs(year: int):
    return render_template("evaluation/runs.html", year=year, runs=queries.runs(year),
                           current=queries.current_version(year))


@bp.post("/<year:year>/runs")
@permission_required("publish_evaluation")
def start_run(year: int):
    """Evaluate the year's current data in the background and store the run as a draft."""
    page, refusal = start_job("evaluation_run", f"{year} 年综合测评计算（草稿）", {"year": year, "user_id": current_user.id})
    audit.note("evaluation_run", f"{year}")
    if refusal is not None:
        flash(refusal.message, "warning")
        return redirect(url_for("evaluation.year_runs", year=year))
    return page


def _run_view(found: EvaluationRun, form: PublishForm):
    """A run: its files and hashes, and what it changes against the version before it (a draft:
    against the current version)."""
    current = queries.current_version(found.year)
    compared = current if not found.published else (
        queries.version(found.year, found.version - 1) if found.version > 1 else None)
    changes = compared and runs.moves(queries.stored_evaluation(compared), queries.stored_evaluation(found))
    return render_template("evaluation/run.html", run=found, current=current, compared=compared, changes=changes,
                           evaluation=queries.stored_evaluation(found), form=form,
                           waiting=queries.awaiting_correction(found.year))


@bp.get("/runs/<int:run_id>")
@permission_required("view_evaluation")
def run_page(run_id: int):
    return _run_view(_run_or_404(run_id), PublishForm())


@bp.post("/runs/<int:run_id>/publish")
@permission_required("publish_evaluation")
def publish(run_id: int):
    found = _run_or_404(run_id)
    form = PublishForm()
    if form.validate_on_submit():
        published, refusal = attempt(lambda: operations.publish(found, current_user.id, form.note.data or ""), form)
        if refusal is None:
            db.session.commit()
            audit.note("evaluation_publish", f"{published.year} {published.label} run:{published.id} {published.fingerprint[:16]}")
            flash(f"已发布为 {published.year} 年综合测评{published.label}。", "success")
            return redirect(url_for("evaluation.ranking", year=published.year))
    return _run_view(found, form), 400


@bp.post("/runs/<int:run_id>/archive")
@permission_required("view_evaluation")
def archive(run_id: int):
    found = _run_or_404(run_id)
    page, refusal = start_job("evaluation_archive", f"{found.year} 年综合测评{found.label}存档", {"run": found.id})
    if refusal is not None:
        flash(refusal.message, "warning")
        return redirect(url_for("evaluation.run_page", run_id=found.id))
    return page


# Requests for review (复核申请) ------------------------------------------------------------------

def _window(run: EvaluationRun | None):
    """The last day to request a review of ``run``, or the reason it cannot be told."""
    if run is None:
        return None, None
    deadline, refusal = attempt(lambda: operations.objection_deadline(
        run, calendar_store.around(run.published_on), current_app.config["OBJECTION_DAYS"]))
    return deadline, refusal and refusal.message


def _objections_page(year: int, form: ObjectionForm):
    run = queries.current_version(year)
    deadline, problem = _window(run)
    return render_template("evaluation/objections.html", year=year, run=run, objections=queries.objections(year),
                           form=form, deadline=deadline, problem=problem, today=today(),
                           days=current_app.config["OBJECTION_DAYS"])


@bp.get("/<year:year>/objections")
@permission_required("view_published_evaluation")
def objections(year: int):
    return _objections_page(year, ObjectionForm())


@bp.post("/<year:year>/objections")
@permission_required("file_objections")
def file_objection(year: int):
    form = ObjectionForm()
    run = queries.current_version(year)
    if run is not None and form.validate_on_submit():
        filed, refusal = attempt(lambda: operations.file_objection(
            run, current_user.prefecture_id, current_user.id, form.reason.data, today(),
            calendar_store.around(run.published_on), current_app.config["OBJECTION_DAYS"]), form)
        if refusal is None:
            db.session.commit()
            audit.note("objection_filed", f"{year} objection:{filed.id} {current_user.prefecture.code}")
            flash("复核申请已提交，省协作办答复后会在本页显示。", "success")
            return redirect(url_for("evaluation.objection", objection_id=filed.id))
    elif run is None:
        form.form_errors.append(f"{year} 年的综合测评结果尚未发布，不能申请复核。")
    return _objections_page(year, form), 400


def _objection_or_404(objection_id: int) -> Objection:
    return access.get_scoped_or_404(Objection, objection_id)


def _objection_page(found: Objection, form: AnswerForm):
    return render_template("evaluation/objection.html", objection=found, form=form,
                           current=queries.current_version(found.run.year))


@bp.get("/objections/<int:objection_id>")
@permission_required("view_published_evaluation")
def objection(objection_id: int):
    return _objection_page(_objection_or_404(objection_id), AnswerForm())


@bp.post("/objections/<int:objection_id>/answer")
@permission_required("answer_objections")
def answer(objection_id: int):
    found = _objection_or_404(objection_id)
    form = AnswerForm()
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.answer_objection(found, form.decision.data == "accept", form.answer.data,
                                                                 current_user.id), form)
        if refusal is None:
            db.session.commit()
            audit.note("objection_answer", f"{found.run.year} objection:{found.id} {found.state}")
            flash("已答复。" + ("更正数据后，在“计算与发布”中计算并发布新的版本。" if found.state == "accepted" else ""),
                  "success")
            return redirect(url_for("evaluation.objection", objection_id=found.id))
    return _objection_page(found, form), 400


@bp.get("/method")
@permission_required("view_published_evaluation")
def method():
    """The method in plain words, for leadership: what each source measures, why the intervals,
    what a request for review can change."""
    return render_template("evaluation/method.html", labels=LABELS, method=load(),
                           sections=questionnaire.load().section_titles, measures=measures.EVALUATION,
                           days=current_app.config["OBJECTION_DAYS"])


# The dashboard and the year's products -----------------------------------------------------------

DOWNLOADS = {"report": "测评报告（PDF）", "bulletin": "通报（PDF）", "bulletin_docx": "通报（Word 草稿）",
             "workbook": "全部表格（Excel）"}


@bp.get("/dashboard")
@permission_required("view_evaluation")
def dashboard_year():
    return redirect(url_for("evaluation.dashboard", year=_year()))


@bp.get("/<year:year>/dashboard")
@permission_required("view_evaluation")
def dashboard(year: int):
    import base64

    from evaluation.report import charts  # matplotlib: loaded only when a dashboard is drawn

    try:
        data = report_data(year)
    except ValueError as exc:
        return render_template("evaluation/dashboard.html", year=year, data=None, problem=str(exc)), 404
    images = {name: base64.b64encode(png).decode() for name, png in charts.drawn(data).items()}
    return render_template("evaluation/dashboard.html", year=year, data=data, images=images, problem=None,
                           labels=LABELS, sources=data.evaluation.method.sources if data else (), downloads=DOWNLOADS,
                           complaint_measures=measures.EVALUATION)


@bp.post("/<year:year>/downloads/<kind>")
@permission_required("view_evaluation")
def download(year: int, kind: str):
    """Make the year's report, bulletin or workbook from its published version in the background;
    the job page offers the file."""
    if kind not in DOWNLOADS:
        abort(404)
    page, refusal = start_job(f"evaluation_{kind}", f"{year} 年{DOWNLOADS[kind]}", {"year": year})
    if refusal is not None:
        flash(refusal.message, "warning")
        return redirect(url_for("evaluation.dashboard", year=year))
    return page


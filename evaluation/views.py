"""The provincial office's ranking page (``/evaluation/<year>``) and the drill-down per prefecture."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from complaints import measures
from investenv import numbers
from investenv.jobs.views import start as start_job
from investenv.permissions import permission_required
from investenv.timeutil import today
from investenv.web import number_arg
from scoring.method import LABELS, SOURCES
from survey import questionnaire

from .service import evaluate_year, report_data

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")


def _year() -> int:
    return number_arg("year", numbers.YEAR) or today().year


@bp.get("/")
@permission_required("view_evaluation")
def index():
    return redirect(url_for("evaluation.ranking", year=_year()))


@bp.get("/<year:year>")
@permission_required("view_evaluation")
def ranking(year: int):
    try:
        evaluation = evaluate_year(year)
    except ValueError as exc:
        return render_template("evaluation/ranking.html", year=year, evaluation=None, problem=str(exc)), 404
    return render_template("evaluation/ranking.html", year=year, evaluation=evaluation, sources=SOURCES,
                           labels=LABELS, problem=None)


@bp.get("/<year:year>/<code>")
@permission_required("view_evaluation")
def prefecture(year: int, code: str):
    try:
        evaluation = evaluate_year(year)
    except ValueError:
        abort(404)
    result = evaluation.by_code(code)
    if result is None:
        abort(404)
    definition = questionnaire.load()
    return render_template("evaluation/prefecture.html", year=year, evaluation=evaluation, result=result,
                           questions=definition.question_texts, sections=definition.section_titles, sources=SOURCES,
                           labels=LABELS, complaint_measures=measures.EVALUATION)


DOWNLOADS = {"report": "测评报告（PDF）", "bulletin": "通报（PDF）", "workbook": "全部表格（Excel）"}


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
    images = {name: draw(data) for name, draw in charts.CHARTS.items()}
    images = {name: base64.b64encode(png).decode() for name, png in images.items() if png}
    return render_template("evaluation/dashboard.html", year=year, data=data, images=images, problem=None,
                           labels=LABELS, sources=SOURCES, downloads=DOWNLOADS)


@bp.post("/<year:year>/downloads/<kind>")
@permission_required("view_evaluation")
def download(year: int, kind: str):
    """Make the year's report, bulletin or workbook in the background; the job page offers the file."""
    if kind not in DOWNLOADS:
        abort(404)
    page, refusal = start_job(f"evaluation_{kind}", f"{year} 年{DOWNLOADS[kind]}", {"year": year})
    if refusal is not None:
        flash(refusal.message, "warning")
        return redirect(url_for("evaluation.dashboard", year=year))
    return page

"""The provincial office's ranking page (``/evaluation/<year>``) and the drill-down per prefecture."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from complaints import measures
from investenv import numbers
from investenv.exporting import XLSX_MIMETYPE, attachment
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


def _report_data_or_404(year: int):
    try:
        return report_data(year)
    except ValueError:
        abort(404)


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
                           labels=LABELS, sources=SOURCES)


@bp.get("/<year:year>/report.pdf")
@permission_required("view_evaluation")
def report_pdf(year: int):
    from evaluation.report.document import report_pdf as build

    return attachment(build(_report_data_or_404(year)), "application/pdf", f"report-{year}.pdf")


@bp.get("/<year:year>/bulletin.pdf")
@permission_required("view_evaluation")
def bulletin_pdf(year: int):
    from evaluation.report.bulletin import bulletin_pdf as build

    return attachment(build(_report_data_or_404(year)), "application/pdf", f"bulletin-{year}.pdf")


@bp.get("/<year:year>/workbook.xlsx")
@permission_required("view_evaluation")
def workbook(year: int):
    from evaluation.report.workbook import workbook as build

    return attachment(build(_report_data_or_404(year)), XLSX_MIMETYPE, f"evaluation-{year}.xlsx")

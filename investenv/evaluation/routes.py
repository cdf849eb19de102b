"""The provincial office's ranking page (``/evaluation/<year>``) and the drill-down per prefecture."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from scoring.bundle import questionnaire
from scoring.method import LABELS, SOURCES

from ..access import roles_required
from ..auth.models import Role
from ..timeutil import today
from .service import evaluate_year

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")
OFFICE = (Role.ADMIN, Role.ANALYST)


def _year() -> int:
    return request.args.get("year", type=int) or today().year


@bp.get("/")
@roles_required(*OFFICE)
def index():
    return redirect(url_for("evaluation.ranking", year=_year()))


@bp.get("/<int:year>")
@roles_required(*OFFICE)
def ranking(year: int):
    try:
        evaluation = evaluate_year(year)
    except ValueError as exc:
        return render_template("evaluation/ranking.html", year=year, evaluation=None, problem=str(exc)), 404
    return render_template("evaluation/ranking.html", year=year, evaluation=evaluation, sources=SOURCES,
                           labels=LABELS, problem=None)


@bp.get("/<int:year>/<code>")
@roles_required(*OFFICE)
def prefecture(year: int, code: str):
    try:
        evaluation = evaluate_year(year)
    except ValueError:
        abort(404)
    result = evaluation.by_code(code)
    if result is None:
        abort(404)
    questions = {f"q{q['number']}": q for s in questionnaire()["sections"] for q in s["questions"]}
    sections = [s["title"] for s in questionnaire()["sections"]]
    return render_template("evaluation/prefecture.html", year=year, evaluation=evaluation, result=result,
                           questions=questions, sections=sections, sources=SOURCES, labels=LABELS)

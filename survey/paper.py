"""Paper questionnaires: fast keyboard keying, blind double entry and adjudication."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from investenv import access
from investenv.access import REGISTRY_EDITORS, roles_required
from investenv.extensions import db
from investenv.forms import attempt
from investenv.registry.forms import county_choices
from investenv.registry.models import County, Prefecture
from investenv.timeutil import today

from . import operations
from . import questionnaire as qn
from .forms import AnswerForm, paper_form
from .models import PaperForm, SurveyRound
from .staff import bp


@bp.route("/rounds/<int:round_id>/paper", methods=["GET", "POST"])
@roles_required(*REGISTRY_EDITORS)
def paper_entry(round_id: int):
    survey_round = db.session.get(SurveyRound, round_id) or abort(404)
    questionnaire = qn.load(survey_round.questionnaire_version)
    form = paper_form(questionnaire, county_choices("（未填）"))
    status = 200
    if form.validate_on_submit():
        keyed = attempt(form, lambda: _key(survey_round, form))
        if keyed is not None:
            db.session.commit()
            flash(_keyed_message(keyed), "success")
            return redirect(url_for("survey.paper_entry", round_id=round_id))
    if request.method == "POST":
        status = 400
    stmt = access.scope(select(PaperForm), PaperForm.prefecture_id).where(PaperForm.round_id == round_id)
    forms = db.session.scalars(stmt.order_by(PaperForm.verified, PaperForm.form_code)).all()
    return render_template(
        "survey/paper_entry.html", survey_round=survey_round, form=form, questionnaire=questionnaire,
        forms=forms,
    ), status


def _key(survey_round: SurveyRound, form: AnswerForm) -> PaperForm:
    prefectures = db.session.scalars(access.scope(select(Prefecture), Prefecture.id)).all()
    code, prefecture = operations.parse_form_code(form.form_code.data, prefectures)
    county = db.session.scalar(select(County).where(County.code == form.county.data)) if form.county.data else None
    answers = {k: v for k, v in form.raw().items() if k not in ("form_code", "county")}
    return operations.key_paper_form(survey_round, code, prefecture, county, answers, current_user.id, today())


def _keyed_message(keyed: PaperForm) -> str:
    if keyed.verified:
        return f"问卷 {keyed.form_code} 两次录入一致，已核对入库。"
    if keyed.status == "mismatch":
        return f"问卷 {keyed.form_code} 两次录入不一致，请另一位工作人员对照纸质问卷裁定。"
    return f"问卷 {keyed.form_code} 第一次录入已保存，需由另一位工作人员背对背再录入一次。"


@bp.route("/paper/<int:form_id>/adjudicate", methods=["GET", "POST"])
@roles_required(*REGISTRY_EDITORS)
def adjudicate(form_id: int):
    paper = access.get_scoped_or_404(PaperForm, form_id)
    if paper.status != "mismatch":
        abort(404)
    keys = operations.differences(paper)
    form = AnswerForm()
    status = 200
    if form.validate_on_submit():
        chosen = _chosen(paper, keys)
        if len(chosen) < len(keys):
            form.form_errors.append("请为每一处不一致选定取值。")
        elif attempt(form, lambda: operations.adjudicate(paper, chosen, current_user.id, today())) is not None:
            db.session.commit()
            flash(f"问卷 {paper.form_code} 已裁定并核对入库。", "success")
            return redirect(url_for("survey.paper_entry", round_id=paper.round_id))
        status = 400
    return render_template(
        "survey/adjudicate.html", paper=paper, keys=keys, form=form,
        questionnaire=qn.load(paper.round.questionnaire_version),
    ), status


def _chosen(paper: PaperForm, keys: list[str]) -> dict[str, str]:
    """The adjudicator's value per disagreement: a typed value, else the keying picked."""
    chosen = {}
    for key in keys:
        custom = request.form.get(f"{key}__custom", "").strip()
        pick = request.form.get(key)
        if custom:
            chosen[key] = custom
        elif pick in ("first", "second"):
            chosen[key] = (paper.first_answers if pick == "first" else paper.second_answers).get(key, "")
    return chosen

"""Staff pages of the survey: rounds, response tracking, invitations, documents, results."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from investenv import access, audit
from investenv.access import PROVINCIAL, REGISTRY_EDITORS, STAFF, roles_required
from investenv.auth.models import Role
from investenv.errors import RuleError
from investenv.exporting import attachment as download
from investenv.exporting import csv_bytes, xlsx_bytes
from investenv.extensions import db
from investenv.forms import apply_rule_error, options
from investenv.registry import credit_code
from investenv.registry.models import Enterprise, Prefecture
from investenv.timeutil import today

from . import bundle, documents, operations, tracking
from . import questionnaire as qn
from .forms import InviteForm, PaperPrintForm, RoundForm
from .models import Invitation, SurveyRound

bp = Blueprint("survey", __name__, url_prefix="/survey")


def survey_link(invitation: Invitation) -> str:
    base = current_app.config.get("BASE_URL") or request.url_root.rstrip("/")
    return f"{base}{url_for('respond.start', token=invitation.token)}"


def _round(round_id: int) -> SurveyRound:
    return db.session.get(SurveyRound, round_id) or abort(404)


def _own_ids() -> set[int] | None:
    pid = access.own_prefecture_id()
    return None if pid is None else {pid}


@bp.get("/")
@roles_required(*STAFF)
def rounds():
    found = db.session.scalars(select(SurveyRound).order_by(SurveyRound.year.desc(), SurveyRound.id.desc())).all()
    return render_template("survey/rounds.html", rounds=found, today=today())


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.CENTRE)
def new_round():
    form = RoundForm()
    form.questionnaire_version.choices = options((v, f"{v} 版") for v in qn.versions())
    if form.validate_on_submit():
        try:
            survey_round = operations.create_round(
                form.year.data, form.title.data or "", form.questionnaire_version.data,
                form.opens_on.data, form.closes_on.data, form.anonymous.data,
            )
            invited = operations.invite_monitoring_points(survey_round) if form.invite_points.data else 0
        except RuleError as exc:
            db.session.rollback()
            apply_rule_error(form, exc)
        else:
            db.session.commit()
            flash(f"已创建调查轮次，邀请测评点企业 {invited} 家。", "success")
            return redirect(url_for("survey.round_detail", round_id=survey_round.id))
    return render_template("survey/round_form.html", form=form)


@bp.get("/rounds/<int:round_id>")
@roles_required(*STAFF)
def round_detail(round_id: int):
    survey_round = _round(round_id)
    progress = tracking.round_progress(survey_round, _own_ids())
    return render_template(
        "survey/round.html", survey_round=survey_round, progress=progress,
        invite_form=InviteForm(), today=today(),
    )


@bp.post("/rounds/<int:round_id>/invite-points")
@roles_required(Role.ADMIN, Role.CENTRE)
def invite_points(round_id: int):
    survey_round = _round(round_id)
    added = operations.invite_monitoring_points(survey_round)
    db.session.commit()
    flash(f"新邀请测评点企业 {added} 家。", "success")
    return redirect(url_for("survey.round_detail", round_id=round_id))


@bp.post("/rounds/<int:round_id>/invite")
@roles_required(*REGISTRY_EDITORS)
def invite(round_id: int):
    survey_round = _round(round_id)
    form = InviteForm()
    if form.validate_on_submit():
        code = credit_code.normalise(form.credit_code.data)
        stmt = access.scope(select(Enterprise).where(Enterprise.credit_code == code), Enterprise.prefecture_id)
        enterprise = db.session.scalar(stmt)
        try:
            if enterprise is None:
                raise RuleError("企业名录中没有这个统一社会信用代码（请先在企业名录中登记该企业）。", field="credit_code")
            operations.invite(survey_round, enterprise)
        except RuleError as exc:
            db.session.rollback()
            apply_rule_error(form, exc if exc.field else RuleError(exc.message, field="credit_code"))
        else:
            db.session.commit()
            flash(f"已邀请 {enterprise.name}。", "success")
            return redirect(url_for("survey.round_detail", round_id=round_id))
    progress = tracking.round_progress(survey_round, _own_ids())
    return render_template(
        "survey/round.html", survey_round=survey_round, progress=progress, invite_form=form, today=today()
    ), 400


def _invitations(survey_round: SurveyRound, pending_only: bool) -> list[Invitation]:
    stmt = (
        access.scope(select(Invitation), Invitation.prefecture_id)
        .where(Invitation.round_id == survey_round.id, Invitation.revoked.is_(False))
        .join(Invitation.enterprise)
        .options(selectinload(Invitation.enterprise), selectinload(Invitation.draft))
        .order_by(Invitation.prefecture_id, Enterprise.name)
    )
    code = request.args.get("prefecture")
    if code:
        stmt = stmt.join(Prefecture, Prefecture.id == Invitation.prefecture_id).where(Prefecture.code == code)
    if pending_only:
        stmt = stmt.where(Invitation.used.is_(False))
    return list(db.session.scalars(stmt))


@bp.get("/rounds/<int:round_id>/invitations")
@roles_required(*REGISTRY_EDITORS)
def invitations(round_id: int):
    survey_round = _round(round_id)
    audit.note("view", f"invitations:round-{survey_round.id}")
    pending = request.args.get("pending") == "1"
    return render_template(
        "survey/invitations.html", survey_round=survey_round, invitations=_invitations(survey_round, pending),
        pending=pending, link=survey_link, status=documents.invitation_status,
    )


@bp.get("/rounds/<int:round_id>/invitations.<fmt>")
@roles_required(*REGISTRY_EDITORS)
def invitation_links(round_id: int, fmt: str):
    survey_round = _round(round_id)
    found = _invitations(survey_round, request.args.get("pending") == "1")
    if fmt == "pdf":
        return download(documents.letters_pdf(survey_round, found, survey_link), "application/pdf", "letters.pdf")
    rows = documents.link_rows(found, survey_link)
    if fmt == "csv":
        return download(csv_bytes(documents.LINK_HEADER, rows), "text/csv; charset=utf-8", "invitations.csv")
    if fmt == "xlsx":
        body = xlsx_bytes("问卷链接", documents.LINK_HEADER, rows)
        return download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "invitations.xlsx")
    abort(404)


@bp.post("/invitations/<int:invitation_id>/revoke")
@roles_required(*REGISTRY_EDITORS)
def revoke(invitation_id: int):
    invitation = access.get_scoped_or_404(Invitation, invitation_id)
    try:
        operations.revoke(invitation)
    except RuleError as exc:
        flash(exc.message, "warning")
    else:
        db.session.commit()
        flash(f"已停用 {invitation.enterprise.name} 的问卷链接。", "success")
    return redirect(url_for("survey.invitations", round_id=invitation.round_id))


@bp.route("/rounds/<int:round_id>/paper.pdf", methods=["GET", "POST"])
@roles_required(*REGISTRY_EDITORS)
def paper_print(round_id: int):
    survey_round = _round(round_id)
    form = PaperPrintForm()
    prefectures = db.session.scalars(access.scope(select(Prefecture), Prefecture.id).order_by(Prefecture.code)).all()
    form.prefecture.choices = options((p.code, p.name) for p in prefectures)
    if form.validate_on_submit():
        prefecture = next(p for p in prefectures if p.code == form.prefecture.data)
        numbers = range(form.start.data, form.start.data + form.count.data)
        if numbers[-1] > 9999:
            form.count.errors = ["序号不能超过 9999。"]
        else:
            codes = [operations.paper_form_code(prefecture.code, n) for n in numbers]
            return download(documents.paper_pdf(survey_round, codes), "application/pdf", f"paper-{prefecture.code}.pdf")
    return render_template("survey/paper_print.html", survey_round=survey_round, form=form), (400 if form.errors else 200)


@bp.get("/rounds/<int:round_id>/results")
@roles_required(*STAFF)
def results(round_id: int):
    survey_round = _round(round_id)
    own = access.own_prefecture_id()
    prefectures = db.session.scalars(access.scope(select(Prefecture), Prefecture.id).order_by(Prefecture.code)).all()
    code = request.args.get("prefecture") or (prefectures[0].code if own is not None else "")
    chosen = next((p for p in prefectures if p.code == code), None)
    if code and chosen is None:
        abort(404)
    respondents, rows = tracking.results(survey_round, chosen.id if chosen else None, suppress=own is not None)
    return render_template(
        "survey/results.html", survey_round=survey_round, rows=rows, respondents=respondents,
        prefectures=prefectures, chosen=chosen, suppressed_view=own is not None,
        minimum=tracking.SUPPRESS_BELOW,
    )


@bp.get("/rounds/<int:round_id>/texts")
@roles_required(*PROVINCIAL)
def texts(round_id: int):
    survey_round = _round(round_id)
    questionnaire = qn.load(survey_round.questionnaire_version)
    return render_template(
        "survey/texts.html", survey_round=survey_round, texts=tracking.open_texts(survey_round, None),
        questionnaire=questionnaire,
    )


@bp.get("/responses-<int:year>.<fmt>")
@roles_required(Role.ADMIN, Role.ANALYST)
def export_responses(year: int, fmt: str):
    header, rows = bundle.export_rows(year)
    if fmt == "csv":
        return download(csv_bytes(header, rows), "text/csv; charset=utf-8", f"responses-{year}.csv")
    if fmt == "xlsx":
        body = xlsx_bytes("responses", header, rows)
        return download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"responses-{year}.xlsx")
    abort(404)

"""Every page of the survey: the staff's rounds, invitations, documents, paper keying and
results (blueprint ``survey``, ``/survey``), and the questionnaire at an enterprise's personal link
(blueprint ``respond``, ``/s/<token>``: no login, the unguessable token is the credential; unknown and
revoked tokens get the same 404 page, and an address that keeps presenting wrong tokens is throttled)."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from investenv import access, audit, listing
from investenv.auth import throttle
from investenv.errors import RuleError
from investenv.exporting import CSV_MIMETYPE, XLSX_MIMETYPE, csv_bytes, workbook_bytes, xlsx_bytes
from investenv.exporting import attachment as download
from investenv.extensions import db
from investenv.forms import attempt, options
from investenv.jobs.views import start as start_job
from investenv.numbers import Range
from investenv.permissions import can, permission_required
from investenv.registry import queries as registry_queries
from investenv.registry.forms import county_choices
from investenv.timeutil import local, today
from investenv.web import number_arg, site_url
from notifications import queries as notification_queries
from notifications.models import STATES as NOTICE_STATES

from . import bundle, documents, jobs, operations, queries
from . import questionnaire as qn
from .forms import AnswerForm, InviteForm, PaperPrintForm, RoundForm, paper_form, section_form
from .models import Invitation, PaperForm, SurveyRound

# Staff pages: rounds, response tracking, invitations, documents, results.
bp = Blueprint("survey", __name__, url_prefix="/survey")
EXPORT_LIMIT = 50000  # invitations in one download: a national round


def survey_link(invitation: Invitation) -> str:
    return jobs.personal_link(site_url(), invitation.token)


def _round(round_id: int) -> SurveyRound:
    return db.session.get(SurveyRound, round_id) or abort(404)


@bp.get("/")
@permission_required("use_staff_pages")
def rounds():
    return render_template("survey/rounds.html", rounds=queries.rounds(), today=today())


@bp.route("/rounds/new", methods=["GET", "POST"])
@permission_required("manage_survey_rounds")
def new_round():
    form = RoundForm()
    form.questionnaire_version.choices = options((v, f"{v} 版") for v in qn.versions())
    if form.validate_on_submit():
        def create() -> tuple[SurveyRound, int]:
            survey_round = operations.create_round(
                form.year.data, form.title.data or "", form.questionnaire_version.data,
                form.opens_on.data, form.closes_on.data, form.anonymous.data,
            )
            return survey_round, operations.invite_monitoring_points(survey_round) if form.invite_points.data else 0

        created, refusal = attempt(create, form)
        if refusal is None:
            survey_round, invited = created
            db.session.commit()
            flash(f"已创建调查轮次，邀请测评点企业 {invited} 家。", "success")
            return redirect(url_for("survey.round_detail", round_id=survey_round.id))
    return render_template("survey/round_form.html", form=form)


@bp.get("/rounds/<int:round_id>")
@permission_required("use_staff_pages")
def round_detail(round_id: int):
    survey_round = _round(round_id)
    return _round_page(survey_round, InviteForm())


def _round_page(survey_round: SurveyRound, invite_form: InviteForm, status: int = 200):
    """The round's response tracking: per prefecture for the province; for prefecture staff, per
    county with small counts suppressed and no enterprise named (docs/security.md, threat model)."""
    own = access.own_prefecture_id()
    progress = queries.round_progress(survey_round, None) if own is None else []
    counties = queries.county_progress(survey_round, own) if own is not None else []
    return render_template(
        "survey/round.html", survey_round=survey_round, progress=progress, counties=counties,
        invite_form=invite_form, today=today(), minimum=queries.SUPPRESS_BELOW,
    ), status


@bp.post("/rounds/<int:round_id>/invite-points")
@permission_required("manage_survey_rounds")
def invite_points(round_id: int):
    survey_round = _round(round_id)
    added = operations.invite_monitoring_points(survey_round)
    db.session.commit()
    flash(f"新邀请测评点企业 {added} 家。", "success")
    return redirect(url_for("survey.round_detail", round_id=round_id))


@bp.post("/rounds/<int:round_id>/invite")
@permission_required("manage_survey_rounds")
def invite(round_id: int):
    survey_round = _round(round_id)
    form = InviteForm()
    if form.validate_on_submit():
        enterprise = registry_queries.visible_enterprise_by_credit_code(form.credit_code.data)

        def invite_enterprise() -> None:
            if enterprise is None:
                raise RuleError("企业名录中没有这个统一社会信用代码（请先在企业名录中登记该企业）。", field="credit_code")
            operations.invite(survey_round, enterprise)

        _, refusal = attempt(invite_enterprise, form)
        if refusal is None:
            db.session.commit()
            flash(f"已邀请 {enterprise.name}。", "success")
            return redirect(url_for("survey.round_detail", round_id=round_id))
    return _round_page(survey_round, form, 400)


def _invitations_view(survey_round: SurveyRound, with_revoked: bool = False):
    """The invitation list the query string asks for (one prefecture or all the user may see, only
    the unanswered, a name; sorted by a column; the revoked ones too if asked): its statement and
    the arguments its links keep."""
    prefecture, text = request.args.get("prefecture") or "", request.args.get("q", "").strip()
    pending = request.args.get("pending") == "1"
    sort, descending = queries.INVITATION_SORTS.read()
    stmt = queries.invitations_view(survey_round, prefecture, pending, text, sort, descending, with_revoked)
    args = listing.kept(round_id=survey_round.id, prefecture=prefecture, pending="1" if pending else "", q=text)
    return stmt, args | queries.INVITATION_SORTS.args(sort, descending), sort, descending


@bp.get("/rounds/<int:round_id>/invitations")
@permission_required("handle_personal_links")
def invitations(round_id: int):
    survey_round = _round(round_id)
    audit.note("view", f"invitations:round-{survey_round.id}")
    stmt, args, sort, descending = _invitations_view(survey_round, with_revoked=request.args.get("pending") != "1")
    page = listing.page_of(stmt, listing.count(stmt), listing.page_arg())
    return render_template(
        "survey/invitations.html", survey_round=survey_round, page=page, args=args, sort=sort, descending=descending,
        sorts=queries.INVITATION_SORTS.labels, pending=bool(args.get("pending")), link=survey_link,
        status=documents.invitation_status, prefectures=registry_queries.visible_prefectures(),
        sent=notification_queries.for_round(survey_round.id), NOTICE_STATES=NOTICE_STATES,
    )


@bp.get("/rounds/<int:round_id>/invitations.<fmt>")
@permission_required("handle_personal_links")
def invitation_links(round_id: int, fmt: str):
    """The current view of the invitation list, every page, with the links (for mail merge)."""
    survey_round = _round(round_id)
    found = listing.first_rows(_invitations_view(survey_round)[0], EXPORT_LIMIT)
    rows = documents.link_rows(found, survey_link)
    if fmt == "csv":
        return download(csv_bytes(documents.LINK_HEADER, rows), CSV_MIMETYPE, "invitations.csv")
    if fmt == "xlsx":
        return download(xlsx_bytes("问卷链接", documents.LINK_HEADER, rows), XLSX_MIMETYPE, "invitations.xlsx")
    abort(404)


@bp.post("/rounds/<int:round_id>/letters")
@permission_required("handle_personal_links")
def letters(round_id: int):
    """Invitation letters with QR codes as one PDF, made in the background."""
    survey_round = _round(round_id)
    pending = request.form.get("pending") == "1"
    found = queries.visible_invitations(survey_round, request.form.get("prefecture") or "", pending,
                                        request.form.get("q", "").strip())
    page, refusal = start_job("letters", f"{survey_round.title}：邀请函（{len(found)} 份）",
                              {"round_id": survey_round.id, "invitation_ids": [i.id for i in found], "base_url": site_url()})
    if refusal is not None:
        flash(refusal.message, "warning")
        return redirect(url_for("survey.invitations", round_id=survey_round.id, pending=1 if pending else None))
    return page


def _notify(round_id: int, channel: str):
    survey_round = _round(round_id)
    reminder = request.form.get("kind") == "remind"
    found = queries.visible_invitations(survey_round, request.form.get("prefecture") or "", reminder,
                                        request.form.get("q", "").strip())
    written, without = operations.notify_invited(found, survey_link, reminder, today(), channel)
    db.session.commit()
    what, missing = ("短信", "手机号码") if channel == "sms" else ("邮件", "联系邮箱")
    flash(f"已写入 {written} 条{'催填' if reminder else '邀请'}{what}，由发送进程发出；{without} 家企业没有{missing}。", "success")
    return redirect(url_for("survey.invitations", round_id=survey_round.id, pending=1 if reminder else None))


@bp.post("/rounds/<int:round_id>/sms")
@permission_required("handle_personal_links")
def sms(round_id: int):
    """Invitations (``kind=invite``) or reminders to those who have not answered, by SMS from the province
    (without the personal link: it says where the link is)."""
    return _notify(round_id, "sms")


@bp.post("/rounds/<int:round_id>/mail")
@permission_required("handle_personal_links")
def mail(round_id: int):
    """Invitation letters (``kind=invite``) or reminders to those who have not answered, by e-mail
    from the province to each enterprise's contact e-mail; each mail carries the link that stops reminders."""
    return _notify(round_id, "email")


@bp.post("/invitations/<int:invitation_id>/revoke")
@permission_required("handle_personal_links")
def revoke(invitation_id: int):
    """Stop a link, after a confirmation step (a page of its own: no script needed)."""
    invitation = access.get_scoped_or_404(Invitation, invitation_id)
    if request.form.get("confirm") != "1":
        audit.note("view", f"invitation:{invitation.id}")  # names the enterprise
        return render_template("survey/revoke_confirm.html", invitation=invitation)
    _, refusal = attempt(lambda: operations.revoke(invitation))
    if refusal is not None:
        flash(refusal.message, "warning")
    else:
        audit.note("invitation_revoke", f"invitation:{invitation.id}")
        db.session.commit()
        flash(f"已停用 {invitation.enterprise.name} 的问卷链接（仍列在名单中，可恢复）。", "success")
    return redirect(url_for("survey.invitations", round_id=invitation.round_id))


@bp.post("/invitations/<int:invitation_id>/restore")
@permission_required("handle_personal_links")
def restore(invitation_id: int):
    invitation = access.get_scoped_or_404(Invitation, invitation_id)
    _, refusal = attempt(lambda: operations.restore(invitation))
    if refusal is not None:
        flash(refusal.message, "warning")
    else:
        audit.note("invitation_restore", f"invitation:{invitation.id}")
        db.session.commit()
        flash(f"已恢复 {invitation.enterprise.name} 的问卷链接，原链接重新有效。", "success")
    return redirect(url_for("survey.invitations", round_id=invitation.round_id))


@bp.route("/rounds/<int:round_id>/paper.pdf", methods=["GET", "POST"])
@permission_required("key_paper_forms")
def paper_print(round_id: int):
    survey_round = _round(round_id)
    form = PaperPrintForm()
    prefectures = registry_queries.visible_prefectures()
    form.prefecture.choices = options((p.code, p.name) for p in prefectures)
    if form.validate_on_submit():
        prefecture = next(p for p in prefectures if p.code == form.prefecture.data)
        numbers = range(form.start.data, form.start.data + form.count.data)
        if numbers[-1] > 9999:
            form.count.errors = ["序号不能超过 9999。"]
        else:
            page, refusal = start_job("paper_forms", f"{survey_round.title}：{prefecture.name}纸质问卷 {len(numbers)} 份",
                                      {"round_id": survey_round.id, "prefecture_code": prefecture.code,
                                       "start": numbers.start, "count": len(numbers)})
            if refusal is None:
                return page
            form.form_errors.append(refusal.message)
    return render_template("survey/paper_print.html", survey_round=survey_round, form=form), (400 if form.errors else 200)


def _results(survey_round: SurveyRound) -> dict:
    """What the results page and its Excel file show: one prefecture's counts (the user's own for
    prefecture staff, suppressed) or the province's, and the province's beside a prefecture's."""
    own = access.own_prefecture_id()
    prefectures = registry_queries.visible_prefectures()
    code = request.args.get("prefecture") or (prefectures[0].code if own is not None else "")
    chosen = next((p for p in prefectures if p.code == code), None)
    if code and chosen is None:
        abort(404)
    suppress = own is not None
    respondents, rows = queries.results(survey_round, chosen.id if chosen else None, suppress=suppress)
    province = {row.question.key: row for row in queries.results(survey_round, None, suppress=suppress)[1]} if chosen else {}
    return {"rows": rows, "respondents": respondents, "prefectures": prefectures, "chosen": chosen,
            "suppressed_view": suppress, "province": province, "minimum": queries.SUPPRESS_BELOW}


def _results_open_to_user(survey_round: SurveyRound) -> bool:
    """Prefecture staff see the results once the round has closed (docs/survey.md)."""
    return can("read_live_results") or survey_round.closes_on < today()


@bp.get("/rounds/<int:round_id>/results")
@permission_required("use_staff_pages")
def results(round_id: int):
    survey_round = _round(round_id)
    if not _results_open_to_user(survey_round):
        return render_template("survey/results_later.html", survey_round=survey_round)
    return render_template("survey/results.html", survey_round=survey_round, **_results(survey_round))


@bp.get("/rounds/<int:round_id>/results.xlsx")
@permission_required("use_staff_pages")
def export_results(round_id: int):
    """The results page as a workbook: counts ("<5" where suppressed), percentages, the province's."""
    survey_round = _round(round_id)
    if not _results_open_to_user(survey_round):
        return redirect(url_for("survey.results", round_id=round_id))
    shown = _results(survey_round)
    scope = shown["chosen"].name if shown["chosen"] else "全省"
    header, rows = queries.results_sheet(shown["rows"], shown["province"])
    name = f"results-{survey_round.year}-{shown['chosen'].code if shown['chosen'] else 'province'}.xlsx"
    return download(workbook_bytes([(f"{scope}统计结果", header, rows)]), XLSX_MIMETYPE, name)  # numbers stay numbers


@bp.get("/rounds/<int:round_id>/texts")
@permission_required("read_open_answers")
def texts(round_id: int):
    survey_round = _round(round_id)
    questionnaire = qn.load(survey_round.questionnaire_version)
    return render_template(
        "survey/texts.html", survey_round=survey_round, texts=queries.open_texts(survey_round, None),
        closing=queries.closing_answers(survey_round), questionnaire=questionnaire,
    )


@bp.get("/responses-<year:year>.<fmt>")
@permission_required("export_responses")
def export_responses(year: int, fmt: str):
    header, rows = bundle.export_rows(year)
    if fmt == "csv":
        return download(csv_bytes(header, rows), CSV_MIMETYPE, f"responses-{year}.csv")
    if fmt == "xlsx":
        return download(xlsx_bytes("responses", header, rows), XLSX_MIMETYPE, f"responses-{year}.xlsx")
    abort(404)


# Paper questionnaires: fast keyboard keying, blind double entry and adjudication.
@bp.route("/rounds/<int:round_id>/paper", methods=["GET", "POST"])
@permission_required("key_paper_forms")
def paper_entry(round_id: int):
    survey_round = db.session.get(SurveyRound, round_id) or abort(404)
    questionnaire = qn.load(survey_round.questionnaire_version)
    form = paper_form(questionnaire, county_choices("（未填）"))
    status = 200
    if form.validate_on_submit():
        keyed, refusal = attempt(lambda: _key(survey_round, form), form)
        if refusal is None:
            db.session.commit()
            flash(_keyed_message(keyed), "success")
            return redirect(url_for("survey.paper_entry", round_id=round_id))
    if request.method == "POST":
        status = 400
    # The cursor starts on the form number (after a save, ready for the next form), or on the
    # first field to correct.
    focus = next((name for name in form.errors if name in form), "form_code")
    form[focus].render_kw = (form[focus].render_kw or {}) | {"autofocus": True}
    entered = queries.visible_paper_forms(survey_round)
    return render_template(
        "survey/paper_entry.html", survey_round=survey_round, form=form, questionnaire=questionnaire,
        entered=len(entered), waiting=sum(p.status == "mismatch" for p in entered),
    ), status


def _paper_forms_view(survey_round: SurveyRound):
    """The keyed-form list's filters and sort from the query string: the statement and the
    arguments that its links and its download keep (an unknown state or clerk is left out)."""
    state = request.args.get("status", "")
    state = state if state in queries.PAPER_STATES else ""
    prefecture, county = request.args.get("prefecture", ""), request.args.get("county", "")
    clerk = request.args.get("clerk", "")
    clerk = int(clerk) if clerk.isdecimal() and int(clerk) in queries.paper_clerks() else None
    since, until = listing.date_arg("from"), listing.date_arg("to")
    code = request.args.get("q", "").strip().upper()
    sort, descending = queries.PAPER_SORTS.read()
    stmt = queries.paper_forms_view(survey_round, state, prefecture, county, clerk, since, until, code, sort, descending)
    args = listing.kept(round_id=survey_round.id, status=state, prefecture=prefecture, county=county, clerk=clerk,
                        q=code, **{"from": since and since.isoformat(), "to": until and until.isoformat()})
    return stmt, args | queries.PAPER_SORTS.args(sort, descending), sort, descending


@bp.get("/rounds/<int:round_id>/paper/forms")
@permission_required("key_paper_forms")
def paper_forms(round_id: int):
    """The keyed paper forms on a page of their own: filtered, sorted by a column, paged."""
    survey_round = db.session.get(SurveyRound, round_id) or abort(404)
    stmt, args, sort, descending = _paper_forms_view(survey_round)
    page = listing.page_of(stmt, listing.count(stmt), listing.page_arg())
    prefectures, counties = registry_queries.visible_prefectures(), registry_queries.visible_counties()
    names = {p.id: p.name for p in prefectures}
    grouped: dict[str, list] = {}
    for county in counties:
        grouped.setdefault(names[county.prefecture_id], []).append(county)
    return render_template(
        "survey/paper_forms.html", survey_round=survey_round, page=page, args=args, sort=sort, descending=descending,
        sorts=queries.PAPER_SORTS.labels, states={k: label for k, (label, _) in queries.PAPER_STATES.items()},
        prefectures=prefectures, counties=grouped, county_names={c.code: c.name for c in counties},
        clerks=queries.paper_clerks(), user_id=current_user.id)


PAPER_HEADER = ["编号", "市州", "县市区", "状态", "第一次录入", "第二次录入", "裁定", "最后录入时间"]


@bp.get("/rounds/<int:round_id>/paper/forms.xlsx")
@permission_required("key_paper_forms")
def export_paper_forms(round_id: int):
    """The current view of the keyed paper forms as an Excel file, up to EXPORT_LIMIT rows."""
    survey_round = db.session.get(SurveyRound, round_id) or abort(404)
    clerks = queries.paper_clerks()
    counties = {c.code: c.name for c in registry_queries.visible_counties()}
    rows = [[p.form_code, p.prefecture.name, p.county.name if p.county else counties.get(p.keyed_county, ""),
             p.status_label, clerks.get(p.first_clerk_id, ""), clerks.get(p.second_clerk_id, ""),
             clerks.get(p.verified_by_id, "") if p.second_clerk_id != p.verified_by_id else "",
             local(p.updated_at).strftime("%Y-%m-%d %H:%M")]
            for p in listing.first_rows(_paper_forms_view(survey_round)[0], EXPORT_LIMIT)]
    return download(xlsx_bytes("纸质问卷", PAPER_HEADER, rows), XLSX_MIMETYPE, f"paper-forms-{survey_round.id}.xlsx")


def _key(survey_round: SurveyRound, form: AnswerForm) -> PaperForm:
    code, prefecture = operations.parse_form_code(form.form_code.data, registry_queries.visible_prefectures())
    county = registry_queries.county_by_code(form.county.data) if form.county.data else None
    answers = {k: v for k, v in form.raw().items() if k not in ("form_code", "county")}
    return operations.key_paper_form(survey_round, code, prefecture, county, answers, current_user.id, today())


def _keyed_message(keyed: PaperForm) -> str:
    if keyed.verified:
        return f"问卷 {keyed.form_code} 两次录入一致，已核对入库。"
    if keyed.status == "mismatch":
        return f"问卷 {keyed.form_code} 两次录入不一致，请另一位工作人员对照纸质问卷裁定。"
    return f"问卷 {keyed.form_code} 第一次录入已保存，需由另一位工作人员背对背再录入一次。"


@bp.route("/paper/<int:form_id>/adjudicate", methods=["GET", "POST"])
@permission_required("key_paper_forms")
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
        else:
            _, refusal = attempt(lambda: operations.adjudicate(paper, chosen, current_user.id, today()), form)
            if refusal is None:
                db.session.commit()
                flash(f"问卷 {paper.form_code} 已裁定并核对入库。", "success")
                return redirect(url_for("survey.paper_entry", round_id=paper.round_id))
        status = 400
    questionnaire = qn.load(paper.round.questionnaire_version)
    return render_template(
        "survey/adjudicate.html", paper=paper, form=form, rows=[_disagreement(questionnaire, paper, key) for key in keys],
        keyed_it=current_user.id in (paper.first_clerk_id, paper.second_clerk_id),
    ), status


def _disagreement(questionnaire: qn.Questionnaire, paper: PaperForm, key: str) -> tuple[str, str, str, str]:
    """One disagreement as the adjudicator reads it: the key, the question, and both keyings in words."""
    first, second = (answers.get(key, "") for answers in (paper.first_answers, paper.second_answers))
    if key == "county":
        names = {code: (county.name if (county := registry_queries.county_by_code(code)) else code)
                 for code in (first, second) if code}
        return key, "县市区", names.get(first, "（空）"), names.get(second, "（空）")
    return key, questionnaire.column_label(key), questionnaire.value_text(key, first), questionnaire.value_text(key, second)


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


# The questionnaire at an enterprise's personal link.
respond = Blueprint("respond", __name__, url_prefix=jobs.LINK_PREFIX)



def _invitation(token: str):
    """The invitation behind ``token``; a wrong token counts against the address."""
    invitation = operations.find_invitation(token)
    if invitation is None:
        throttle.count_token_miss(request.remote_addr)
    return invitation


def _page(name: str, status: int = 200, **context):
    return render_template(f"survey/respond/{name}.html", **context), status


def _gate(token: str):
    """The invitation if the form may be shown, else the page to show instead."""
    invitation = _invitation(token)
    if invitation is None:
        return None, _page("invalid", 404)
    if invitation.used:
        return None, _page("done", 200, survey_round=invitation.round)
    _, closed = attempt(lambda: operations.check_open(invitation.round, today()))
    if closed is not None:
        return None, _page("closed", 200, message=closed.message, survey_round=invitation.round)
    return invitation, None


@respond.get("/<token>")
def start(token: str):
    invitation, page = _gate(token)
    if page:
        return page
    questionnaire = qn.load(invitation.round.questionnaire_version)
    reached = invitation.draft.page if invitation.draft else 0
    if reached >= len(questionnaire.sections):
        return redirect(url_for("respond.review", token=token))
    if invitation.draft is None and request.args.get("begin") is None:
        return _page("welcome", questionnaire=questionnaire, token=token, survey_round=invitation.round)
    return redirect(url_for("respond.section", token=token, number=reached + 1))


@respond.route("/<token>/<int:number>", methods=["GET", "POST"])
def section(token: str, number: int):
    invitation, page = _gate(token)
    if page:
        return page
    questionnaire = qn.load(invitation.round.questionnaire_version)
    if not 1 <= number <= len(questionnaire.sections):
        abort(404)
    saved = invitation.draft.answers if invitation.draft else {}
    if request.method == "POST":
        form = section_form(questionnaire, number - 1)
        if not form.validate():
            return _section_page(form, questionnaire, number, token, saved, status=400)
        result, refusal = attempt(lambda: operations.save_page(invitation, number - 1, form.raw(), today()), form)
        if refusal is not None:
            return _section_page(form, questionnaire, number, token, saved, status=409)
        if result.errors:
            for key, message in result.errors.items():
                getattr(form, key).errors = [message]
            return _section_page(form, questionnaire, number, token, {**saved, **form.raw()}, status=400)
        db.session.commit()
        for question in result.withdrawn:
            flash(f"已删除第 {question.number} 题的回答：本题只在{question.condition_text(questionnaire)}，"
                  "按您现在的选择不需回答。", "warning")
        if request.form.get("go") == "back" and number > 1:
            return redirect(url_for("respond.section", token=token, number=number - 1, saved=number))
        if number == len(questionnaire.sections):
            return redirect(url_for("respond.review", token=token))
        return redirect(url_for("respond.section", token=token, number=number + 1, saved=number))
    form = section_form(questionnaire, number - 1, formdata=None, data=_form_data(questionnaire, saved))
    just_saved = number_arg("saved", Range("部分", Decimal(1), Decimal(len(questionnaire.sections))))
    return _section_page(form, questionnaire, number, token, saved, just_saved=just_saved)


@respond.post("/<token>/<int:number>/autosave")
def autosave(token: str, number: int):
    """One page's answers saved as they are given (survey.js sends the whole page on each change):
    the page save's checks, nothing required, the page not counted as reached.  Answers JSON.
    CSRFProtect has checked the form's token before this view; wrong links are throttled."""
    invitation = _invitation(token)
    if invitation is None:
        return jsonify(saved=False, message="此问卷链接无效或已停用。"), 404
    questionnaire = qn.load(invitation.round.questionnaire_version)
    if not 1 <= number <= len(questionnaire.sections):
        abort(404)
    form = section_form(questionnaire, number - 1)
    result, refusal = attempt(
        lambda: operations.save_page(invitation, number - 1, form.raw(), today(), complete=False)
    )
    if refusal is not None:
        return jsonify(saved=False, message=refusal.message), 409
    if result.errors:
        return jsonify(saved=False, errors=result.errors, message="有答案未能保存，请看题目下方的提示。"), 400
    db.session.commit()
    return jsonify(saved=True, withdrawn=[q.key for q in result.withdrawn])


def _form_data(questionnaire: qn.Questionnaire, saved: dict[str, str]) -> dict:
    """Saved answers in the shape the fields expect (multi-choice fields take lists)."""
    data = dict(saved)
    for question in questionnaire.questions:
        if question.kind == "multi" and question.key in data:
            data[question.key] = list(data[question.key])
    return data


def _section_page(form: AnswerForm, questionnaire, number: int, token: str, answers: dict,
                  status: int = 200, just_saved: int | None = None):
    """A page of the questionnaire; after its button, the gaps left on the page just saved."""
    gaps = questionnaire.gaps(answers, list(questionnaire.sections[just_saved - 1].questions)) if just_saved else []
    return _page(
        "section", status, form=form, questionnaire=questionnaire, number=number, token=token,
        section=questionnaire.sections[number - 1], answers=answers, just_saved=just_saved, gaps=gaps,
    )


@respond.get("/<token>/review")
def review(token: str):
    invitation, page = _gate(token)
    if page:
        return page
    questionnaire = qn.load(invitation.round.questionnaire_version)
    answers = invitation.draft.answers if invitation.draft else {}
    return _page(
        "review", questionnaire=questionnaire, answers=answers, token=token, gaps=questionnaire.gaps(answers),
        form=AnswerForm(), survey_round=invitation.round,
    )


@respond.route("/<token>/reminders", methods=["GET", "POST"])
def stop_reminders(token: str):
    """Unsubscribe from this round's reminders (the GET shows the button, the POST does it)."""
    invitation = _invitation(token)
    if invitation is None:
        return _page("invalid", 404)
    if request.method == "POST":
        operations.stop_reminders(invitation)
        db.session.commit()
    return _page("reminders", survey_round=invitation.round, token=token, stopped=invitation.reminders_off)


@respond.post("/<token>/submit")
def submit(token: str):
    invitation, page = _gate(token)
    if page:
        return page
    form = AnswerForm()
    if not form.validate():
        return _page("closed", 400, message="页面已过期，请返回检查页重新提交。", survey_round=invitation.round)
    _, refusal = attempt(lambda: operations.submit(invitation, today()))
    if isinstance(refusal, operations.AlreadySubmitted):
        return _page("done", 200, survey_round=invitation.round)
    if refusal is not None:
        return _page("closed", 400, message=refusal.message, survey_round=invitation.round)
    db.session.commit()
    return redirect(url_for("respond.start", token=token))


respond.before_request(access.refuse_staff_sessions)

"""The questionnaire at an enterprise's personal link: ``/s/<token>``.

No login: the unguessable token is the credential.  Unknown and revoked tokens get the same
404 page, and an address that keeps presenting wrong tokens is throttled.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from investenv.auth import throttle
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.forms import apply_rule_error
from investenv.timeutil import today

from . import operations
from . import questionnaire as qn
from .forms import AnswerForm, section_form

bp = Blueprint("respond", __name__, url_prefix="/s")



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
    try:
        operations.check_open(invitation.round, today())
    except RuleError as exc:
        return None, _page("closed", 200, message=exc.message, survey_round=invitation.round)
    return invitation, None


@bp.get("/<token>")
def start(token: str):
    invitation, page = _gate(token)
    if page:
        return page
    questionnaire = qn.load(invitation.round.questionnaire_version)
    reached = invitation.draft.page if invitation.draft else 0
    if reached >= len(questionnaire.sections):
        return redirect(url_for("respond.review", token=token))
    if reached == 0 and request.args.get("begin") is None:
        return _page("welcome", questionnaire=questionnaire, token=token, survey_round=invitation.round)
    return redirect(url_for("respond.section", token=token, number=reached + 1))


@bp.route("/<token>/<int:number>", methods=["GET", "POST"])
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
            return _section_page(form, questionnaire, number, token, saved, 400)
        try:
            errors = operations.save_page(invitation, number - 1, form.raw(), today())
        except RuleError as exc:
            apply_rule_error(form, exc)
            return _section_page(form, questionnaire, number, token, saved, 409)
        if errors:
            for key, message in errors.items():
                getattr(form, key).errors = [message]
            return _section_page(form, questionnaire, number, token, {**saved, **form.raw()}, 400)
        db.session.commit()
        if request.form.get("go") == "back" and number > 1:
            return redirect(url_for("respond.section", token=token, number=number - 1))
        if number == len(questionnaire.sections):
            return redirect(url_for("respond.review", token=token))
        return redirect(url_for("respond.section", token=token, number=number + 1))
    form = section_form(questionnaire, number - 1, formdata=None, data=_form_data(questionnaire, saved))
    return _section_page(form, questionnaire, number, token, saved)


def _form_data(questionnaire: qn.Questionnaire, saved: dict[str, str]) -> dict:
    """Saved answers in the shape the fields expect (multi-choice fields take lists)."""
    data = dict(saved)
    for question in questionnaire.questions:
        if question.kind == "multi" and question.key in data:
            data[question.key] = list(data[question.key])
    return data


def _section_page(form: AnswerForm, questionnaire, number: int, token: str, answers: dict, status: int = 200):
    return _page(
        "section", status, form=form, questionnaire=questionnaire, number=number, token=token,
        section=questionnaire.sections[number - 1], answers=answers,
    )


@bp.get("/<token>/review")
def review(token: str):
    invitation, page = _gate(token)
    if page:
        return page
    questionnaire = qn.load(invitation.round.questionnaire_version)
    answers = invitation.draft.answers if invitation.draft else {}
    unanswered = [
        q.number for q in questionnaire.questions if q.key not in answers and questionnaire.applies(q, answers)
    ]
    return _page(
        "review", questionnaire=questionnaire, answers=answers, token=token, unanswered=unanswered,
        form=AnswerForm(), survey_round=invitation.round,
    )


@bp.post("/<token>/submit")
def submit(token: str):
    invitation, page = _gate(token)
    if page:
        return page
    form = AnswerForm()
    if not form.validate():
        return _page("closed", 400, message="页面已过期，请返回检查页重新提交。", survey_round=invitation.round)
    try:
        operations.submit(invitation, today())
    except operations.AlreadySubmitted:
        db.session.rollback()
        return _page("done", 200, survey_round=invitation.round)
    except RuleError as exc:
        db.session.rollback()
        return _page("closed", 400, message=exc.message, survey_round=invitation.round)
    db.session.commit()
    return redirect(url_for("respond.start", token=token))

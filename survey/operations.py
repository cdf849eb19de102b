"""State changes of the survey: rounds, invitations, drafts, submission and paper entry.

Every function validates before it writes and only flushes; the caller commits once.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from investenv import numbers
from investenv.errors import FieldErrors, RuleError
from investenv.extensions import db
from investenv.registry.models import County, Enterprise, MonitoringPoint
from notifications import outbox

from . import questionnaire as qn
from .models import Channel, Draft, Invitation, PaperForm, Response, SurveyRound

TOKEN_BYTES = 24  # 192 bits, URL-safe base64: 32 characters


class AlreadySubmitted(RuleError):
    def __init__(self):
        super().__init__("此问卷已经提交过，不能重复提交。感谢您的参与！")


def create_round(
    year: int, title: str, version: str, opens_on: dt.date, closes_on: dt.date, anonymous: bool = True
) -> SurveyRound:
    if version not in qn.versions():
        raise RuleError(f"没有版本为 {version} 的问卷", field="questionnaire_version")
    if closes_on < opens_on:
        raise RuleError("截止日期不能早于开始日期", field="closes_on")
    if not numbers.YEAR.low <= year <= numbers.YEAR.high:
        raise RuleError(f"年度应在 {numbers.YEAR.low}–{numbers.YEAR.high} 之间", field="year")
    survey_round = SurveyRound(
        year=year, title=title.strip() or f"{year} 年投资环境问卷调查", questionnaire_version=version,
        opens_on=opens_on, closes_on=closes_on, anonymous=anonymous,
    )
    db.session.add(survey_round)
    db.session.flush()
    return survey_round


def invite(survey_round: SurveyRound, enterprise: Enterprise) -> Invitation:
    """Give ``enterprise`` a personal link for the round."""
    exists = db.session.scalar(
        select(Invitation.id).where(
            Invitation.round_id == survey_round.id, Invitation.enterprise_id == enterprise.id
        )
    )
    if exists is not None:
        raise RuleError(f"{enterprise.name} 已在本轮邀请名单中。", field="enterprise")
    invitation = Invitation(
        round=survey_round, enterprise_id=enterprise.id, prefecture_id=enterprise.prefecture_id,
        token=secrets.token_urlsafe(TOKEN_BYTES),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def invite_monitoring_points(survey_round: SurveyRound) -> int:
    """Invite every monitoring point in force on the round's opening day; returns how many."""
    day = survey_round.opens_on
    invited = set(db.session.scalars(select(Invitation.enterprise_id).where(Invitation.round_id == survey_round.id)))
    points = db.session.scalars(
        select(MonitoringPoint).where(
            MonitoringPoint.registered_on <= day,
            (MonitoringPoint.withdrawn_on.is_(None)) | (MonitoringPoint.withdrawn_on > day),
        ).order_by(MonitoringPoint.id)
    ).all()
    added = 0
    for point in points:
        if point.enterprise_id not in invited:
            invite(survey_round, point.enterprise)
            added += 1
    return added


def revoke(invitation: Invitation) -> None:
    """Stop the invitation's link (it answers as an unknown one); the invitation stays listed."""
    if invitation.used:
        raise RuleError("已提交的邀请不能撤销。")
    if invitation.revoked:
        raise RuleError("这个链接已经停用。")
    invitation.revoked = True
    db.session.flush()


def restore(invitation: Invitation) -> None:
    """Make a revoked link work again (the same link; a saved draft is still there)."""
    if not invitation.revoked:
        raise RuleError("这个链接没有停用，无需恢复。")
    invitation.revoked = False
    db.session.flush()


def find_invitation(token: str) -> Invitation | None:
    """The live invitation behind a link, or None (unknown or revoked look the same)."""
    if not token or len(token) > 64:
        return None
    invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.token == token)
        .options(joinedload(Invitation.round), joinedload(Invitation.draft))
    )
    if invitation is None or invitation.revoked:
        return None
    return invitation


def check_open(survey_round: SurveyRound, day: dt.date) -> None:
    if day < survey_round.opens_on:
        raise RuleError(f"本次调查将于 {survey_round.opens_on:%Y年%m月%d日} 开始，届时请再打开此链接。")
    if day > survey_round.closes_on:
        raise RuleError(f"本次调查已于 {survey_round.closes_on:%Y年%m月%d日} 结束，感谢您的关注。")


@dataclass(frozen=True)
class SavedPage:
    """What saving a page did: ``errors`` by field (then nothing was saved), and the questions
    whose answers were dropped because their condition no longer holds (Q5 after Q4 = 一般)."""
    errors: dict[str, str]
    withdrawn: list[qn.Question] = field(default_factory=list)


def save_page(invitation: Invitation, page: int, raw: dict[str, str], day: dt.date, complete: bool = True) -> SavedPage:
    """Check and save one section's answers (``raw`` holds every field of the page) into the draft.

    ``complete`` is the page's button: a follow-up that applies must then be answered, and the
    page counts as reached.  An autosave (``complete=False``) saves what is there and requires
    nothing.  Either way an answer to a question that no longer applies is dropped, not refused:
    without script a chosen radio button cannot be cleared.
    """
    if invitation.used:
        raise AlreadySubmitted()
    check_open(invitation.round, day)
    questionnaire = qn.load(invitation.round.questionnaire_version)
    section = questionnaire.sections[page]
    last = page == len(questionnaire.sections) - 1
    draft = invitation.draft or Draft(invitation=invitation, answers={}, page=0)
    context, withdrawn = questionnaire.withdraw_inapplicable({**draft.answers, **raw}, list(section.questions))
    clean, errors = questionnaire.clean(context, list(section.questions), require_followups=complete)
    if last:
        footer_clean, footer_errors = questionnaire.clean_footer(raw)
        clean.update(footer_clean)
        errors.update(footer_errors)
    if errors:
        return SavedPage(errors)
    keys = {q.key for q in section.questions} | {q.other_key for q in section.questions if q.other_key}
    if last:
        keys |= {f.key for f in questionnaire.footer}
    answers = {k: v for k, v in draft.answers.items() if k not in keys} | clean
    # A later change of a condition's source (Q4) withdraws answers that no longer apply (Q5).
    for question in questionnaire.questions:
        if question.key in answers and not questionnaire.applies(question, answers):
            answers.pop(question.key)
            answers.pop(question.other_key or "", None)
    draft.answers = answers
    if complete:
        draft.page = max(draft.page, page + 1)
    db.session.add(draft)
    db.session.flush()
    return SavedPage({}, withdrawn)


def submit(invitation: Invitation, day: dt.date) -> Response:
    """Write the anonymous response and delete the draft, in the caller's one transaction.

    The ``used`` flag is set by a conditional UPDATE, so of two simultaneous submissions
    (a double click, two devices) exactly one succeeds.
    """
    check_open(invitation.round, day)
    questionnaire = qn.load(invitation.round.questionnaire_version)
    answers = invitation.draft.answers if invitation.draft else {}
    clean, errors = questionnaire.clean(answers, require_followups=True)
    if errors:
        raise RuleError("问卷中有需要修改的答案，请返回修改后再提交。")
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used.is_(False), Invitation.revoked.is_(False))
        .values(used=True)
    )
    if claimed.rowcount != 1:
        raise AlreadySubmitted()
    enterprise = invitation.enterprise
    response = record_response(
        invitation.round, enterprise.prefecture_id, enterprise.county_id,
        None if invitation.round.anonymous else enterprise.id, Channel.ONLINE, clean, day,
    )
    db.session.execute(delete(Draft).where(Draft.invitation_id == invitation.id))
    db.session.flush()
    db.session.expire(invitation)
    return response


def record_response(
    survey_round: SurveyRound, prefecture_id: int, county_id: int | None, enterprise_id: int | None,
    channel: Channel, answers: dict[str, str], day: dt.date,
) -> Response:
    response = Response(
        round_id=survey_round.id, prefecture_id=prefecture_id, county_id=county_id,
        enterprise_id=enterprise_id, channel=channel.value, submitted_on=day, answers=answers,
    )
    db.session.add(response)
    db.session.flush()
    return response


# --- paper forms -------------------------------------------------------------------------

def paper_form_code(prefecture_code: str, number: int) -> str:
    """The ID printed on a paper form, e.g. ``4302-0015``."""
    return f"{prefecture_code[:4]}-{number:04d}"


def parse_form_code(code: str, prefectures) -> tuple[str, object]:
    code = code.strip().upper()
    head, _, tail = code.partition("-")
    prefecture = next((p for p in prefectures if p.short_code == head), None)
    if prefecture is None or len(tail) != 4 or not tail.isdigit():
        raise RuleError("问卷编号格式应为“市州代码前4位-4位序号”，如 4302-0015", field="form_code")
    return code, prefecture


def key_paper_form(
    survey_round: SurveyRound, form_code: str, prefecture, county: County | None,
    answers: dict[str, str], clerk_id: int, day: dt.date,
) -> PaperForm:
    """Key one paper form.  The first keying is stored; the second, by another clerk and blind,
    verifies the form if it matches exactly, otherwise leaves it for adjudication."""
    if county is not None and county.prefecture_id != prefecture.id:
        raise RuleError(f"{county.name}不属于{prefecture.name}", field="county")
    questionnaire = qn.load(survey_round.questionnaire_version)
    clean, errors = questionnaire.clean(answers)
    if errors:
        raise FieldErrors(errors, "录入的答案有误，请按提示修改。")
    keyed = clean | ({"county": county.code} if county else {})
    form = db.session.scalar(
        select(PaperForm).where(PaperForm.round_id == survey_round.id, PaperForm.form_code == form_code)
    )
    if form is None:
        form = PaperForm(round_id=survey_round.id, form_code=form_code, prefecture_id=prefecture.id)
        db.session.add(form)
    if form.verified:
        raise RuleError(f"问卷 {form_code} 已核对入库，不能再次录入。", field="form_code")
    if form.first_answers is None:
        form.first_answers, form.first_clerk_id = keyed, clerk_id
    elif form.first_clerk_id == clerk_id:
        raise RuleError("第二次录入必须由另一位工作人员完成（双人背对背录入）。", field="form_code")
    elif form.second_answers is not None:
        raise RuleError(f"问卷 {form_code} 已录入两次，正在等待裁定。", field="form_code")
    else:
        form.second_answers, form.second_clerk_id = keyed, clerk_id
        if form.second_answers == form.first_answers:
            _verify(form, keyed, clerk_id, day)
    db.session.flush()
    return form


def differences(form: PaperForm) -> list[str]:
    """Columns where the two keyings disagree, in questionnaire order."""
    first, second = form.first_answers or {}, form.second_answers or {}
    order = ["county"] + qn.load(form.round.questionnaire_version).columns
    return [key for key in order if first.get(key, "") != second.get(key, "")]


def adjudicate(form: PaperForm, chosen: dict[str, str], user_id: int, day: dt.date) -> Response:
    """Resolve every disagreement with the value read off the paper, and verify the form."""
    if form.verified or form.second_answers is None:
        raise RuleError("此问卷不需要裁定。")
    if user_id in (form.first_clerk_id, form.second_clerk_id):
        raise RuleError("裁定须由两位录入员以外的工作人员完成。")
    resolved = dict(form.first_answers)
    for key in differences(form):
        if key not in chosen:
            raise RuleError(f"请为 {key} 选定取值。")
        resolved[key] = chosen[key]
    resolved = {k: v for k, v in resolved.items() if v}
    county_code = resolved.pop("county", None)
    questionnaire = qn.load(form.round.questionnaire_version)
    clean, errors = questionnaire.clean(resolved)
    if errors:
        raise FieldErrors(errors, "裁定后的答案有误。")
    keyed = clean | ({"county": county_code} if county_code else {})
    return _verify(form, keyed, user_id, day)


def _verify(form: PaperForm, keyed: dict[str, str], user_id: int, day: dt.date) -> Response:
    answers = dict(keyed)
    county_code = answers.pop("county", None)
    county = db.session.scalar(select(County).where(County.code == county_code)) if county_code else None
    form.verified, form.verified_by_id = True, user_id
    form.county_id = county.id if county else None
    return record_response(form.round, form.prefecture_id, form.county_id, None, Channel.PAPER, answers, day)


# channel → (the invitation's template, the reminder's template)
INVITATION_TEMPLATES = {"sms": ("survey_invitation", "survey_reminder"),
                        "email": ("survey_invitation_mail", "survey_reminder_mail")}


def _address(enterprise: Enterprise, channel: str) -> str | None:
    if channel == "sms":
        return outbox.mobile_number(enterprise.contact_phone)
    return enterprise.contact_email.strip() or None


def notify_invited(invitations: list[Invitation], link, reminder: bool, day: dt.date,
                   channel: str = "sms") -> tuple[int, int]:
    """The province's invitation, or reminder, by e-mail to each invited enterprise's contact
    e-mail (which only the province may enter: registry.operations) with its personal link
    ``link(invitation)`` and the link that stops reminders, or by SMS to its contact mobile without
    any link (the phone is kept by the prefecture: the SMS points to the mail or the paper letter;
    outbox.may_carry_personal_link); never for a used or revoked link, no reminder to an enterprise
    that asked for none, an invitation once and a reminder at most once a day per channel.  Returns
    (messages written, enterprises without a mobile or an address the link may go to)."""
    template = INVITATION_TEMPLATES[channel][reminder]
    written = without = 0
    for invitation in invitations:
        if invitation.used or invitation.revoked or (reminder and invitation.reminders_off):
            continue
        address = _address(invitation.enterprise, channel)
        if address is None or (channel == "email" and not outbox.may_carry_personal_link(channel, address,
                                                                                          invitation.enterprise)):
            without += 1
            continue
        context = {"invitation": invitation, "survey_round": invitation.round}
        if channel == "email":
            context["link"] = link(invitation)
        written += outbox.enqueue(channel, address, "enterprise", template, context, round_id=invitation.round_id,
                                  dedupe_key=f"{template}:{invitation.id}:{day if reminder else ''}",
                                  enterprise=invitation.enterprise) is not None
    return written, without


def stop_reminders(invitation: Invitation) -> None:
    """The enterprise asks for no more reminders of this round (its link stays valid)."""
    invitation.reminders_off = True
    db.session.flush()

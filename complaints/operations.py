"""The complaint workflow as plain functions: intake, acceptance, routing, handling, extension,
reply, closure, reopening, objections and the satisfaction return visit.

Every change appends to the case's timeline; every function checks before it writes and only
flushes.  Deadlines come from the case's rule set and the official calendar; when the calendar
does not cover a deadline, it is provisional (weekends only; shown 预计), ``deadline_problem`` says
why, and :func:`recompute_deadlines` makes it exact once the year is entered.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal
from difflib import SequenceMatcher

from sqlalchemy import func, select, update

from investenv import uploads
from investenv.errors import FieldErrors, RuleError
from investenv.extensions import db
from investenv.registry.models import County, Enterprise, Prefecture
from investenv.timeutil import local, utcnow

from . import calendar_store, notices, queries
from .calendar import CalendarMissing
from .models import Attachment, Complaint, ComplaintEvent, Inspection
from .rules import rule_set
from .vocabulary import CATEGORIES, CHANNELS, OUTCOMES, SATISFACTION, STATUSES, VISIT_METHODS

TEXT_LIMIT = 5000


def hash_secret(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _event(case: Complaint, user_id: int | None, kind: str, text: str = "", public: bool = False,
           to: str | None = None) -> None:
    event = ComplaintEvent(complaint=case, user_id=user_id, kind=kind, text=text.strip(), public=public,
                           status_from=case.status if to else None, status_to=to)
    db.session.add(event)
    case.last_event_at = utcnow()
    if to:
        case.status = to
    notices.after_event(case, event)  # what the entry tells whom: the outbox, in this transaction


def _require(case: Complaint, *statuses: str, action: str) -> None:
    if case.status not in statuses:
        raise RuleError(f"案件当前为“{STATUSES[case.status]}”，不能{action}。")


def _provisional(case: Complaint, year: int) -> None:
    """Mark the case's deadlines as provisional until ``year``'s arrangement is entered."""
    case.deadline_problem = f"缺少 {year} 年的节假日安排，期限为预计（只除去周末）"


def _deadline(case: Complaint, start: dt.date, period) -> dt.date:
    """The deadline of ``period`` from ``start``; a provisional one (weekends only, the case
    marked) when the calendar lacks its year."""
    calendar = calendar_store.around(start)
    try:
        return calendar.deadline(start, period)
    except CalendarMissing as exc:
        _provisional(case, exc.year)
        return calendar.provisional().deadline(start, period)


@dataclass(frozen=True)
class CaseIntake:
    """A new complaint as its caller takes it in (the intake page, the JSON API, a monitoring
    point's feedback, an inspection report), logged by ``user_id`` on the day ``today``."""
    prefecture: Prefecture
    county: County | None
    complainant: str
    channel: str
    received_on: dt.date
    category: str
    summary: str
    user_id: int | None
    today: dt.date
    department: str = ""
    enterprise_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    claims: str = ""
    amount_yuan: Decimal | None = None
    rules: str = "seed"
    intake_key: str | None = None  # the intake form's one-time key: a form sent twice is logged once

    @classmethod
    def from_enterprise(cls, enterprise: Enterprise, **fields) -> CaseIntake:
        """A complaint of ``enterprise`` itself: its prefecture, county, name and contact."""
        return cls(prefecture=enterprise.prefecture, county=enterprise.county, complainant=enterprise.name,
                   enterprise_id=enterprise.id, contact_name=enterprise.contact_name,
                   contact_phone=enterprise.contact_phone, **fields)

    def problems(self) -> dict[str, str]:
        """What is wrong with it, by field; empty if it may be logged."""
        problems = {}
        if self.channel not in CHANNELS:
            problems["channel"] = "请选择投诉渠道"
        if self.category not in CATEGORIES:
            problems["category"] = "请选择投诉类别"
        if self.received_on > self.today:
            problems["received_on"] = "收件日期不能晚于今天"
        if self.county is not None and self.county.prefecture_id != self.prefecture.id:
            problems["county"] = f"{self.county.name}不属于{self.prefecture.name}"
        if not self.complainant.strip():
            problems["complainant"] = "请填写投诉企业"
        if not self.summary.strip():
            problems["summary"] = "请填写投诉事项"
        for key, text in (("summary", self.summary), ("claims", self.claims)):
            if len(text) > TEXT_LIMIT:
                problems[key] = f"不能超过 {TEXT_LIMIT} 字"
        email = self.contact_email.strip()
        if email and (email.count("@") != 1 or any(c.isspace() for c in email) or "." not in email.split("@")[1]):
            problems["contact_email"] = "电子邮箱格式不正确"
        if self.amount_yuan is not None and self.amount_yuan < 0:
            problems["amount_yuan"] = "涉及金额不能为负数"
        return problems


def case_number(year: int, prefecture: Prefecture, sequence: int) -> str:
    """The case number, e.g. ``2026-4301-0007``: year, the prefecture's short code, sequence."""
    return f"{year:04d}-{prefecture.short_code}-{sequence:04d}"


def _new_case(prefecture: Prefecture, year: int, sequence: int, **columns) -> tuple[Complaint, str]:
    """Add case number ``sequence`` of the prefecture's year with a new lookup code (returned;
    stored hashed).  Its per-day statistics follow on flush (:mod:`complaints.daystats`)."""
    code = secrets.token_hex(4).upper()
    case = Complaint(case_no=case_number(year, prefecture, sequence), year=year, prefecture_code=prefecture.code,
                     sequence=sequence, secret_hash=hash_secret(code), prefecture_id=prefecture.id, **columns)
    db.session.add(case)
    return case, code


def intake(new: CaseIntake) -> tuple[Complaint, str]:
    """Log a new case under the next number of its prefecture and year; returns it and the
    complainant's lookup code (shown once, stored hashed)."""
    problems = new.problems()
    if problems:
        raise FieldErrors(problems)
    rules_used = rule_set(new.rules)
    prefecture, year = new.prefecture, new.received_on.year
    # One number allocation per prefecture at a time: a no-op UPDATE of the prefecture's row takes
    # its row lock on PostgreSQL and the database write lock on SQLite before the maximum is read,
    # so concurrent intakes wait for each other instead of both taking the same next number.
    db.session.execute(update(Prefecture).where(Prefecture.id == prefecture.id).values(id=Prefecture.id))
    sequence = (db.session.scalar(select(func.max(Complaint.sequence)).where(
        Complaint.year == year, Complaint.prefecture_code == prefecture.code)) or 0) + 1
    case, code = _new_case(
        prefecture, year, sequence, intake_key=new.intake_key,
        county_id=new.county.id if new.county else None, department=new.department.strip(),
        enterprise_id=new.enterprise_id, complainant=new.complainant.strip(), contact_name=new.contact_name.strip(),
        contact_phone=new.contact_phone.strip(), contact_email=new.contact_email.strip(), channel=new.channel, received_on=new.received_on,
        category=new.category, summary=new.summary.strip(), claims=new.claims.strip(), amount_yuan=new.amount_yuan,
        rule_set=rules_used.key, status="received", created_by_id=new.user_id,
    )
    case.acknowledge_due_on = _deadline(case, new.received_on, rules_used.acknowledge)
    _event(case, new.user_id, "intake", f"收到投诉（{CHANNELS[new.channel]}）", public=True)
    db.session.flush()
    return case, code


DUPLICATE_WINDOW = dt.timedelta(days=30)
DUPLICATE_SIMILARITY = 0.6


def flag_duplicates(case: Complaint) -> list[Complaint]:
    """Likely duplicates of a new case: the same enterprise (by registry entry or name) within
    :data:`DUPLICATE_WINDOW` with a similar summary.  Each is named on the case's internal timeline
    for the clerk to merge (refuse one as a duplicate), as 12345 platforms do."""
    same = Complaint.enterprise_id == case.enterprise_id if case.enterprise_id else Complaint.complainant == case.complainant
    earlier = [other for other in db.session.scalars(select(Complaint).where(
        same, Complaint.id != case.id, Complaint.received_on >= case.received_on - DUPLICATE_WINDOW).order_by(Complaint.id))
        if SequenceMatcher(None, other.summary, case.summary).ratio() >= DUPLICATE_SIMILARITY]
    if earlier:
        _event(case, None, "duplicate", "疑似重复投诉：与 " + "、".join(c.case_no for c in earlier)
               + " 的企业相同、内容相近，请核对是否合并办理。", public=False)
        db.session.flush()
    return earlier


def request_supplement(case: Complaint, user_id: int, text: str, day: dt.date) -> None:
    """Ask the complainant, once, to supplement the material (补正材料): within the rule set's
    ``supplement_request`` of receipt; the complainant has ``supplement_answer`` from ``day``, which
    is until then the case's acknowledgement date (the centre decides once it has passed)."""
    _require(case, "received", action="要求补正材料")
    if case.supplement_requested_on is not None:
        raise RuleError(f"本案已于 {case.supplement_requested_on} 要求补正材料；补正通知只发一次，请一次写明全部所需材料。")
    if not text.strip():
        raise RuleError("请写明需要补正的材料。", field="text")
    rules = rule_set(case.rule_set)
    latest = _deadline(case, case.received_on, rules.supplement_request)
    if latest is not None and day > latest:
        raise RuleError(f"补正通知应在收到投诉材料之日起 {rules.supplement_request.label}内发出（最迟 {latest}），"
                        "已过期限；请作受理或不予受理的决定。")
    due = _deadline(case, day, rules.supplement_answer)
    case.supplement_requested_on, case.supplement_due_on = day, due
    case.acknowledge_due_on = due
    _event(case, user_id, "supplement", f"请于 {due or '（期限待定）'} 前补正以下材料（{rules.supplement_answer.label}）：{text.strip()}",
           public=True)
    db.session.flush()


def supplement_overdue(case: Complaint, day: dt.date) -> bool:
    """The complainant was asked to supplement material and has not done so in time."""
    return (case.status == "received" and case.supplemented_on is None and case.supplement_due_on is not None
            and case.supplement_due_on < day)


SUPPLEMENT_FILES = 5


def supplement(case: Complaint, text: str, files: list[tuple[bytes, str]], folder, limit: int, day: dt.date) -> None:
    """The complainant's answer to the request to supplement, on the status page: a text and up
    to :data:`SUPPLEMENT_FILES` files, each checked by content before any is stored (a refused
    file stores nothing).  The acceptance period runs again from ``day``."""
    if case.status != "received" or case.supplement_requested_on is None:
        raise RuleError("本案没有要求补正材料。")
    if case.supplemented_on is not None:
        raise RuleError(f"已于 {case.supplemented_on} 补正材料，不能再次提交；如有新的材料，请拨打投诉热线。")
    if not text.strip() and not files:
        raise RuleError("请填写补正说明或上传材料。", field="text")
    if len(text) > TEXT_LIMIT:
        raise RuleError(f"补正说明不能超过 {TEXT_LIMIT} 字。", field="text")
    if len(files) > SUPPLEMENT_FILES:
        raise RuleError(f"最多上传 {SUPPLEMENT_FILES} 个文件。", field="files")
    for data, filename in files:
        try:
            uploads.check(data, ATTACHMENT_TYPES, limit, "files")
        except RuleError as exc:
            raise RuleError(f"“{filename[:100]}”：{exc.message}未保存任何文件，请更换后重新提交。", field="files") from None
    names = [_store(case, None, data, filename, folder, limit).original_name for data, filename in files]
    late = case.supplement_due_on is not None and day > case.supplement_due_on
    case.supplemented_on = day
    case.deadline_problem = ""
    case.acknowledge_due_on = _deadline(case, day, rule_set(case.rule_set).acknowledge)
    what = "投诉人补正材料" + ("（逾期）" if late else "")
    if names:
        what += "，附件：" + "、".join(names)
    _event(case, None, "supplemented", f"{what}。{text.strip()}" if text.strip() else f"{what}。", public=True)
    db.session.flush()


def import_case(prefecture: Prefecture, year: int, sequence: int, **state) -> Complaint:
    """A historical case from another system, under its own number and in the state it had there
    (``state``: its category, status, dates and results as case columns); no timeline, and its
    lookup code is never shown (the complainant did not use this system)."""
    case, _ = _new_case(prefecture, year, sequence, complainant="（导入的案件）", channel="transfer",
                        summary="（从其他系统导入）", **state)
    return case


def accept(case: Complaint, user_id: int, day: dt.date, procedure: str, major: bool) -> None:
    _require(case, "received", action="受理")
    if procedure not in ("simple", "joint"):
        raise RuleError("请选择简易程序或联合办理。", field="procedure")
    case.accepted_on, case.procedure, case.major = day, procedure, major
    case.deadline_problem = ""
    case.due_on = _deadline(case, day, rule_set(case.rule_set).reply)
    label = "联合办理" if procedure == "joint" else "简易程序"
    _event(case, user_id, "accept", f"已受理（{label}{'，重大典型案件，省级督办' if major else ''}）", public=True, to="accepted")
    db.session.flush()


def refuse(case: Complaint, user_id: int, reason: str) -> None:
    _require(case, "received", action="作不予受理处理")
    if not reason.strip():
        raise RuleError("请说明不予受理的理由。", field="text")
    _event(case, user_id, "refuse", f"不予受理：{reason}", public=True, to="not_accepted")
    db.session.flush()


def assign(case: Complaint, user_id: int, prefecture: Prefecture, department: str, note: str = "",
           internal: str = "") -> None:
    """Route (派单) the case to a prefecture and department; a later routing is a transfer.  ``note``
    goes on the public timeline with the routing, ``internal`` in an internal entry of its own."""
    _require(case, "accepted", "assigned", "handling", "extended", action="派单或转办")
    transfer = case.status != "accepted"
    old = case.prefecture.name if case.prefecture else ""
    case.prefecture_id, case.department = prefecture.id, department.strip() or case.department
    text = (f"由{old}转{prefecture.name}" if transfer and old != prefecture.name else f"派至{prefecture.name}")
    text += f" {case.department}".rstrip()
    if note.strip():
        text += f"：{note.strip()}"
    _event(case, user_id, "transfer" if transfer else "assign", text, public=True,
           to="assigned" if case.status == "accepted" else None)
    if internal.strip():
        _event(case, user_id, "note", f"{'转办' if transfer else '派单'}的内部说明：{internal.strip()}", public=False)
    db.session.flush()


def start(case: Complaint, user_id: int) -> None:
    _require(case, "assigned", action="开始办理")
    _event(case, user_id, "start", "开始办理", public=True, to="handling")
    db.session.flush()


def _latest_closure(case: Complaint) -> dt.date:
    """The latest closure of an extended case: the rule's maximum from acceptance (provisional,
    the case marked, when the calendar lacks its year)."""
    months = rule_set(case.rule_set).max_extension_months
    calendar = calendar_store.around(case.accepted_on)
    try:
        return calendar.add_months(case.accepted_on, months)
    except CalendarMissing as exc:
        _provisional(case, exc.year)
        return calendar.provisional().add_months(case.accepted_on, months)


def extension_dates(case: Complaint, day: dt.date) -> tuple[dt.date, dt.date]:
    """What extending the case on ``day`` sets: the latest closure (the rule's maximum from
    acceptance) and the first progress report; provisional ones when the calendar lacks a year
    (:class:`calendar_store.Deadlines` tells them apart)."""
    calendar = calendar_store.around(case.accepted_on).provisional()
    rules = rule_set(case.rule_set)
    return calendar.add_months(case.accepted_on, rules.max_extension_months), calendar.deadline(day, rules.progress)


def extend(case: Complaint, user_id: int, reason: str, day: dt.date) -> None:
    """Extend a complex case: a progress report is due every period, up to the rule's maximum."""
    _require(case, "assigned", "handling", action="延期")
    if not reason.strip():
        raise RuleError("请说明延期理由（案情复杂的具体情况）。", field="text")
    case.extended_until = case.due_on = _latest_closure(case)
    case.progress_due_on = _deadline(case, day, rule_set(case.rule_set).progress)
    shown = calendar_store.Deadlines()
    _event(case, user_id, "extend", f"案情复杂，延期办理（最迟 {shown(case.extended_until)}）：{reason}",
           public=True, to="extended")
    db.session.flush()


def progress(case: Complaint, user_id: int, text: str, day: dt.date) -> None:
    """A progress report to the complainant; the next one falls due one period later."""
    _require(case, "extended", "handling", action="通报进展")
    if not text.strip():
        raise RuleError("请填写进展情况。", field="text")
    if case.status == "extended":
        case.progress_due_on = _deadline(case, day, rule_set(case.rule_set).progress)
    _event(case, user_id, "progress", text, public=True)
    db.session.flush()


def note(case: Complaint, user_id: int, text: str) -> None:
    """An internal note: never shown to the complainant."""
    if not text.strip():
        raise RuleError("请填写备注内容。", field="text")
    _event(case, user_id, "note", text, public=False)
    db.session.flush()


def reply(case: Complaint, user_id: int, text: str, day: dt.date) -> None:
    _require(case, "assigned", "handling", "extended", action="答复（已答复或已办结的案件请先重新办理）")
    if not text.strip():
        raise RuleError("请填写答复内容。", field="text")
    case.replied_on, case.progress_due_on = day, None
    if case.accepted_on:
        try:
            case.reply_working_days = calendar_store.load(years=range(case.accepted_on.year, day.year + 1)).working_days_between(case.accepted_on, day)
        except CalendarMissing:
            case.reply_working_days = None
    _event(case, user_id, "reply", text, public=True, to="replied")
    db.session.flush()


def close(case: Complaint, user_id: int, outcome: str, loss_recovered: Decimal | None, day: dt.date) -> None:
    if case.status != "replied":
        raise RuleError("案件尚未答复投诉人，不能办结。请先答复。")
    if outcome not in OUTCOMES:
        raise RuleError("请选择办理结果。", field="outcome")
    if loss_recovered is not None and loss_recovered < 0:
        raise RuleError("挽回经济损失不能为负数。", field="loss_recovered")
    case.outcome, case.loss_recovered_yuan, case.closed_on = outcome, loss_recovered, day
    _event(case, user_id, "close", f"办结：{OUTCOMES[outcome]}", public=True, to="closed")
    db.session.flush()


def reopen(case: Complaint, user_id: int, reason: str) -> None:
    _require(case, "replied", "closed", action="重新办理")
    if not reason.strip():
        raise RuleError("请说明重新办理的理由。", field="text")
    case.closed_on, case.outcome = None, None
    case.replied_on, case.reply_working_days = None, None  # a new reply is due; the old one stays on the timeline
    _event(case, user_id, "reopen", f"重新办理：{reason}", public=True, to="handling")
    db.session.flush()


def object_to_result(case: Complaint, user_id: int | None, text: str) -> None:
    """The complainant disputes the result; the case goes up to the provincial centre."""
    _require(case, "replied", "closed", action="提出异议")
    if not text.strip():
        raise RuleError("请填写异议内容。", field="text")
    case.escalated = True
    _event(case, user_id, "objection", f"投诉人对处理结果有异议，报省投诉服务中心：{text}", public=True)
    db.session.flush()


RATING_EVENTS = ("visit", "visit_fix")


def touched_by(case: Complaint) -> set[int]:
    """Everyone who did anything on the case in any role (intake, acceptance or refusal,
    assignment, transfer, handling, extension, progress report, note, attachment, reply, closure,
    reopening, objection): none of them may record or correct its satisfaction rating."""
    return {e.user_id for e in case.events if e.user_id and e.kind not in RATING_EVENTS}


def _may_rate(case: Complaint, user_id: int) -> None:
    if user_id in touched_by(case):
        raise RuleError("您办理过本案（受理、转办、办理、答复、办结等任一环节），不能记录或更正满意度回访，请由未经手的工作人员进行。")


def return_visit(case: Complaint, user_id: int, satisfaction: str, day: dt.date, method: str = "phone",
                 comment: str = "", words: str = "") -> None:
    """Record the satisfaction return visit (回访): once per case, by someone who never touched it;
    how the complainant was reached (public with the answer), the visitor's comment and the
    complainant's own words (both internal).  A later change is :func:`correct_visit`, an
    administrator's reasoned correction."""
    _require(case, "replied", "closed", action="回访")
    if case.satisfaction is not None:
        raise RuleError(f"本案已于 {case.visited_on} 记录回访结果（{case.satisfaction}），不能再次回访；"
                        "如记录有误，请管理员填写理由更正。")
    problems = {}
    if satisfaction not in SATISFACTION:
        problems["satisfaction"] = "请选择满意、基本满意或不满意。"
    if method not in VISIT_METHODS:
        problems["method"] = f"请选择回访方式（{'、'.join(VISIT_METHODS.values())}）。"
    for key, text in (("comment", comment), ("words", words)):
        if len(text) > TEXT_LIMIT:
            problems[key] = f"不能超过 {TEXT_LIMIT} 字。"
    if problems:
        raise FieldErrors(problems)
    _may_rate(case, user_id)
    case.satisfaction, case.visited_on, case.visited_by_id = satisfaction, day, user_id
    case.visit_method, case.visit_comment, case.visit_words = method, comment.strip(), words.strip()
    _event(case, user_id, "visit", f"满意度回访：{satisfaction}（{VISIT_METHODS[method]}）", public=True)
    db.session.flush()


def rate_by_complainant(case: Complaint, satisfaction: str, day: dt.date) -> None:
    """The complainant's own rating, online with the case number and lookup code: the case's one
    rating, as a return visit would be (none after a visit, no visit after it); nobody who handled
    the case is involved, so the integrity rule holds by construction."""
    _require(case, "replied", "closed", action="评价")
    if case.satisfaction is not None:
        raise RuleError(f"本案已于 {case.visited_on} 评价（{case.satisfaction}），每件投诉只评价一次。")
    if satisfaction not in SATISFACTION:
        raise RuleError("请选择满意、基本满意或不满意。", field="satisfaction")
    case.satisfaction, case.visited_on, case.visited_by_id = satisfaction, day, None
    _event(case, None, "visit", f"投诉人在线评价：{satisfaction}", public=True)
    db.session.flush()


def correct_visit(case: Complaint, user_id: int, satisfaction: str, reason: str) -> None:
    """An administrator's correction of a recorded rating, with its reason, on the timeline; the
    statistics and the evaluation count the corrected rating from then on."""
    if case.satisfaction is None:
        raise RuleError("本案还没有回访结果，无需更正。")
    if satisfaction not in SATISFACTION:
        raise RuleError("请选择满意、基本满意或不满意。", field="satisfaction")
    if satisfaction == case.satisfaction:
        raise RuleError(f"回访结果已是“{satisfaction}”。", field="satisfaction")
    if not reason.strip():
        raise RuleError("请写明更正的理由（如投诉人来电说明原记录有误）。", field="text")
    _may_rate(case, user_id)
    before = case.satisfaction
    case.satisfaction = satisfaction
    _event(case, user_id, "visit_fix", f"更正满意度回访：{before} → {satisfaction}。理由：{reason.strip()}",
           public=False)
    db.session.flush()


def urge(case: Complaint, user_id: int, text: str, day: dt.date) -> None:
    """The centre presses (催办) the handling side on an overdue case; an internal timeline entry
    that names how many days the case is overdue."""
    if not is_overdue(case, day):
        raise RuleError("只有已超期的案件才能催办。")
    if len(text) > TEXT_LIMIT:
        raise RuleError(f"催办说明不能超过 {TEXT_LIMIT} 字。", field="text")
    what = f"催办：已超期 {queries.overdue_days(case, day)} 天，请{case.prefecture.name}尽快办理"
    _event(case, user_id, "urge", f"{what}。{text.strip()}" if text.strip() else what, public=False)
    db.session.flush()


def is_overdue(case: Complaint, day: dt.date) -> bool:
    """Past the deadline of its next step (the case's own reading of the overdue queue)."""
    return case.deadline is not None and case.deadline < day


def recompute_deadlines(entered: int | None = None) -> int:
    """Recompute the provisional deadlines once a year is entered (``entered``); returns how many
    cases now have exact ones.  The complainant of an extended case was told a provisional latest
    closure in ``entered``: its exact one goes on the public timeline."""
    fixed = 0
    for case in db.session.scalars(select(Complaint).where(Complaint.deadline_problem != "")):
        case.deadline_problem = ""
        rules = rule_set(case.rule_set)
        if case.supplemented_on:
            case.acknowledge_due_on = _deadline(case, case.supplemented_on, rules.acknowledge)
        elif case.supplement_requested_on:
            case.acknowledge_due_on = case.supplement_due_on = _deadline(
                case, case.supplement_requested_on, rules.supplement_answer)
        else:
            case.acknowledge_due_on = _deadline(case, case.received_on, rules.acknowledge)
        if case.accepted_on and case.status == "extended":
            told = case.extended_until
            case.extended_until = case.due_on = _latest_closure(case)
            latest = max((e for e in case.events if e.kind in ("extend", "progress")), key=lambda e: e.id, default=None)
            if latest is not None and case.progress_due_on is not None:
                case.progress_due_on = _deadline(case, local(latest.at).date(), rules.progress)
            if told is not None and told.year == entered and not case.deadline_problem:
                _event(case, None, "deadline", f"延期办理的最迟办结日期确定为 {case.extended_until}（原为预计的 {told}，"
                       f"现已按 {entered} 年节假日安排计算）", public=True)
        elif case.accepted_on:
            case.due_on = _deadline(case, case.accepted_on, rules.reply)
        fixed += not case.deadline_problem
    db.session.flush()
    return fixed


ATTACHMENT_TYPES = ("pdf", "jpeg", "png", "docx", "xlsx")


def _store(case: Complaint, user_id: int | None, data: bytes, filename: str, folder, limit: int) -> Attachment:
    stored, content_type = uploads.store(data, folder, ATTACHMENT_TYPES, limit, "file")
    attachment = Attachment(complaint=case, stored_name=stored, original_name=uploads.display_name(filename, stored),
                            content_type=content_type, size=len(data), uploaded_by_id=user_id)
    db.session.add(attachment)
    return attachment


def attach(case: Complaint, user_id: int, data: bytes, filename: str, folder, limit: int) -> Attachment:
    """Add a file to the case, checked by content; recorded on the internal timeline."""
    attachment = _store(case, user_id, data, filename, folder, limit)
    _event(case, user_id, "attach", f"上传附件：{attachment.original_name}", public=False)
    db.session.flush()
    return attachment


def register_inspection(enterprise: Enterprise, department: str, reason: str, planned_on: date_type,
                        inspectors: str, notice_no: str, user_id: int | None) -> Inspection:
    """Register a planned inspection before it happens; the 通知单 number is unique within the
    enterprise's prefecture (numbers are issued there; another prefecture's are never consulted)."""
    problems = {k: "不能为空" for k, v in (("department", department), ("reason", reason),
                                           ("inspectors", inspectors), ("notice_no", notice_no)) if not v.strip()}
    if notice_no.strip() and queries.inspection_by_notice(enterprise.prefecture_id, notice_no.strip()):
        problems["notice_no"] = f"本市州已登记过通知单编号 {notice_no.strip()}"
    if problems:
        raise FieldErrors(problems)
    inspection = Inspection(prefecture_id=enterprise.prefecture_id, enterprise_id=enterprise.id,
                            department=department.strip(), reason=reason.strip(), planned_on=planned_on,
                            inspectors=inspectors.strip(), notice_no=notice_no.strip(), created_by_id=user_id)
    db.session.add(inspection)
    db.session.flush()
    return inspection


def report_inspection(enterprise: Enterprise, department: str, occurred_on: date_type, description: str,
                      inspection: Inspection | None, user_id: int | None, today: date_type) -> tuple[Complaint, str]:
    """An enterprise reports an unregistered inspection, or one that departed from its
    registration: a complaint of category 未经申报检查 is opened, linked to the registration."""
    what = (f"与申报不符的检查（通知单 {inspection.notice_no}）" if inspection else "未经申报的检查")
    case, code = intake(CaseIntake.from_enterprise(
        enterprise, department=department, channel="hotline", received_on=today, category="inspection",
        summary=f"{occurred_on:%Y年%m月%d日}，{department}对本企业进行了{what}：{description}",
        user_id=user_id, today=today))
    case.inspection_id = inspection.id if inspection else None
    db.session.flush()
    return case, code

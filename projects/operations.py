"""Changes to the project ledger (flush only; the views commit): projects and their stages,
monthly reports, problems escalated or turned into complaint cases, unfulfilled-project reports
and their review, and the yearly targets."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from complaints import operations as complaints
from investenv.errors import FieldErrors, RuleError
from investenv.extensions import db
from investenv.registry.models import County, Enterprise, Prefecture

from . import queries
from .models import FundsArrival, MonthlyReport, Problem, Project, StageEvent, Target, UnfulfilledReport
from .vocabulary import (
    INDUSTRIES,
    MILESTONES,
    PROBLEM_KINDS,
    PROGRESS,
    RESPONSIBILITIES,
    SIGNED_STAGES,
    STAGES,
)

TEXT_LIMIT = 2000
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def code(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)


def parse_month(code: str, today: dt.date) -> Month:
    """A month ``YYYY-MM`` that has begun; ``ValueError`` with a Chinese message otherwise."""
    found = _MONTH.match((code or "").strip())
    if not found or not 2000 <= int(found[1]) <= 2100:
        raise ValueError(f"月份应写作 YYYY-MM（如 2026-03），实际为“{(code or '')[:20]}”")
    month = Month(int(found[1]), int(found[2]))
    if month.first > today:
        raise ValueError(f"{month.label}尚未开始，不能提前报送")
    return month


@dataclass
class ProjectData:
    """A project as a person or a file gives it, before it is written."""

    name: str
    prefecture: Prefecture
    county: County | None
    investor: str
    origin_province: str
    industry: str
    stage: str
    stage_on: dt.date
    contract_investment: Decimal
    contract_funds: Decimal
    signed_on: dt.date | None = None
    due: dict[str, dt.date | None] = field(default_factory=dict)
    enterprise: Enterprise | None = None
    origin_city: str = ""
    sector: str = ""
    park: str = ""
    venue: str = ""
    leader: str = ""
    department: str = ""
    follow_up: str = ""

    def problems(self, today: dt.date) -> dict[str, str]:
        """What is wrong with it, by field; empty if it may be written."""
        problems = {}
        for key, label, text, limit in (("name", "项目名称", self.name, 200), ("investor", "投资方", self.investor, 200),
                                        ("origin_province", "投资方来源省份", self.origin_province, 20)):
            if not text.strip():
                problems[key] = f"请填写{label}"
            elif len(text) > limit:
                problems[key] = f"{label}不能超过 {limit} 字"
        for key, label, text, limit in (("origin_city", "来源城市", self.origin_city, 50), ("sector", "行业", self.sector, 60),
                                        ("park", "园区", self.park, 100), ("venue", "签约地点", self.venue, 60),
                                        ("leader", "责任领导", self.leader, 60), ("department", "责任部门", self.department, 100),
                                        ("follow_up", "跟踪责任人", self.follow_up, 60)):
            if len(text) > limit:
                problems[key] = f"{label}不能超过 {limit} 字"
        if self.county is None:
            problems["county"] = "请选择县市区"
        elif self.county.prefecture_id != self.prefecture.id:
            problems["county"] = f"{self.county.name}不属于{self.prefecture.name}"
        if self.industry not in INDUSTRIES:
            problems["industry"] = "产业应为一产、二产或三产"
        if self.stage not in STAGES:
            problems["stage"] = "请选择项目阶段"
        elif self.stage in SIGNED_STAGES - {"terminated"} and self.signed_on is None:
            problems["signed_on"] = f"{STAGES[self.stage]}阶段的项目须填写签约日期"
        if self.signed_on is not None:
            if self.stage in ("reserve", "talks"):
                problems["signed_on"] = "尚未签约的项目不能有签约日期"
            elif self.signed_on > today:
                problems["signed_on"] = "签约日期不能晚于今天"
            elif self.stage_on < self.signed_on:
                problems["stage_on"] = "当前阶段的日期不能早于签约日期"
        if self.stage_on > today:
            problems["stage_on"] = "阶段日期不能晚于今天"
        for key, (label, _) in MILESTONES.items():
            due = self.due.get(key)
            if due is None:
                continue
            if self.signed_on is None:
                problems[f"due_{key}"] = "合同节点须在签约后填写（请先填写签约日期）"
            elif due < self.signed_on:
                problems[f"due_{key}"] = f"{label}节点日期 {due} 早于签约日期 {self.signed_on}"
        if self.contract_funds > self.contract_investment:
            problems["contract_funds"] = "拟引进资金不能超过合同总投资"
        return problems


def _next_code(prefecture: Prefecture) -> str:
    prefix = f"XM-{prefecture.short_code}-"
    last = db.session.scalar(select(func.max(Project.code)).where(Project.code.like(f"{prefix}%")))
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:04d}"


def create_project(data: ProjectData, user_id: int | None, today: dt.date) -> Project:
    """A new project of the ledger, with its signing and its current stage on the timeline."""
    problems = data.problems(today)
    if problems:
        raise FieldErrors(problems)
    project = Project(
        code=_next_code(data.prefecture), name=data.name.strip(), prefecture_id=data.prefecture.id,
        county_id=data.county.id, park=data.park.strip(), enterprise_id=data.enterprise.id if data.enterprise else None,
        investor=data.investor.strip(), origin_province=data.origin_province.strip(), origin_city=data.origin_city.strip(),
        industry=data.industry, sector=data.sector.strip(), stage=data.stage, signed_on=data.signed_on,
        venue=data.venue.strip(), contract_investment=data.contract_investment, contract_funds=data.contract_funds,
        **{f"due_{key}": data.due.get(key) for key in MILESTONES},
        leader=data.leader.strip(), department=data.department.strip(), follow_up=data.follow_up.strip(),
    )
    db.session.add(project)
    db.session.flush()
    if data.signed_on is not None and data.stage != "signed":
        db.session.add(StageEvent(project_id=project.id, stage="signed", reached_on=data.signed_on, user_id=user_id))
    db.session.add(StageEvent(project_id=project.id, stage=data.stage, user_id=user_id,
                              reached_on=data.signed_on if data.stage == "signed" else data.stage_on))
    db.session.flush()
    return project


# The fields a project's edit may change, with their labels for the audit and the timeline.
EDITABLE = {
    "name": "项目名称", "county_id": "县市区", "park": "园区", "enterprise_id": "名录企业", "investor": "投资方",
    "origin_province": "来源省份", "origin_city": "来源城市", "industry": "产业", "sector": "行业",
    "signed_on": "签约日期", "venue": "签约地点", "contract_investment": "合同总投资", "contract_funds": "拟引进资金",
    **{f"due_{key}": f"合同约定{label}日期" for key, (label, _) in MILESTONES.items()},
    "leader": "责任领导", "department": "责任部门", "follow_up": "跟踪责任人",
}


def update_project(project: Project, data: ProjectData, today: dt.date) -> list[str]:
    """Change a project's fields (not its stage, which :func:`change_stage` moves, nor its prefecture,
    which its code names); a changed signing date moves the signing on the timeline.  Returns what
    changed, as ``label：old → new`` lines; refuses with every problem by field, nothing changed."""
    last = project.events[-1].reached_on if project.events else today
    data.prefecture = project.prefecture
    data.stage, data.stage_on = project.stage, max(last, data.signed_on or last)
    problems = data.problems(today)
    later = [e.reached_on for e in project.events if e.stage in SIGNED_STAGES - {"signed"}]
    if data.signed_on is not None and later and data.signed_on > min(later):
        problems.setdefault("signed_on", f"签约日期不能晚于签约后的阶段变化（{min(later)}）")
    if problems:
        raise FieldErrors(problems)
    values = {
        "name": data.name.strip(), "county_id": data.county.id, "park": data.park.strip(),
        "enterprise_id": data.enterprise.id if data.enterprise else None,
        "investor": data.investor.strip(), "origin_province": data.origin_province.strip(),
        "origin_city": data.origin_city.strip(), "industry": data.industry, "sector": data.sector.strip(),
        "signed_on": data.signed_on, "venue": data.venue.strip(), "contract_investment": data.contract_investment,
        "contract_funds": data.contract_funds, **{f"due_{key}": data.due.get(key) for key in MILESTONES},
        "leader": data.leader.strip(), "department": data.department.strip(), "follow_up": data.follow_up.strip(),
    }
    names = {"county_id": (project.county.name, data.county.name),
             "enterprise_id": (project.enterprise and project.enterprise.name, data.enterprise and data.enterprise.name)}
    changes = []
    for key, value in values.items():
        old = getattr(project, key)
        if old != value:
            before, after = names.get(key, (old, value))
            changes.append(f"{EDITABLE[key]}：{_shown(before)} → {_shown(after)}")
            setattr(project, key, value)
    signing = next((e for e in project.events if e.stage == "signed"), None)
    if signing is not None and data.signed_on is not None and signing.reached_on != data.signed_on:
        signing.reached_on = data.signed_on
    db.session.flush()
    return changes


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    return f"{value:,.2f} 元" if isinstance(value, Decimal) else str(value)


def _stage_problem(project: Project, stage: str, on: dt.date, today: dt.date, last: dt.date | None) -> str | None:
    if stage not in STAGES:
        return "请选择项目阶段"
    if project.stage == "terminated":
        return "项目已终止，阶段不能再变化"
    if stage == project.stage:
        return f"项目已处于{STAGES[stage]}阶段"
    if stage != "terminated" and PROGRESS.index(stage) < PROGRESS.index(project.stage):
        return f"阶段只能向前推进（现为{STAGES[project.stage]}）"
    if stage in SIGNED_STAGES - {"signed", "terminated"} and project.signed_on is None:
        return "请先登记签约（签约日期），再推进到以后的阶段"
    if on > today:
        return "阶段日期不能晚于今天"
    if last is not None and on < last:
        return f"阶段日期不能早于上一次阶段变化（{last}）"
    return None


def change_stage(project: Project, stage: str, on: dt.date, note: str, user_id: int | None, today: dt.date,
                 report: MonthlyReport | None = None) -> StageEvent:
    """Move a project to a later stage (or end it), dated; signing sets its signing date."""
    last = project.events[-1].reached_on if project.events else None
    problem = _stage_problem(project, stage, on, today, last)
    if problem:
        raise RuleError(problem, field="stage")
    if len(note or "") > TEXT_LIMIT:
        raise RuleError(f"说明不能超过 {TEXT_LIMIT} 字", field="note")
    if stage == "signed":
        project.signed_on = on
    project.stage = stage
    event = StageEvent(project_id=project.id, stage=stage, reached_on=on, note=(note or "").strip(), user_id=user_id,
                       report_id=report.id if report else None)
    db.session.add(event)
    db.session.flush()
    db.session.refresh(project)
    return event


@dataclass
class MonthLine:
    """One project's line of a monthly report: funds arrived and a stage change, each optional."""

    project: Project
    amount: Decimal | None = None
    stage: str = ""
    stage_on: dt.date | None = None


@dataclass
class ProblemData:
    project: Project
    kind: str
    description: str
    help_asked: str = ""


def check_monthly_report(prefecture: Prefecture, month_code: str, lines: list[MonthLine], problems: list[ProblemData],
                         remarks: str, today: dt.date) -> tuple[Month | None, dict[str, str]]:
    """What is wrong with a monthly report, by field (``month``, ``funds_<project id>``,
    ``stage_<project id>``, ``problem_<n>``, ``remarks``), without writing anything."""
    try:
        month = parse_month(month_code, today)
    except ValueError as exc:
        return None, {"month": str(exc)}
    errors: dict[str, str] = {}
    if queries.monthly_report(prefecture.id, month.code) is not None:
        errors["month"] = f"{prefecture.name}{month.label}的月报已经报送，不能重复报送。"
    arrived_on = min(month.last, today)
    seen: set[tuple[int, str]] = set()
    for line in lines:
        p = line.project
        if p.prefecture_id != prefecture.id:
            errors[f"project_{p.id}"] = f"项目 {p.code} 不属于{prefecture.name}"
            continue
        if line.amount is not None:
            if (p.id, "funds") in seen:
                errors[f"funds_{p.id}"] = f"项目 {p.code} 的当月到位资金只能报一次"
            elif line.amount <= 0:
                errors[f"funds_{p.id}"] = "到位资金应大于 0"
            elif p.signed_on is None or p.signed_on > arrived_on:
                errors[f"funds_{p.id}"] = f"{p.name}尚未签约，不能报送到位资金"
            seen.add((p.id, "funds"))
        if line.stage:
            on = line.stage_on or arrived_on
            last = p.events[-1].reached_on if p.events else None
            problem = _stage_problem(p, line.stage, on, today, last)
            if (p.id, "stage") in seen:
                problem = f"项目 {p.code} 的阶段变化每月只能报一次"
            elif problem is None and not month.first <= on <= month.last:
                problem = f"阶段变化的日期应在{month.label}之内"
            if problem:
                errors[f"stage_{p.id}"] = problem
            seen.add((p.id, "stage"))
    for number, item in enumerate(problems, 1):
        if item.project.prefecture_id != prefecture.id:
            errors[f"problem_{number}"] = f"项目 {item.project.code} 不属于{prefecture.name}"
        elif item.kind not in PROBLEM_KINDS:
            errors[f"problem_{number}"] = "问题类别应为" + "、".join(PROBLEM_KINDS.values())
        elif not item.description.strip():
            errors[f"problem_{number}"] = "请说明问题"
        elif len(item.description) > TEXT_LIMIT or len(item.help_asked) > TEXT_LIMIT:
            errors[f"problem_{number}"] = f"问题和请求帮助事项各不能超过 {TEXT_LIMIT} 字"
    if len(remarks or "") > TEXT_LIMIT:
        errors["remarks"] = f"不能超过 {TEXT_LIMIT} 字"
    return month, errors


def file_monthly_report(prefecture: Prefecture, month_code: str, lines: list[MonthLine], problems: list[ProblemData],
                        remarks: str, user_id: int | None, today: dt.date) -> MonthlyReport:
    """Record a prefecture's report for a month: once per month, all of it or nothing.

    Funds count from the month's last day, or from the day of the report when it is filed within the month."""
    month, errors = check_monthly_report(prefecture, month_code, lines, problems, remarks, today)
    if errors:
        if set(errors) == {"month"}:
            raise RuleError(errors["month"], field="month")
        raise FieldErrors(errors)
    arrived_on = min(month.last, today)
    report = MonthlyReport(prefecture_id=prefecture.id, month=month.code, submitted_on=today, user_id=user_id,
                           remarks=(remarks or "").strip())
    db.session.add(report)
    db.session.flush()
    for line in lines:
        if line.amount is not None:
            db.session.add(FundsArrival(report_id=report.id, project_id=line.project.id, month=month.code,
                                        arrived_on=arrived_on, amount=line.amount))
        if line.stage:
            change_stage(line.project, line.stage, line.stage_on or arrived_on, "月报", user_id, today, report)
    for item in problems:
        db.session.add(Problem(report_id=report.id, project_id=item.project.id, prefecture_id=prefecture.id,
                               kind=item.kind, description=item.description.strip(), help_asked=item.help_asked.strip()))
    db.session.flush()
    return report


def escalate(problem: Problem, user_id: int, today: dt.date) -> Problem:
    """Take a reported problem up as a provincial coordination item (省级协调事项)."""
    if problem.escalated_on is not None:
        raise RuleError(f"该问题已于 {problem.escalated_on} 提交省级协调。")
    problem.escalated_on, problem.escalated_by = today, user_id
    db.session.flush()
    return problem


def resolve(problem: Problem, today: dt.date) -> Problem:
    if problem.resolved_on is not None:
        raise RuleError(f"该问题已于 {problem.resolved_on} 解决。")
    problem.resolved_on = today
    db.session.flush()
    return problem


def open_complaint(problem: Problem, user_id: int, today: dt.date):
    """Turn a problem into a complaint case (上级转办) linked both ways."""
    if problem.complaint_id is not None:
        raise RuleError(f"已立案：{problem.complaint.case_no}。")
    project = problem.project
    summary = f"项目台账{project.code}“{project.name}”{problem.report.month}月报反映的{problem.kind_label}问题：{problem.description}"
    if problem.help_asked:
        summary += f"。请求帮助：{problem.help_asked}"
    fields = dict(channel="transfer", received_on=today, category="approval" if problem.kind == "approval" else "other",
                  summary=summary, user_id=user_id, today=today)
    intake = (complaints.CaseIntake.from_enterprise(project.enterprise, **fields) if project.enterprise else
              complaints.CaseIntake(prefecture=project.prefecture, county=project.county, complainant=project.investor,
                                    **fields))
    case, code = complaints.intake(intake)
    problem.complaint_id = case.id
    db.session.flush()
    return case, code


def file_unfulfilled(project: Project, reason: str, responsibility: str, measures: str, user_id: int,
                     today: dt.date) -> UnfulfilledReport:
    """The prefecture's written report on a project flagged unfulfilled; a returned report is filed again."""
    if not queries.project_facts(project, today).unfulfilled(today):
        raise RuleError("该项目没有到期未履约的合同节点，也未终止，无需报告。")
    report = queries.unfulfilled_report(project.id)
    if report is not None and report.state != "returned":
        raise RuleError(f"该项目的未履约报告已报送（{report.state_label}）。")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "请说明未履约的原因"
    if responsibility not in RESPONSIBILITIES:
        errors["responsibility"] = "请选择责任方"
    for key, text in (("reason", reason), ("measures", measures)):
        if len(text or "") > TEXT_LIMIT:
            errors[key] = f"不能超过 {TEXT_LIMIT} 字"
    if errors:
        raise FieldErrors(errors)
    report = report or UnfulfilledReport(project_id=project.id, prefecture_id=project.prefecture_id)
    report.reason, report.responsibility, report.measures = reason.strip(), responsibility, (measures or "").strip()
    report.filed_on, report.filed_by, report.state = today, user_id, "filed"
    report.review_note, report.reviewed_on, report.reviewed_by = "", None, None
    db.session.add(report)
    db.session.flush()
    return report


def review_unfulfilled(report: UnfulfilledReport, accept: bool, note: str, user_id: int, today: dt.date) -> UnfulfilledReport:
    if report.state != "filed":
        raise RuleError(f"这份报告{report.state_label}，不能再审核。")
    if not accept and not (note or "").strip():
        raise RuleError("退回时请说明理由。", field="note")
    if len(note or "") > TEXT_LIMIT:
        raise RuleError(f"不能超过 {TEXT_LIMIT} 字", field="note")
    report.state = "accepted" if accept else "returned"
    report.review_note, report.reviewed_on, report.reviewed_by = (note or "").strip(), today, user_id
    db.session.flush()
    return report


def set_target(prefecture: Prefecture, year: int, funds: Decimal, projects: int, large_projects: int) -> Target:
    if large_projects > projects:
        raise RuleError("亿元以上项目个数不能超过项目个数目标。", field="large_projects")
    target = queries.target(prefecture.id, year) or Target(prefecture_id=prefecture.id, year=year)
    target.funds, target.projects, target.large_projects = funds, projects, large_projects
    db.session.add(target)
    db.session.flush()
    return target

"""Reads of the project ledger.  ``visible_*`` functions return only what the current user may
see (:mod:`investenv.access`); :func:`facts` gives the KPIs (:mod:`scoring.projects`) their input."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.orm import selectinload

from investenv import access
from investenv.audit.models import AuditEvent
from investenv.extensions import db
from investenv.registry.models import Prefecture
from scoring import projects as kpis
from scoring.projects import Facts, Goal, Kpi

from .models import (
    MEASURES,
    FundsArrival,
    KpiDay,
    MonthlyReport,
    Problem,
    Project,
    StageEvent,
    StalledSpan,
    Target,
    UnfulfilledReport,
)
from .vocabulary import MEETS, MILESTONES, is_outside

LIST_LIMIT = 500
FEW = 16   # prefectures named in a KPI query's WHERE; for more, all are summed and the others left out
EDITED = "project_edit"  # the audit action of a project's edit, its target the code and the changes


def facts(year: int, day: dt.date, prefecture_ids: set[int] | None = None, project_ids: set[int] | None = None
          ) -> list[Facts]:
    """What the ledger knows of each project at ``day``, its funds of ``year`` counted up to ``day``
    (read as plain rows: at national scale a prefecture-level unit has a thousand projects)."""
    chosen = select(Project.id)
    if prefecture_ids is not None:
        chosen = chosen.where(Project.prefecture_id.in_(prefecture_ids))
    if project_ids is not None:
        chosen = chosen.where(Project.id.in_(project_ids))
    due = [getattr(Project, f"due_{m}") for m in MILESTONES]
    stmt = (select(Project.id, Project.code, Prefecture.code, Project.origin_province, Project.industry, Project.stage,
                   Project.signed_on, Project.contract_investment, Project.contract_funds, *due)
            .join(Prefecture, Project.prefecture_id == Prefecture.id).order_by(Project.code))
    events = select(StageEvent.project_id, StageEvent.stage, func.min(StageEvent.reached_on), func.max(StageEvent.reached_on)
                    ).where(StageEvent.reached_on <= day).group_by(StageEvent.project_id, StageEvent.stage)
    funds = select(
        FundsArrival.project_id, func.sum(FundsArrival.amount),
        func.sum(case((FundsArrival.arrived_on >= dt.date(year, 1, 1), FundsArrival.amount), else_=0)),
        func.min(FundsArrival.arrived_on), func.max(FundsArrival.arrived_on),
    ).where(FundsArrival.arrived_on <= day).group_by(FundsArrival.project_id)
    if project_ids is not None or prefecture_ids is not None:
        stmt = stmt.where(Project.id.in_(chosen))
        events = events.where(StageEvent.project_id.in_(chosen))
        funds = funds.where(FundsArrival.project_id.in_(chosen))
    reached: dict[int, dict[str, dt.date]] = defaultdict(dict)
    last: dict[int, dt.date] = {}
    for pid, stage, first, latest in db.session.execute(events):
        reached[pid][stage] = first
        last[pid] = max(last.get(pid, latest), latest)
    money: dict[int, tuple[Decimal, Decimal, dt.date]] = {}
    for pid, total, in_year, first, latest in db.session.execute(funds):
        money[pid] = (Decimal(str(total or 0)), Decimal(str(in_year or 0)), first)
        last[pid] = max(last.get(pid, latest), latest)
    result = []
    for pid, code, prefecture, origin, industry, stage, signed_on, investment, promised, *dates in db.session.execute(stmt):
        stages = reached.get(pid, {})
        met = {m: min((stages[s] for s in kinds if s in stages), default=None) for m, kinds in MEETS.items()}
        total, in_year, first_funds = money.get(pid, (Decimal(0), Decimal(0), None))
        met["first_funds"] = first_funds
        result.append(Facts(
            code, prefecture, is_outside(origin), industry, stage, signed_on if signed_on and signed_on <= day else None,
            investment, promised, dict(zip(MILESTONES, dates, strict=True)), {m: met[m] for m in MILESTONES},
            stages.get("terminated"), in_year.quantize(Decimal("0.01")), total.quantize(Decimal("0.01")), last.get(pid),
        ))
    return result


class Stalled(NamedTuple):
    """A stalled project as the lists show it."""
    code: str
    prefecture_code: str
    stage: str
    since: dt.date          # the last activity (or the signing)


def prefecture_kpis(year: int, day: dt.date, prefectures: list[Prefecture], goals: dict[str, Goal]
                    ) -> tuple[dict[str, Kpi], Kpi]:
    """The KPIs of ``year`` at ``day`` of each of ``prefectures`` (by code, in their order) and of all
    of them: the sums of the maintained rows (:mod:`.totals`) up to ``day`` — the month rows before
    ``day``'s month and the day rows of that month — equal to :func:`scoring.projects.by_prefecture`
    of :func:`facts` (tests/projects/test_totals.py)."""
    k = KpiDay
    month = day.replace(day=1)
    stmt = (select(k.prefecture_id, *(func.sum(k.__table__.c[m]) for m in MEASURES))
            .where(k.year.in_((year, 0)),   # the stalled count's rows (year 0) hold nothing else
                   or_(and_(k.grain == "M", k.day < month), and_(k.grain == "D", k.day >= month, k.day <= day)))
            .group_by(k.prefecture_id))
    if len(prefectures) <= FEW:
        stmt = stmt.where(k.prefecture_id.in_([p.id for p in prefectures]))
    chosen = {p.id: p.code for p in prefectures}
    sums = [0] * len(MEASURES)
    found: dict[int, list[int]] = {}
    for pid, *values in db.session.execute(stmt):
        if pid in chosen:
            found[pid] = [int(x or 0) for x in values]
            sums = [a + b for a, b in zip(sums, found[pid], strict=True)]
    rows = {code: _kpi(found.get(pid), goals.get(code)) for pid, code in chosen.items()}
    total_goal = kpis.summed_goals(goals.get(code) for code in chosen.values())
    return rows, _kpi(sums, total_goal)   # the province's figures: the same sums over all of them


def _kpi(values: list[int] | None, goal: Goal | None) -> Kpi:
    """The KPIs whose maintained sums are ``values`` (in the order of MEASURES; None: no rows)."""
    kpi = kpis.Kpi(goal=goal)
    if values is None:
        return kpi
    v = dict(zip(MEASURES, values, strict=True))
    kpi.stalled = v["stalled"]
    kpi.cohort, kpi.due, kpi.unfulfilled = v["cohort"], v["due"], v["unfulfilled"]
    kpi.fulfilled = v["due"] - v["unfulfilled"]
    kpi.funds_cohort, kpi.promised = _yuan(v["funds_cohort"]), _yuan(v["promised"])
    kpi.started, kpi.producing = v["started"], v["producing"]
    kpi.outside_new, kpi.outside_large, kpi.outside_funds = v["outside_new"], v["outside_large"], _yuan(v["outside_funds"])
    for key, part in kpi.by_industry.items():
        part.projects, part.funds = v[f"new_industry_{key}"], _yuan(v[f"funds_industry_{key}"])
    for n, (label, _) in enumerate(kpis.SIZE_BANDS):
        kpi.by_size[label].projects, kpi.by_size[label].funds = v[f"new_band_{n}"], _yuan(v[f"funds_band_{n}"])
    return kpi


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def _span_contains(day: dt.date):
    """The stalled spans that contain ``day``.  On PostgreSQL also as the range containment that
    the spans' GiST index answers (migration 0029): a past day, when few projects were stalled,
    would otherwise be looked for in every span."""
    s = StalledSpan
    contains = and_(s.from_on <= day, or_(s.until_on.is_(None), s.until_on > day))
    if db.session.get_bind().dialect.name != "postgresql":
        return contains
    return and_(func.daterange(s.from_on, s.until_on).op("@>")(cast(day, Date)), contains)


def stalled(day: dt.date, prefectures: list[Prefecture], limit: int | None = None) -> list[Stalled]:
    """The projects of ``prefectures`` stalled at ``day`` (:meth:`scoring.projects.Facts.stalled`): the
    maintained spans (:mod:`.totals`) that contain ``day``, by prefecture and code, at most ``limit``
    (read prefecture by prefecture: in the order of the project code alone, the planner would walk
    that index through every span when few contain ``day``)."""
    s = StalledSpan
    stmt = (select(s.code, Prefecture.code, s.stage, s.since).join(Prefecture, s.prefecture_id == Prefecture.id)
            .where(s.prefecture_id.in_([p.id for p in prefectures]), _span_contains(day))
            .order_by(Prefecture.code, s.code).limit(limit))
    return [Stalled(*row) for row in db.session.execute(stmt)]


def project_facts(project: Project, day: dt.date) -> Facts:
    return facts(day.year, day, project_ids={project.id})[0]


def goals(year: int) -> dict[str, Goal]:
    """Each prefecture's targets of ``year``, by prefecture code."""
    rows = db.session.execute(select(Target, Prefecture.code).join(Prefecture).where(Target.year == year))
    return {code: Goal(t.funds, t.projects, t.large_projects) for t, code in rows}


def targets(year: int) -> dict[int, Target]:
    return {t.prefecture_id: t for t in db.session.scalars(select(Target).where(Target.year == year))}


def target(prefecture_id: int, year: int) -> Target | None:
    return db.session.scalar(select(Target).where(Target.prefecture_id == prefecture_id, Target.year == year))


def visible_projects(prefecture_code: str = "", stage: str = "", industry: str = "", outside: str = "",
                     text: str = "") -> list[Project]:
    """The projects the current user may see, filtered; by code, at most :data:`LIST_LIMIT`."""
    stmt = access.scope(select(Project), Project.prefecture_id).options(selectinload(Project.prefecture),
                                                                        selectinload(Project.county))
    if prefecture_code:
        stmt = stmt.join(Prefecture, Project.prefecture_id == Prefecture.id).where(Prefecture.code == prefecture_code)
    if stage:
        stmt = stmt.where(Project.stage == stage)
    if industry:
        stmt = stmt.where(Project.industry == industry)
    if outside == "1":
        stmt = stmt.where(Project.origin_province != "湖南省")
    elif outside == "0":
        stmt = stmt.where(Project.origin_province == "湖南省")
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(Project.name.like(like) | Project.investor.like(like) | Project.code.like(like))
    return list(db.session.scalars(stmt.order_by(Project.code).limit(LIST_LIMIT)))


def project_named(prefecture_id: int, name: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.prefecture_id == prefecture_id, Project.name == name))


def visible_projects_by_code(codes: set[str]) -> dict[str, Project]:
    stmt = access.scope(select(Project), Project.prefecture_id).where(Project.code.in_(codes))
    return {p.code: p for p in db.session.scalars(stmt)}


def reportable_projects(prefecture_id: int) -> list[Project]:
    """A prefecture's projects that a monthly report may speak of: every one not terminated."""
    return list(db.session.scalars(
        select(Project).where(Project.prefecture_id == prefecture_id, Project.stage != "terminated")
        .options(selectinload(Project.events)).order_by(Project.code)))


def timeline(project: Project) -> list[tuple[dt.date, str, object]]:
    """The project's stage events, funds arrived, problems and edits (from the audit log), by date:
    ``(date, kind, row)``."""
    items: list[tuple[dt.date, str, object]] = [(e.reached_on, "stage", e) for e in project.events]
    items += [(f.arrived_on, "funds", f) for f in db.session.scalars(
        select(FundsArrival).where(FundsArrival.project_id == project.id))]
    items += [(p.report.submitted_on, "problem", p) for p in db.session.scalars(
        select(Problem).where(Problem.project_id == project.id).options(selectinload(Problem.report)))]
    report = unfulfilled_report(project.id)
    if report is not None:
        items.append((report.filed_on, "unfulfilled", report))
    items += [(e.at.date(), "edit", e) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == EDITED, AuditEvent.target.like(f"{project.code} %"))
        .order_by(AuditEvent.id))]
    return sorted(items, key=lambda item: (item[0], item[1]))


def monthly_report(prefecture_id: int, month: str) -> MonthlyReport | None:
    return db.session.scalar(select(MonthlyReport).where(MonthlyReport.prefecture_id == prefecture_id,
                                                         MonthlyReport.month == month))


def reported_months(year: int) -> dict[int, set[str]]:
    """The months of ``year`` each prefecture has reported, by prefecture id."""
    stmt = (select(MonthlyReport.prefecture_id, func.aggregate_strings(MonthlyReport.month, ","))
            .where(MonthlyReport.month.like(f"{year}-%")).group_by(MonthlyReport.prefecture_id))
    return {pid: set(months.split(",")) for pid, months in db.session.execute(stmt)}  # a row per prefecture


def visible_problems(open_only: bool = True, at: dt.date | None = None) -> list[Problem]:
    """The problems the current user may see (the open ones when ``open_only``); with ``at``, those
    raised by that day and not resolved by it (the 调度 report of a past period)."""
    stmt = access.scope(select(Problem), Problem.prefecture_id).options(
        selectinload(Problem.project).selectinload(Project.prefecture), selectinload(Problem.report),
        selectinload(Problem.complaint))
    if at is not None:
        stmt = stmt.where(Problem.report.has(MonthlyReport.submitted_on <= at),
                          Problem.resolved_on.is_(None) | (Problem.resolved_on > at))
    elif open_only:
        stmt = stmt.where(Problem.resolved_on.is_(None))
    return list(db.session.scalars(stmt.order_by(Problem.id.desc()).limit(LIST_LIMIT)))


def unfulfilled_report(project_id: int) -> UnfulfilledReport | None:
    return db.session.scalar(select(UnfulfilledReport).where(UnfulfilledReport.project_id == project_id))


def visible_unfulfilled_reports() -> dict[int, UnfulfilledReport]:
    """The unfulfilled-project reports the current user may see, by project id."""
    stmt = access.scope(select(UnfulfilledReport), UnfulfilledReport.prefecture_id)
    return {r.project_id: r for r in db.session.scalars(stmt)}


def projects_by_code(codes: list[str]) -> dict[str, Project]:
    """Projects by code (all prefectures), with their events."""
    stmt = select(Project).where(Project.code.in_(codes)).options(selectinload(Project.events))
    return {p.code: p for p in db.session.scalars(stmt)}

"""The project ledger's KPIs, each defined once (docs/projects.md has the same formulas and a worked
example): the ledger's pages, its 调度 report and export (the ``projects`` package) and the ranking's
fifth source (:func:`prefecture_scores`) all count with this module.

Pure: no Flask, no database.  A project enters as :class:`Facts` (what the ledger knows of it at a
day), built from the database by ``projects.queries`` or read back from a row of ``projects.csv``
(:meth:`Facts.from_row`), so that the page, the export and the evaluation count alike.

For a year :math:`Y` counted at a day :math:`t` (at most 31 December of :math:`Y`), the *cohort*
is the projects signed between 1 January of :math:`Y` and :math:`t`:

- 合同履约率 = cohort projects due (a milestone due before :math:`t`, or terminated) and not
  unfulfilled ÷ cohort projects due;
- 资金到位率 = funds arrived for the cohort by :math:`t` ÷ the funds its contracts promise;
- 开工率, 投产率 = cohort projects that started (produced) by :math:`t` ÷ the cohort;
- target completion = funds of 联引资 projects arrived in the year ÷ the target, new 联引资
  projects signed ÷ the target, those of them ≥ ¥100 m ÷ the target.

A signed project is *unfulfilled* at :math:`t` when it was terminated or a contract milestone's
date lies before :math:`t` and the milestone was not met by then; it is *stalled* when it is signed
and neither producing nor terminated, and nothing happened to it (signing, a stage, funds) in the
:data:`STALL_DAYS` before :math:`t`.  A rate with an empty denominator is None.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

# Stages in the order a project passes them; 终止 ends a project at any point.
STAGES = {
    "reserve": "储备",
    "talks": "在谈",
    "signed": "签约",
    "registered": "注册",
    "started": "开工",
    "producing": "投产",
    "terminated": "终止",
}
PROGRESS = ["reserve", "talks", "signed", "registered", "started", "producing"]
SIGNED_STAGES = frozenset(PROGRESS[2:]) | {"terminated"}   # a contract exists

INDUSTRIES = {"1": "一产", "2": "二产", "3": "三产"}

# The contract milestones and the stage that meets each (first funds: the first arrival reported).
MILESTONES = {
    "registration": ("注册", "registered"),
    "first_funds": ("首笔资金到位", None),
    "start": ("开工", "started"),
    "production": ("投产", "producing"),
}

STALL_DAYS = 90                       # a quarter: the 督查 cycle
LARGE = Decimal(100_000_000)          # ¥100 m: 亿元以上项目
SIZE_BANDS = (("1亿元以上", LARGE), ("5000万至1亿元", Decimal(50_000_000)), ("5000万元以下", Decimal(0)))


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    numerator: str
    denominator: str

    @property
    def formula(self) -> str:
        return f"{self.label}＝{self.numerator}÷{self.denominator}"

    @staticmethod
    def rate(numerator, denominator) -> float | None:
        return float(numerator) / float(denominator) if denominator else None


FULFILMENT = Measure("fulfilment", "合同履约率", "到期未违约的当年签约项目", "有合同节点到期（或已终止）的当年签约项目")
FUNDING = Measure("funding", "资金到位率", "当年签约项目累计到位资金", "当年签约项目合同约定引进资金")
STARTING = Measure("starting", "开工率", "已开工的当年签约项目", "当年签约项目")
PRODUCING = Measure("producing", "投产率", "已投产的当年签约项目", "当年签约项目")
TARGET_FUNDS = Measure("target_funds", "到位资金目标完成率", "联引资项目当年到位资金", "到位资金目标")
TARGET_PROJECTS = Measure("target_projects", "项目个数目标完成率", "当年新签约联引资项目", "项目个数目标")
TARGET_LARGE = Measure("target_large", "亿元以上项目目标完成率", "当年新签约联引资亿元以上项目", "亿元以上项目目标")
RATES = (FULFILMENT, FUNDING, STARTING, PRODUCING)
TARGETS = (TARGET_FUNDS, TARGET_PROJECTS, TARGET_LARGE)
NOTE = "；".join(m.formula for m in RATES + TARGETS)

# projects.csv: one row per project of the ledger, with the year's figures (docs/data-formats.md).
HEADER = ["project_code", "prefecture_code", "outside", "industry", "stage", "signed_on", "contract_investment",
          "contract_funds", *(f"due_{m}" for m in MILESTONES), *(f"met_{m}" for m in MILESTONES), "terminated_on",
          "funds_year", "funds_total", "last_activity_on"]


@dataclass(frozen=True)
class Facts:
    """What the ledger knows of one project at a day."""

    code: str
    prefecture_code: str
    outside: bool                       # 联引资
    industry: str
    stage: str
    signed_on: dt.date | None
    contract_investment: Decimal
    contract_funds: Decimal
    due: dict[str, dt.date | None]      # milestone → contract date
    met: dict[str, dt.date | None]      # milestone → the date it was met
    terminated_on: dt.date | None
    funds_year: Decimal                 # arrived in the year, up to the day
    funds_total: Decimal                # arrived up to the day, all years
    last_activity_on: dt.date | None

    @property
    def signed(self) -> bool:
        return self.signed_on is not None and self.stage in SIGNED_STAGES

    def met_by(self, milestone: str, day: dt.date) -> bool:
        when = self.met.get(milestone)
        return when is not None and when <= day

    def overdue(self, day: dt.date) -> list[str]:
        """The milestones whose contract date lies before ``day`` and that were not met by then."""
        return [m for m, due in self.due.items() if due is not None and due < day and not self.met_by(m, day)]

    def unfulfilled(self, day: dt.date) -> bool:
        return self.signed and ((self.terminated_on is not None and self.terminated_on <= day) or bool(self.overdue(day)))

    def due_by(self, day: dt.date) -> bool:
        """The contract has come due: a milestone's date lies before ``day``, or it was terminated."""
        return self.signed and ((self.terminated_on is not None and self.terminated_on <= day)
                                or any(d is not None and d < day for d in self.due.values()))

    def stalled(self, day: dt.date) -> bool:
        if not self.signed or self.stage in ("producing", "terminated") or self.signed_on > day:
            return False
        last = self.last_activity_on or self.signed_on
        return (day - last).days > STALL_DAYS

    def row(self) -> list[str]:
        def text(value) -> str:
            if value is None:
                return ""
            return value.isoformat() if isinstance(value, dt.date) else str(value)

        return [self.code, self.prefecture_code, "1" if self.outside else "0", self.industry, self.stage,
                text(self.signed_on), text(self.contract_investment), text(self.contract_funds),
                *(text(self.due[m]) for m in MILESTONES), *(text(self.met[m]) for m in MILESTONES),
                text(self.terminated_on), text(self.funds_year), text(self.funds_total), text(self.last_activity_on)]

    @classmethod
    def from_row(cls, row: dict[str, str]) -> Facts:
        """A row of projects.csv (text, dates ``YYYY-MM-DD``, blank when absent)."""
        def day(key):
            return dt.date.fromisoformat(row[key]) if row.get(key) else None

        return cls(row["project_code"], row["prefecture_code"], row["outside"] == "1", row["industry"], row["stage"],
                   day("signed_on"), Decimal(row["contract_investment"]), Decimal(row["contract_funds"]),
                   {m: day(f"due_{m}") for m in MILESTONES}, {m: day(f"met_{m}") for m in MILESTONES},
                   day("terminated_on"), Decimal(row["funds_year"]), Decimal(row["funds_total"]), day("last_activity_on"))


@dataclass(frozen=True)
class Goal:
    """A prefecture's yearly targets."""

    funds: Decimal
    projects: int
    large_projects: int


def summed_goals(goals: Iterable[Goal | None]) -> Goal | None:
    """The targets of several prefectures together: the sums of those set (None when none is)."""
    goals = [g for g in goals if g is not None]
    if not goals:
        return None
    return Goal(sum((g.funds for g in goals), Decimal(0)), sum(g.projects for g in goals),
                sum(g.large_projects for g in goals))


@dataclass
class Breakdown:
    projects: int = 0          # new 联引资 projects signed in the year
    funds: Decimal = Decimal(0)  # funds of 联引资 projects arrived in the year


@dataclass
class Kpi:
    """The KPIs of one prefecture (or of the province) for a year at a day."""

    cohort: int = 0
    due: int = 0
    fulfilled: int = 0
    unfulfilled: int = 0
    funds_cohort: Decimal = Decimal(0)
    promised: Decimal = Decimal(0)
    started: int = 0
    producing: int = 0
    outside_new: int = 0
    outside_large: int = 0
    outside_funds: Decimal = Decimal(0)
    stalled: int = 0
    goal: Goal | None = None
    by_industry: dict[str, Breakdown] = field(default_factory=lambda: {k: Breakdown() for k in INDUSTRIES})
    by_size: dict[str, Breakdown] = field(default_factory=lambda: {label: Breakdown() for label, _ in SIZE_BANDS})

    def rates(self) -> dict[str, float | None]:
        goal = self.goal
        return {
            FULFILMENT.key: FULFILMENT.rate(self.fulfilled, self.due),
            FUNDING.key: FUNDING.rate(self.funds_cohort, self.promised),
            STARTING.key: STARTING.rate(self.started, self.cohort),
            PRODUCING.key: PRODUCING.rate(self.producing, self.cohort),
            TARGET_FUNDS.key: TARGET_FUNDS.rate(self.outside_funds, goal.funds) if goal else None,
            TARGET_PROJECTS.key: TARGET_PROJECTS.rate(self.outside_new, goal.projects) if goal else None,
            TARGET_LARGE.key: TARGET_LARGE.rate(self.outside_large, goal.large_projects) if goal else None,
        }

    def merge(self, other: Kpi) -> None:
        for name in ("cohort", "due", "fulfilled", "unfulfilled", "funds_cohort", "promised", "started", "producing",
                     "outside_new", "outside_large", "outside_funds", "stalled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.by_industry, other.by_industry), (self.by_size, other.by_size)):
            for key, part in theirs.items():
                mine[key].projects += part.projects
                mine[key].funds += part.funds
        self.goal = summed_goals([self.goal, other.goal])


def size_band(investment: Decimal) -> str:
    return next(label for label, low in SIZE_BANDS if investment >= low)


def compute(projects: list[Facts], year: int, day: dt.date, goal: Goal | None = None) -> Kpi:
    """The KPIs of ``projects`` (one prefecture's, or any set) for ``year`` counted at ``day``."""
    first = dt.date(year, 1, 1)
    kpi = Kpi(goal=goal)
    for p in projects:
        if p.stalled(day):
            kpi.stalled += 1
        if p.outside:
            kpi.by_industry[p.industry].funds += p.funds_year
            kpi.by_size[size_band(p.contract_investment)].funds += p.funds_year
            kpi.outside_funds += p.funds_year
        if not p.signed or not first <= p.signed_on <= day:
            continue
        kpi.cohort += 1
        kpi.funds_cohort += p.funds_total
        kpi.promised += p.contract_funds
        kpi.started += p.met_by("start", day)
        kpi.producing += p.met_by("production", day)
        if p.due_by(day):
            kpi.due += 1
            if p.unfulfilled(day):
                kpi.unfulfilled += 1
            else:
                kpi.fulfilled += 1
        if p.outside:
            kpi.outside_new += 1
            kpi.outside_large += p.contract_investment >= LARGE
            kpi.by_industry[p.industry].projects += 1
            kpi.by_size[size_band(p.contract_investment)].projects += 1
    return kpi


def by_prefecture(projects: list[Facts], year: int, day: dt.date, goals: dict[str, Goal],
                  codes: list[str]) -> tuple[dict[str, Kpi], Kpi]:
    """The KPIs of each prefecture code in ``codes`` and of all of them together."""
    groups: dict[str, list[Facts]] = {code: [] for code in codes}
    for p in projects:
        if p.prefecture_code in groups:
            groups[p.prefecture_code].append(p)
    rows = {code: compute(groups[code], year, day, goals.get(code)) for code in codes}
    total = Kpi()
    for kpi in rows.values():
        total.merge(kpi)
    return rows, total


ASSESSED = (FULFILMENT, FUNDING, STARTING, PRODUCING, TARGET_FUNDS)


def assessment_score(kpi: Kpi) -> float | None:
    """The annual 联引资 assessment's score of one prefecture: the mean of the four rates and the
    funds target completion (without a target: the four rates), each capped at 100%, over those
    defined; None when none is."""
    rates = kpi.rates()
    values = [min(rates[m.key], 1.0) for m in ASSESSED if rates[m.key] is not None]
    return sum(values) / len(values) if values else None


def assessment(rows: dict[str, Kpi]) -> list[tuple[str, float | None, int | None]]:
    """The annual 联引资 assessment's order: each prefecture code with its score
    (:func:`assessment_score`) and rank; prefectures with nothing to score come last, unranked."""
    scores = {code: assessment_score(kpi) for code, kpi in rows.items()}
    ranked = sorted((c for c in scores if scores[c] is not None), key=lambda c: (-scores[c], c))
    rank = {c: i + 1 for i, c in enumerate(ranked)}
    order = ranked + sorted(c for c in scores if scores[c] is None)
    return [(c, scores[c], rank.get(c)) for c in order]


def prefecture_scores(rows: list[dict[str, str]], year: int, day: dt.date, codes: list[str]) -> dict[str, float | None]:
    """The ranking's project source (0–100) of each code in ``codes`` from the rows of ``projects.csv``:
    100 × :func:`assessment_score` of the prefecture's KPIs of ``year`` counted at ``day`` (the
    cut-off).  The bundle carries no targets, so the score is that of the four rates; None
    (a missing source) for a prefecture none of whose rates is defined."""
    per_code, _ = by_prefecture([Facts.from_row(r) for r in rows], year, day, {}, codes)
    scores = {code: assessment_score(kpi) for code, kpi in per_code.items()}
    return {code: None if score is None else 100.0 * score for code, score in scores.items()}

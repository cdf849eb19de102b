"""The ledger's maintained figures (projects.totals): the KPIs summed from the maintained rows and
the stalled lists equal :func:`scoring.projects.by_prefecture` and :meth:`Facts.stalled` of the
facts read directly from the ledger, at many days, after every kind of change — on the demo year
and on random ledgers — and a rebuild gives the same rows as the changes did."""
import datetime as dt
import random
from decimal import Decimal

import sqlalchemy as sa

from investenv.extensions import db
from investenv.registry.models import Prefecture
from projects import operations, queries, totals
from projects.models import MEASURES, FundsArrival, KpiDay, Project, StalledSpan
from scoring import projects as kpis

from ..conftest import DEMO_YEAR, postgres_plan

D = dt.date
TODAY = D(2026, 12, 31)


def _rows() -> tuple[list, list]:
    kpi_rows = sorted(tuple(getattr(r, c) for c in ("prefecture_id", "year", "grain", "day", *MEASURES))
                      for r in db.session.scalars(sa.select(KpiDay)))
    spans = sorted(tuple(getattr(r, c) for c in ("project_id", "from_on", "until_on", "since", "prefecture_id", "code",
                                                  "stage"))
                   for r in db.session.scalars(sa.select(StalledSpan)))
    return kpi_rows, spans


def _check(prefectures: list[Prefecture], days: list[dt.date]) -> tuple[int, int]:
    """The maintained figures equal the direct ones at every day, and a rebuild changes no row;
    how many stalled and unfulfilled projects were counted over the days."""
    db.session.flush()
    codes = [p.code for p in prefectures]
    seen = [0, 0]
    for day in days:
        found = queries.facts(day.year, day, {p.id for p in prefectures})
        expected, expected_total = kpis.by_prefecture(found, day.year, day, {}, codes)
        rows, total = queries.prefecture_kpis(day.year, day, prefectures, {})
        assert rows == expected, day
        assert total == expected_total, day
        stalled = [queries.Stalled(f.code, f.prefecture_code, f.stage, f.last_activity_on or f.signed_on)
                   for f in sorted(found, key=lambda f: (f.prefecture_code, f.code)) if f.stalled(day)]
        assert queries.stalled(day, prefectures) == stalled, day
        assert queries.stalled(day, prefectures, 2) == stalled[:2]
        seen[0] += total.stalled
        seen[1] += total.unfulfilled
    incremental = _rows()
    assert all(any(r[4:]) for r in incremental[0])  # rows that came to nothing are dropped
    totals.rebuild(db.session.connection())
    assert _rows() == incremental
    return seen[0], seen[1]


def _days(first: dt.date, last: dt.date, every: int) -> list[dt.date]:
    days = [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, every)]
    return days + [D(y, m, 1) for y, m in ((2026, 3), (2026, 7))] + [D(2026, 6, 30), D(2026, 12, 31)]


def test_the_demo_year(demo_database, app):
    prefectures = list(db.session.scalars(sa.select(Prefecture).order_by(Prefecture.code)))
    incremental = _rows()
    assert incremental[0] and incremental[1]
    _check(prefectures, _days(D(DEMO_YEAR, 1, 1), D(DEMO_YEAR, 12, 31), 23))
    _check(prefectures[3:4], [D(DEMO_YEAR, 9, 30)])


def _data(rng: random.Random, prefecture: Prefecture, n: int) -> operations.ProjectData:
    stage = rng.choice(["reserve", "talks", "signed", "signed", "registered", "started", "producing"])
    signed_on = None if stage in ("reserve", "talks") else D(2025, 10, 1) + dt.timedelta(days=rng.randrange(300))
    due = {}
    if signed_on is not None:
        for key in ("registration", "first_funds", "start", "production"):
            if rng.random() < 0.7:
                due[key] = signed_on + dt.timedelta(days=rng.randrange(10, 300))
    return operations.ProjectData(
        name=f"随机项目{n}", prefecture=prefecture, county=prefecture.counties[0], investor="随机投资方",
        origin_province=rng.choice(["湖南省", "广东省", "浙江省"]), industry=rng.choice("123"), stage=stage,
        stage_on=(signed_on or D(2025, 9, 1)) + dt.timedelta(days=rng.randrange(0, 60)) if stage != "signed" else signed_on,
        signed_on=signed_on, contract_investment=Decimal(rng.choice([30, 60, 100, 250])) * 1_000_000,
        contract_funds=Decimal(rng.choice([10, 20, 30])) * 1_000_000 - Decimal("0.07"), due=due)


def _advance(rng: random.Random, project: Project) -> None:
    """A later stage (or the end) on a day after its last event, when there is one before TODAY."""
    order = ["signed", "registered", "started", "producing"]
    later = [s for s in order if order.index(s) > order.index(project.stage)] if project.stage in order else []
    last = project.events[-1].reached_on
    if project.stage in ("reserve", "talks") or last >= TODAY - dt.timedelta(days=5):
        return
    stage = "terminated" if rng.random() < 0.15 or not later else later[0]
    operations.change_stage(project, stage, last + dt.timedelta(days=rng.randrange(1, min(150, (TODAY - last).days))),
                            "", None, TODAY)


def _random_ledger(seed: int, prefectures: list[Prefecture]) -> tuple[int, int]:
    rng = random.Random(seed)
    days = _days(D(2025, 12, 31), D(2026, 12, 31), 17)
    projects = [operations.create_project(_data(rng, prefectures[n % 2], n), None, D(2026, 10, 31)) for n in range(14)]
    _check(prefectures, days)  # registered
    for project in projects:
        if rng.random() < 0.7:
            _advance(rng, project)
    _check(prefectures, days)  # stages reached, some ended
    for month in range(1, 12, 2):
        for prefecture in prefectures:
            lines = [operations.MonthLine(p, Decimal(rng.randrange(1, 9)) * 1_000_000 + Decimal("0.13"))
                     for p in projects if p.prefecture_id == prefecture.id and p.signed_on
                     and p.signed_on <= D(2026, month, 28) and p.stage != "terminated" and rng.random() < 0.6]
            operations.file_monthly_report(prefecture, f"2026-{month:02d}", lines, [], "", None, TODAY)
    _check(prefectures, days)  # funds arrived
    for project in projects:
        if project.signed_on is not None and rng.random() < 0.5:
            data = _data(rng, db.session.get(Prefecture, project.prefecture_id), 0)
            data.name, data.stage, data.due = project.name, project.stage, {
                k: project.signed_on + dt.timedelta(days=rng.randrange(5, 200)) for k in ("registration", "start")}
            later = [e.reached_on for e in project.events if e.stage not in ("signed",)]
            data.signed_on = min([project.signed_on - dt.timedelta(days=rng.randrange(0, 40)), *later])
            operations.update_project(project, data, TODAY)
    _check(prefectures, days)  # edited: signing date, investment, origin, contract dates
    arrival = db.session.scalar(sa.select(FundsArrival).order_by(FundsArrival.id))
    if arrival is not None:
        db.session.delete(arrival)
    return _check(prefectures, days)  # funds taken back


def test_random_ledgers(app, prefecture):
    for seed, names in enumerate([("长沙市", "株洲市"), ("湘潭市", "衡阳市"), ("邵阳市", "岳阳市")]):
        stalled, unfulfilled = _random_ledger(seed, [prefecture(name) for name in names])
        assert stalled and unfulfilled


def test_the_upgrade_that_creates_the_tables_fills_them(demo_database, app):
    """Migration 0025 creates the tables empty; ``investenv db upgrade`` fills them by the rule."""
    from investenv import migrate

    kept = _rows()
    db.session.remove()
    migrate.downgrade("0024")
    migrate.upgrade()
    assert kept[0] and _rows() == kept


def test_on_postgresql_the_stalled_list_of_a_day_reads_the_spans_index(app):
    """The range containment is the index's expression (migration 0029): a past day with few stalled
    projects is found without reading every span."""
    stmt = sa.select(StalledSpan.code).where(queries._span_contains(D(2026, 6, 30)))
    compiled = str(stmt.compile(db.engine))
    assert ("daterange" in compiled) == (db.engine.dialect.name == "postgresql")
    if db.engine.dialect.name != "postgresql":
        return
    assert "ix_project_stalled_spans_days" in postgres_plan(stmt)

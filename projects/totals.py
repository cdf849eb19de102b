"""Keeping the ledger's figures in the database: :class:`.models.KpiDay` (how much each KPI count
of a prefecture changes on a day) and :class:`.models.StalledSpan` (when each project is stalled),
current in the transaction of every change to a project, its stage events or its
funds.

A project's part in the KPI rows follows from the project alone (:func:`contributions`): it joins
the cohort of its signing year on the day it is signed, counts as started from the day it started
(or was signed, if later), is unfulfilled from the day a milestone falls overdue until the day it is
met, stalled from the 91st quiet day until its next activity, and so on — the definitions of
:mod:`scoring.projects` written as changes by day, which ``tests/projects/test_totals.py`` checks
against :func:`scoring.projects.compute` at many days.  The rows change by differences: before a
flush the touched projects' parts are read from the database, after it they are read again, and
the difference is added by one upsert per row (exact: money in fen, counts in integers; the touched
projects' rows are locked before they are read, and rows are added in key order, so concurrent
writers neither start from the same state nor deadlock on the rows).  The stalled spans of the
touched projects are rewritten.

The listeners are registered by :func:`listen` from the app factory, as the complaints' counts
are; writes that bypass the ORM (bulk loads) call :func:`rebuild` afterwards."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, delete, event, insert, inspect, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from scoring.projects import LARGE, SIGNED_STAGES, SIZE_BANDS, STALL_DAYS, size_band

from .models import MEASURES, FundsArrival, KpiDay, Project, StageEvent, StalledSpan
from .vocabulary import MEETS, MILESTONES, OPEN_STAGES, is_outside

PENDING = "project_totals_pending"
BANDS = {label: n for n, (label, _) in enumerate(SIZE_BANDS)}
QUIET = dt.timedelta(days=STALL_DAYS + 1)   # stalled from the 91st day without activity
CHUNK = 20                                  # prefectures read at a time by a rebuild


@dataclass
class Ledger:
    """What the database holds of one project: its row, its stage events and its funds."""

    project_id: int
    prefecture_id: int
    code: str
    stage: str
    signed_on: dt.date | None
    outside: bool
    industry: str
    investment: Decimal
    promised: Decimal
    due: dict[str, dt.date | None]
    reached: dict[str, dt.date] = field(default_factory=dict)       # stage → first date reached
    arrivals: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    activity: set[dt.date] = field(default_factory=set)

    def met(self, milestone: str) -> dt.date | None:
        if milestone == "first_funds":
            return min((day for day, _ in self.arrivals), default=None)
        return min((self.reached[s] for s in MEETS[milestone] if s in self.reached), default=None)



def read(connection, chosen, lock: bool = False) -> list[Ledger]:
    """The ledgers of the projects whose ids ``chosen`` (ids, or a SELECT of them) gives; with
    ``lock``, their rows locked in id order until the transaction ends (PostgreSQL), so that two
    transactions changing one project's funds or stages one after the other each see the other's."""
    due = [getattr(Project, f"due_{m}") for m in MILESTONES]
    stmt = select(
        Project.id, Project.prefecture_id, Project.code, Project.stage, Project.signed_on, Project.origin_province,
        Project.industry, Project.contract_investment, Project.contract_funds, *due).where(Project.id.in_(chosen))
    rows = connection.execute(stmt.order_by(Project.id).with_for_update() if lock else stmt)
    ledgers = {}
    for pid, prefecture, code, stage, signed_on, origin, industry, investment, promised, *dates in rows:
        ledgers[pid] = Ledger(pid, prefecture, code, stage, signed_on, is_outside(origin), industry, investment, promised,
                              dict(zip(MILESTONES, dates, strict=True)))
    events = select(StageEvent.project_id, StageEvent.stage, StageEvent.reached_on).where(StageEvent.project_id.in_(chosen))
    for pid, stage, day in connection.execute(events):
        ledger = ledgers[pid]
        ledger.reached[stage] = min(ledger.reached.get(stage, day), day)
        ledger.activity.add(day)
    funds = (select(FundsArrival.project_id, FundsArrival.arrived_on, FundsArrival.amount)
             .where(FundsArrival.project_id.in_(chosen)))
    for pid, day, amount in connection.execute(funds):
        ledgers[pid].arrivals.append((day, Decimal(amount)))
        ledgers[pid].activity.add(day)
    return list(ledgers.values())


def _fen(amount: Decimal) -> int:
    return int(Decimal(amount).quantize(Decimal("0.01")) * 100)


def _intervals(stretches: list[tuple[dt.date, dt.date | None]]) -> list[tuple[dt.date, dt.date | None]]:
    """``stretches`` (from, until; until None: for ever), the empty ones left out, merged."""
    merged: list[list] = []
    for start, end in sorted((s, e) for s, e in stretches if e is None or s < e):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            merged[-1][1] = None if merged[-1][1] is None or end is None else max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def stalled_spans(p: Ledger) -> list[tuple[dt.date, dt.date | None, dt.date]]:
    """The days a signed, open project is stalled, as (from, until — None: for ever, the last
    activity or the signing before them): from the 91st day after its last activity (or its
    signing, before any) until its next activity.  The spans never touch."""
    if p.signed_on is None or p.stage not in OPEN_STAGES:
        return []
    signed = p.signed_on
    later = sorted(day for day in p.activity if day > signed)
    last = max((day for day in p.activity if day <= signed), default=signed)
    spans = []
    for start, until in zip([signed, *later], [*later, None], strict=True):
        if until is None or max(start, last + QUIET) < until:
            spans.append((max(start, last + QUIET), until, last))
        last = until
    return spans


def contributions(ledgers: list[Ledger]) -> dict[tuple, Counter]:
    """Each project's changes to the KPI rows, summed by row key (year, grain, day, prefecture)."""
    rows: dict[tuple, Counter] = defaultdict(Counter)

    def add(p: Ledger, year: int, day: dt.date, **changes: int) -> None:
        for key in ((year, "D", day, p.prefecture_id), (year, "M", day.replace(day=1), p.prefecture_id)):
            rows[key].update(changes)

    for p in ledgers:
        band = BANDS[size_band(p.investment)]
        if p.outside:
            for day, amount in p.arrivals:
                fen = _fen(amount)
                add(p, day.year, day, **{"outside_funds": fen, f"funds_industry_{p.industry}": fen, f"funds_band_{band}": fen})
        if p.signed_on is None or p.stage not in SIGNED_STAGES:
            continue
        year, signed = p.signed_on.year, p.signed_on
        joined = {"cohort": 1, "promised": _fen(p.promised)}
        if p.outside:
            joined |= {"outside_new": 1, "outside_large": int(p.investment >= LARGE), f"new_industry_{p.industry}": 1,
                       f"new_band_{band}": 1}
        add(p, year, signed, **joined)
        for day, amount in p.arrivals:
            add(p, year, max(signed, day), funds_cohort=_fen(amount))
        for milestone, measure in (("start", "started"), ("production", "producing")):
            met = p.met(milestone)
            if met is not None:
                add(p, year, max(signed, met), **{measure: 1})
        terminated = p.reached.get("terminated")
        due_from = [terminated] if terminated else []
        due_from += [d + dt.timedelta(days=1) for d in p.due.values() if d is not None]
        if due_from:
            add(p, year, max(signed, min(due_from)), due=1)
        overdue = [(terminated, None)] if terminated else []
        overdue += [(d + dt.timedelta(days=1), p.met(m)) for m, d in p.due.items() if d is not None]
        for start, until in _intervals([(max(start, signed), until) for start, until in overdue]):
            add(p, year, start, unfulfilled=1)
            if until is not None:
                add(p, year, until, unfulfilled=-1)
        for start, until, _ in stalled_spans(p):
            add(p, 0, start, stalled=1)
            if until is not None:
                add(p, 0, until, stalled=-1)
    return rows


def spans(ledgers: list[Ledger]) -> list[dict]:
    return [{"project_id": p.project_id, "from_on": start, "until_on": until, "since": since,
             "prefecture_id": p.prefecture_id, "code": p.code, "stage": p.stage}
            for p in ledgers for start, until, since in stalled_spans(p)]


def apply(connection, changes: dict[tuple, Counter]) -> None:
    """Add ``changes`` to the KPI rows in key order, and drop the rows that come to nothing."""
    table = KpiDay.__table__
    changed = sorted((key, {m: n for m, n in counts.items() if n}) for key, counts in changes.items())
    changed = [(key, counts) for key, counts in changed if counts]
    if not changed:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    names = ("year", "grain", "day", "prefecture_id")
    for key, counts in changed:
        upsert = dialect.insert(table).values(**dict(zip(names, key, strict=True)), **counts)
        connection.execute(upsert.on_conflict_do_update(
            index_elements=list(names), set_={m: table.c[m] + upsert.excluded[m] for m in counts}))
    emptied = [and_(*(table.c[n] == v for n, v in zip(names, key, strict=True))) for key, _ in changed]
    connection.execute(delete(table).where(or_(*emptied), *(table.c[m] == 0 for m in MEASURES)))


def _difference(new: dict[tuple, Counter], old: dict[tuple, Counter]) -> dict[tuple, Counter]:
    result: dict[tuple, Counter] = defaultdict(Counter)
    for key, counts in new.items():
        result[key].update(counts)
    for key, counts in old.items():
        result[key].subtract(counts)
    return result


def refresh(connection, project_ids: set[int], before: dict[tuple, Counter]) -> None:
    """The touched projects' new parts less ``before`` (their parts read before the change); their
    stalled spans rewritten."""
    ids = sorted(project_ids)
    ledgers = read(connection, ids)
    apply(connection, _difference(contributions(ledgers), before))
    table = StalledSpan.__table__
    connection.execute(delete(table).where(table.c.project_id.in_(ids)))
    found = spans(ledgers)
    if found:
        connection.execute(insert(table), found)


def rebuild(connection) -> None:
    """Recompute every row (after writes that bypass the ORM)."""
    connection.execute(delete(KpiDay.__table__))
    connection.execute(delete(StalledSpan.__table__))
    prefectures = sorted(set(connection.scalars(select(Project.prefecture_id).distinct())))
    for start in range(0, len(prefectures), CHUNK):
        ledgers = read(connection, select(Project.id).where(Project.prefecture_id.in_(prefectures[start:start + CHUNK])))
        rows = [{"year": key[0], "grain": key[1], "day": key[2], "prefecture_id": key[3]}
                | {m: counts.get(m, 0) for m in MEASURES} for key, counts in sorted(contributions(ledgers).items())]
        rows = [row for row in rows if any(row[m] for m in MEASURES)]
        if rows:
            connection.execute(insert(KpiDay.__table__), rows)
        found = spans(ledgers)
        if found:
            connection.execute(insert(StalledSpan.__table__), found)


def _touched(objects) -> set[int]:
    ids = set()
    for obj in objects:
        if isinstance(obj, Project):
            ids.add(obj.id)
        elif isinstance(obj, StageEvent | FundsArrival):
            ids.update({obj.project_id, *inspect(obj).attrs.project_id.history.deleted})
            if obj.project_id is None and obj.project is not None:
                ids.add(obj.project.id)
    ids.discard(None)
    return ids


def _before(session, flush_context, instances) -> None:
    """Before a flush: the touched projects' parts as the database holds them, their rows locked (a
    project's part is not the sum of parts of its funds and stages: two transactions must not both
    start from the same state); a flush that failed left nothing behind: this starts afresh."""
    ids = _touched([*session.new, *session.dirty, *session.deleted])
    before = contributions(read(session.connection(), sorted(ids), lock=True)) if ids else {}
    session.info[PENDING] = (ids, before)


def _after(session, flush_context) -> None:
    """After the flush's statements: the projects and ids it gave new rows."""
    ids, _ = session.info.setdefault(PENDING, (set(), {}))
    ids |= _touched([*session.new, *session.dirty, *session.deleted])


def _apply(session, flush_context) -> None:
    ids, before = session.info.pop(PENDING, (set(), {}))
    if ids:
        refresh(session.connection(), ids, before)


def listen(sessions) -> None:
    """Keep the figures current on every flush of ``sessions``; registering twice changes nothing."""
    for name, handler in (("before_flush", _before), ("after_flush", _after), ("after_flush_postexec", _apply)):
        if not event.contains(sessions, name, handler):
            event.listen(sessions, name, handler)

"""``spotchecks.csv``: ``round, prefecture_code, unit, item, score, max_score, checked_on``.

One row per unit and rubric item.  Imports fill the scores of an existing, drawn and unlocked
round: the unit must be in its sample, the item in its rubric.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from investenv import numbers
from investenv.extensions import db
from investenv.tabular import Column, RowError, read_table

from . import operations
from .models import SampledUnit, SpotCheckRound

HEADER = ["round", "prefecture_code", "unit", "item", "score", "max_score", "checked_on"]
COLUMNS = [Column(k, k, required=k != "max_score") for k in HEADER]


def _number(value: float) -> str:
    """The shortest text that reads back as the same number (15.0 → "15", 12.5 → "12.5")."""
    text = repr(float(value))
    return text.removesuffix(".0")


def export_rows(year: int) -> tuple[list[str], list[list[str]]]:
    """The scores of the year's rounds, one row of text per unit and rubric item."""
    rows = []
    for check_round in db.session.scalars(select(SpotCheckRound).where(SpotCheckRound.year == year).order_by(SpotCheckRound.id)):
        for unit in check_round.units:
            scores = {s.item_id: s for s in unit.scores}
            for item in check_round.items:
                if item.id in scores:
                    rows.append([check_round.title, unit.prefecture.code, unit.name, item.title,
                                 _number(scores[item.id].score), _number(item.max_score),
                                 unit.checked_on.isoformat() if unit.checked_on else ""])
    return HEADER, rows


def import_scores(data: bytes, max_bytes: int, user_id: int, day: dt.date) -> tuple[int, list[RowError]]:
    rows = read_table(data, COLUMNS, max_bytes)
    rounds = {r.title: r for r in db.session.scalars(select(SpotCheckRound))}
    errors: list[RowError] = []
    grouped: dict[int, dict] = {}
    for row in rows:
        v = row.values
        check_round = rounds.get(v["round"].strip())
        if check_round is None:
            errors.append(RowError(row.number, "round", f"没有名为“{v['round']}”的抽查轮次"))
            continue
        if check_round.locked:
            errors.append(RowError(row.number, "round", f"“{check_round.title}”已锁定，不能再录入"))
            continue
        unit = db.session.scalar(select(SampledUnit).where(
            SampledUnit.round_id == check_round.id, SampledUnit.name == v["unit"].strip()))
        if unit is None or unit.prefecture.code != v["prefecture_code"].strip():
            errors.append(RowError(row.number, "unit", f"“{v['unit']}”不在本轮 {v['prefecture_code']} 的样本中"))
            continue
        item = next((i for i in check_round.items if i.title == v["item"].strip()), None)
        if item is None:
            errors.append(RowError(row.number, "item", f"评分表中没有检查项目“{v['item']}”"))
            continue
        try:
            score = float(numbers.parse(v["score"], numbers.SCORE))
        except ValueError as exc:
            errors.append(RowError(row.number, "score", str(exc)))
            continue
        if v["max_score"].strip() and v["max_score"].strip() != f"{item.max_score:g}":
            errors.append(RowError(row.number, "max_score", f"满分与评分表不符（评分表为 {item.max_score:g}）"))
        try:
            checked_on = dt.date.fromisoformat(v["checked_on"].strip())
        except ValueError:
            errors.append(RowError(row.number, "checked_on", f"日期格式应为 YYYY-MM-DD：{v['checked_on']}"))
            continue
        entry = grouped.setdefault(unit.id, {"unit": unit, "values": {}, "checked_on": checked_on, "rows": {}})
        entry["values"][item.id] = (score, "")
        entry["rows"][f"item-{item.id}"] = row.number
    for entry in grouped.values():
        unit_errors = operations.enter_scores(entry["unit"], entry["values"], entry["checked_on"], user_id, day)
        for key, message in unit_errors.items():
            errors.append(RowError(entry["rows"].get(key, min(entry["rows"].values())), "score" if key.startswith("item") else key, message))
    if errors:
        return 0, errors
    return sum(len(e["values"]) for e in grouped.values()), []

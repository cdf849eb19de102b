"""``complaints.csv``: the complaint part of the evaluation bundle.

Columns: ``case_no, prefecture_code, received_on, accepted_on, procedure, major, category,
status, due_on, replied_on, closed_on, extended, satisfaction, loss_recovered_yuan``.
Categories and statuses are written as their codes (see docs/data-formats.md).  A case belongs to
the year it was received in (not the year of its case number, which an imported case may not share).
``due_on`` is written only when it is exact: a provisional deadline (its year's holidays not yet
entered, shown 预计) is left blank, so the ranking never reads a guessed deadline.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from investenv import numbers
from investenv.extensions import db
from investenv.registry.models import Prefecture
from investenv.tabular import Column, RowError, read_table, row_date

from .calendar_store import Deadlines
from .models import Complaint
from .operations import import_case
from .vocabulary import CATEGORIES, SATISFACTION, STATUSES

CASE_NO = re.compile(r"^(\d{4})-(\d{4})-(\d{4})$")
REQUIRED = ("case_no", "prefecture_code", "received_on", "category", "status")

HEADER = ["case_no", "prefecture_code", "received_on", "accepted_on", "procedure", "major", "category", "status",
          "due_on", "replied_on", "closed_on", "extended", "satisfaction", "loss_recovered_yuan"]


def _date(value) -> str:
    return value.isoformat() if value else ""


def export_rows(year: int) -> tuple[list[str], list[list[str]]]:
    """The cases received in ``year``, one row of text each, by case number."""
    cases = db.session.scalars(
        select(Complaint).where(Complaint.received_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .options(selectinload(Complaint.prefecture)).order_by(Complaint.case_no))
    exact = Deadlines().exact
    return HEADER, [
        [c.case_no, c.prefecture.code, _date(c.received_on), _date(c.accepted_on), c.procedure, str(int(c.major)),
         c.category, c.status, _date(exact(c.due_on)), _date(c.replied_on), _date(c.closed_on),
         str(int(c.extended_until is not None)), c.satisfaction or "",
         f"{c.loss_recovered_yuan:.2f}" if c.loss_recovered_yuan is not None else ""]
        for c in cases
    ]


def import_cases(data: bytes, max_bytes: int) -> tuple[int, list[RowError]]:
    """Historical cases from another system: every row checked, then all written or none."""
    rows = read_table(data, [Column(k, k, required=k in REQUIRED) for k in HEADER], max_bytes)
    prefectures = {p.code: p for p in db.session.scalars(select(Prefecture))}
    existing = set(db.session.scalars(select(Complaint.case_no)))
    errors: list[RowError] = []
    planned = []
    seen: dict[str, int] = {}
    for row in rows:
        v = {k: value.strip() for k, value in row.values.items()}
        problems_before = len(errors)
        match = CASE_NO.match(v["case_no"])
        prefecture = prefectures.get(v["prefecture_code"])
        if prefecture is None:
            errors.append(RowError(row.number, "prefecture_code", f"未知的市州代码：{v['prefecture_code'] or '（空）'}"))
        if not match:
            errors.append(RowError(row.number, "case_no", f"案件编号格式应为 2026-4301-0007：{v['case_no']}"))
        elif prefecture is not None and match.group(2) != prefecture.short_code:
            errors.append(RowError(row.number, "case_no", f"案件编号中的市州 {match.group(2)} 与 prefecture_code 不符"))
        first = seen.setdefault(v["case_no"], row.number)
        if first != row.number:
            errors.append(RowError(row.number, "case_no", f"与第 {first} 行的案件编号重复"))
        elif v["case_no"] in existing:
            errors.append(RowError(row.number, "case_no", "该案件编号已存在"))
        dates = {k: row_date(row, k, None, errors) for k in ("received_on", "accepted_on", "due_on", "replied_on", "closed_on")}
        if dates["received_on"] is None and not any(e.column == "received_on" and e.row == row.number for e in errors):
            errors.append(RowError(row.number, "received_on", "收件日期不能为空"))
        checks = [("procedure", v["procedure"] in ("simple", "joint", ""), "应为 simple 或 joint"),
                  ("major", v["major"] in ("0", "1", ""), "应为 0 或 1"),
                  ("extended", v["extended"] in ("0", "1", ""), "应为 0 或 1"),
                  ("category", v["category"] in CATEGORIES, f"应为 {'、'.join(CATEGORIES)} 之一"),
                  ("status", v["status"] in STATUSES, f"应为 {'、'.join(STATUSES)} 之一"),
                  ("satisfaction", v["satisfaction"] in (*SATISFACTION, ""), f"应为 {'、'.join(SATISFACTION)} 或留空")]
        errors += [RowError(row.number, k, f"{message}，实际为“{v[k]}”") for k, ok, message in checks if not ok]
        loss = None
        if v["loss_recovered_yuan"]:
            try:
                loss = numbers.parse(v["loss_recovered_yuan"], numbers.MONEY)
            except ValueError as exc:
                errors.append(RowError(row.number, "loss_recovered_yuan", str(exc)))
        if len(errors) == problems_before:
            planned.append((match, prefecture, v, dates, loss))
    if errors:
        return 0, errors
    for match, prefecture, v, dates, loss in planned:
        import_case(
            prefecture, int(match.group(1)), int(match.group(3)), category=v["category"],
            procedure=v["procedure"] or "simple", major=v["major"] == "1", status=v["status"], satisfaction=v["satisfaction"] or None,
            loss_recovered_yuan=loss, received_on=dates["received_on"], accepted_on=dates["accepted_on"],
            due_on=dates["due_on"], replied_on=dates["replied_on"], closed_on=dates["closed_on"],
            extended_until=dates["due_on"] if v["extended"] == "1" else None,
        )
    db.session.flush()
    return len(planned), []

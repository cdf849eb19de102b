"""``feedback.csv``: ``enterprise_code, prefecture_code, period, d1, d2, d3, d4, d5, submitted_on``.

d = 1 (很差) … 5 (很好), in the order 服务意识, 服务态度, 制度执行, 执法情况, 案件投诉与处理.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from investenv.extensions import db
from investenv.registry.models import Enterprise, MonitoringPoint
from investenv.tabular import Column, RowError, read_table, row_date

from . import operations
from .models import Feedback
from .vocabulary import DIMENSIONS

HEADER = ["enterprise_code", "prefecture_code", "period", *DIMENSIONS, "submitted_on"]
COLUMNS = [Column(k, k, required=k != "submitted_on") for k in HEADER]


def export_rows(year: int) -> tuple[list[str], list[list[str]]]:
    """The feedback of the year's periods, one row of text each."""
    feedback = db.session.scalars(
        select(Feedback)
        .where(Feedback.period.like(f"{year}%"))
        .options(selectinload(Feedback.point).selectinload(MonitoringPoint.enterprise), selectinload(Feedback.prefecture))
        .order_by(Feedback.period, Feedback.id)
    )
    return HEADER, [
        [f.point.enterprise.credit_code, f.prefecture.code, f.period, *map(str, f.ratings), f.submitted_on.isoformat()]
        for f in feedback
    ]


def import_feedback(data: bytes, max_bytes: int, day: dt.date) -> tuple[int, list[RowError]]:
    """Check every row, then record all of them or none."""
    rows = read_table(data, COLUMNS, max_bytes)
    errors: list[RowError] = []
    planned, seen = [], {}
    for row in rows:
        v = row.values
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.credit_code == v["enterprise_code"].strip().upper())
        )
        point = enterprise.monitoring_point if enterprise else None
        if enterprise is None:
            errors.append(RowError(row.number, "enterprise_code", f"企业名录中没有统一社会信用代码 {v['enterprise_code'] or '（空）'}"))
        elif point is None or point.withdrawn_on is not None:
            errors.append(RowError(row.number, "enterprise_code", f"{enterprise.name} 不是测评点，不能报送测评点反馈"))
        elif v["prefecture_code"].strip() != enterprise.prefecture.code:
            errors.append(RowError(row.number, "prefecture_code", f"{enterprise.name} 属于{enterprise.prefecture.name}（{enterprise.prefecture.code}），与 {v['prefecture_code']} 不符"))
        try:
            period = operations.check_period(v["period"], day)
        except ValueError as exc:
            errors.append(RowError(row.number, "period", str(exc)))
            period = None
        ratings, rating_errors = operations.check_ratings([v[key] for key in DIMENSIONS])
        errors += [RowError(row.number, key, message) for key, message in rating_errors.items()]
        submitted = row_date(row, "submitted_on", day, errors)
        if point is not None and period is not None:
            first = seen.setdefault((point.id, period.code), row.number)
            if first != row.number:
                errors.append(RowError(row.number, "period", f"与第 {first} 行是同一测评点的同一期反馈"))
            elif operations.existing(point, period.code) is not None:
                errors.append(RowError(row.number, "period", f"该测评点{period.label}的反馈已经存在"))
        planned.append((point, period, ratings, submitted))
    if errors:
        return 0, errors
    for point, period, ratings, submitted in planned:
        db.session.add(Feedback(monitoring_point_id=point.id, prefecture_id=point.enterprise.prefecture_id,
                                period=period.code, **dict(zip(DIMENSIONS, ratings, strict=True)),
                                submitted_on=submitted))
    db.session.flush()
    return len(planned), []

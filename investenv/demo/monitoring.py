"""Demo feedback for every quarter of the year so far (some points miss a quarter), the
prefectures' hotlines, and one locked spot-check round."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from feedback import periods
from feedback.models import Feedback, Hotline
from feedback.vocabulary import DIMENSIONS
from spotchecks import operations as spot

from ..auth.models import User
from ..extensions import db
from ..registry.models import MonitoringPoint, Prefecture
from ..timeutil import today

SEED = 20061204  # the date of the 2006 work report that describes the monitoring points
COMMENTS = ["窗口服务态度有明显改善。", "审批时限基本能兑现。", "希望进一步减少涉企检查。", "收费项目公示不够清楚。", ""]
INCIDENTS = ["某部门未持《通知单》到企业检查，并要求提供大量资料。", "办理环评手续时被要求到指定中介机构。", ""]


def load(year: int) -> None:
    rng = random.Random(SEED)
    prefectures = db.session.scalars(select(Prefecture).order_by(Prefecture.code)).all()
    lean = {p.id: rng.gauss(0, 0.6) for p in prefectures}
    for prefecture in prefectures:
        db.session.add(Hotline(prefecture_id=prefecture.id, phone=f"0{rng.randint(730, 746)}-{rng.randint(2000000, 8999999)}",
                               person=rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["建国", "海燕", "志强", "丽华", "晓明"]),
                               office="投资企业投诉服务中心"))
    day = min(today(), dt.date(year, 12, 31))
    points = db.session.scalars(select(MonitoringPoint).where(MonitoringPoint.withdrawn_on.is_(None))).all()
    for period in periods.of_year(year, "quarter"):
        if period.starts_on > day:
            continue
        for point in sorted(points, key=lambda p: p.id):
            if point.registered_on > period.starts_on or rng.random() < 0.12:
                continue  # not yet a point, or missed this quarter
            base = 3.4 + lean[point.enterprise.prefecture_id]
            ratings = [min(5, max(1, round(rng.gauss(base, 0.8)))) for _ in DIMENSIONS]
            submitted = min(day, period.starts_on + dt.timedelta(days=rng.randint(60, 100)))
            db.session.add(Feedback(monitoring_point_id=point.id, prefecture_id=point.enterprise.prefecture_id,
                                    period=period.code, **dict(zip(DIMENSIONS, ratings, strict=True)),
                                    comment=rng.choice(COMMENTS), incidents=rng.choice(INCIDENTS),
                                    submitted_on=submitted))
    db.session.flush()
    _spot_check(rng, year, lean)


def _spot_check(rng: random.Random, year: int, lean: dict) -> None:
    team = db.session.scalar(select(User).where(User.username == "centre"))
    check_round = spot.create_round(year, "", year * 10000 + 1015, 4)
    spot.draw(check_round)
    checked_on = min(today(), dt.date(year, 10, 20))
    for unit in check_round.units:
        quality = 0.78 + 0.08 * lean[unit.prefecture_id]
        values = {item.id: (round(min(item.max_score, max(0, rng.gauss(quality, 0.1) * item.max_score)) * 2) / 2, "")
                  for item in check_round.items}
        errors = spot.enter_scores(unit, values, checked_on, team.id, checked_on)
        assert not errors, errors
    spot.lock(check_round, team.id)

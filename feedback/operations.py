"""Recording monitoring-point feedback, from the point's link or from an import."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from complaints import operations as complaints
from investenv import numbers
from investenv.errors import FieldErrors, RuleError
from investenv.extensions import db
from investenv.registry.models import MonitoringPoint

from . import periods
from .models import Feedback, Hotline
from .vocabulary import DIMENSIONS, SCALE

RATING = numbers.Range("评分", Decimal(min(SCALE)), Decimal(max(SCALE)))

TEXT_LIMIT = 2000


def cadence() -> str:
    return current_app.config["FEEDBACK_CADENCE"]


def find_point(token: str) -> MonitoringPoint | None:
    if not token or len(token) > 64:
        return None
    point = db.session.scalar(select(MonitoringPoint).where(MonitoringPoint.feedback_token == token))
    return point if point is not None and point.withdrawn_on is None else None


def check_period(code: str, day: dt.date) -> periods.Period:
    """A valid period of the configured cadence that has already begun."""
    period = periods.parse(code)
    kind = periods.CADENCES[cadence()][0]
    if period.kind != kind:
        raise ValueError(f"本系统按{periods.KIND_NAMES[kind]}报送，期间“{code}”不符")
    if period.starts_on > day:
        raise ValueError(f"{period.label}尚未开始，不能提前报送")
    return period


def check_ratings(values: list) -> tuple[list[int], dict[str, str]]:
    ratings, errors = [], {}
    for (key, name), value in zip(DIMENSIONS.items(), values, strict=True):
        try:
            rating = int(numbers.parse(str(value), RATING))
        except ValueError:
            rating = 0
        if rating not in SCALE:
            low, high = min(SCALE), max(SCALE)
            errors[key] = f"{name}的评分应为 {low}（{SCALE[low]}）到 {high}（{SCALE[high]}），实际为“{value}”"
        ratings.append(rating)
    return ratings, errors


def existing(point: MonitoringPoint, period_code: str) -> Feedback | None:
    return db.session.scalar(
        select(Feedback).where(Feedback.monitoring_point_id == point.id, Feedback.period == period_code)
    )


def submit(
    point: MonitoringPoint, period_code: str, values: list, comment: str, incidents: str, day: dt.date
) -> Feedback:
    """Record a report; a second report for the same period is refused, not merged."""
    errors: dict[str, str] = {}
    try:
        period = check_period(period_code, day)
    except ValueError as exc:
        raise RuleError(str(exc), field="period") from None
    ratings, errors = check_ratings(values)
    for key, text in (("comment", comment), ("incidents", incidents)):
        if len(text or "") > TEXT_LIMIT:
            errors[key] = f"不能超过 {TEXT_LIMIT} 字（现为 {len(text)} 字）"
    if errors:
        raise FieldErrors(errors)
    if existing(point, period.code) is not None:
        raise RuleError(f"{period.label}的反馈已经提交，不能重复提交。如需补充，请拨打本市州的投资企业服务热线。", field="period")
    feedback = Feedback(
        monitoring_point_id=point.id, prefecture_id=point.enterprise.prefecture_id, period=period.code,
        **dict(zip(DIMENSIONS, ratings, strict=True)),
        comment=(comment or "").strip(), incidents=(incidents or "").strip(), submitted_on=day,
    )
    db.session.add(feedback)
    db.session.flush()
    return feedback


def hotline_for(prefecture_id: int) -> Hotline | None:
    return db.session.scalar(select(Hotline).where(Hotline.prefecture_id == prefecture_id))


def set_hotline(prefecture_id: int, phone: str, person: str, office: str) -> Hotline:
    phone, person = phone.strip(), person.strip()
    if not phone:
        raise RuleError("请填写热线电话。", field="phone")
    if not person:
        raise RuleError("请填写负责人。", field="person")
    hotline = hotline_for(prefecture_id) or Hotline(prefecture_id=prefecture_id)
    hotline.phone, hotline.person, hotline.office = phone, person, office.strip()
    db.session.add(hotline)
    db.session.flush()
    return hotline


def open_complaint(feedback: Feedback, user_id: int, today: dt.date):
    """Turn the incidents of a report into a complaint case (channel 测评点反馈), linked both ways."""
    if feedback.complaint_id is not None:
        raise RuleError(f"已立案：{feedback.complaint.case_no}。")
    if not feedback.incidents.strip():
        raise RuleError("这条反馈没有具体事件，不能立案。")
    case, code = complaints.intake(complaints.CaseIntake.from_enterprise(
        feedback.point.enterprise, channel="point", received_on=today, category="other",
        summary=f"测评点{periods.label(feedback.period)}反馈的具体事件：{feedback.incidents}", user_id=user_id, today=today))
    feedback.complaint_id = case.id
    db.session.flush()
    return case, code

"""State changes on the registry: enterprises and monitoring points.

Every function validates first and flushes; the caller commits once per request.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import RuleError
from ..extensions import db
from ..timeutil import today
from . import codes, credit_code
from .models import County, Enterprise, FilingStatus, MonitoringPoint, Prefecture


class Divisions:
    """Prefectures and counties looked up by code or name (``长沙市``, ``长沙``, ``430100``)."""

    def __init__(self, session: Session):
        self.prefectures = session.scalars(
            select(Prefecture).options(selectinload(Prefecture.counties))
        ).all()
        self._counties_by_code = {c.code: c for p in self.prefectures for c in p.counties}

    def prefecture(self, value: str) -> Prefecture | None:
        value = value.strip()
        for p in self.prefectures:
            if value in (p.code, p.short_code, p.name) or (len(value) >= 2 and p.name.startswith(value)):
                return p
        return None

    def county(self, prefecture: Prefecture, value: str) -> County | None:
        value = value.strip()
        return next((c for c in prefecture.counties if value in (c.code, c.name)), None)

    def county_by_code(self, code: str) -> County | None:
        return self._counties_by_code.get(code)


@dataclass
class EnterpriseData:
    name: str
    credit_code: str
    prefecture_id: int
    county_id: int
    origin_province: str
    origin_city: str
    industry: str | None
    contact_name: str
    contact_phone: str
    contact_email: str = ""


def clean_enterprise(
    values: dict[str, str], divisions: Divisions, own_prefecture_id: int | None
) -> tuple[EnterpriseData | None, dict[str, str]]:
    """Validate raw text fields; return the data or a message per offending field.

    ``values`` has the keys name, credit_code, prefecture, county, origin_province,
    origin_city, industry, contact_name, contact_phone, contact_email.  An empty prefecture is taken from a
    county given by its code.
    """
    errors: dict[str, str] = {}
    name = values.get("name", "").strip()
    if not name:
        errors["name"] = "企业名称不能为空"
    elif len(name) > 200:
        errors["name"] = "企业名称不能超过 200 个字符"
    try:
        code = credit_code.validate(values.get("credit_code", ""))
    except ValueError as exc:
        errors["credit_code"], code = str(exc), ""
    county = None
    raw_prefecture, raw_county = values.get("prefecture", ""), values.get("county", "").strip()
    if not raw_prefecture.strip() and divisions.county_by_code(raw_county):
        county = divisions.county_by_code(raw_county)
        prefecture = county.prefecture
    else:
        prefecture = divisions.prefecture(raw_prefecture)
    if prefecture is None:
        errors["prefecture"] = f"未知的市州：{raw_prefecture or '（空）'}"
    elif own_prefecture_id is not None and prefecture.id != own_prefecture_id:
        errors["prefecture"] = f"无权登记其他市州（{prefecture.name}）的企业"
    elif county is None:
        county = divisions.county(prefecture, raw_county)
        if county is None:
            errors["county"] = f"{prefecture.name}没有名为“{raw_county or '（空）'}”的县市区"
    origin = codes.origin_province(values.get("origin_province", ""))
    if origin is None:
        errors["origin_province"] = f"未知的投资方来源省份：{values.get('origin_province') or '（空）'}"
    industry = None
    if values.get("industry", "").strip():
        industry = codes.industry_code(values["industry"])
        if industry is None:
            errors["industry"] = f"未知的行业门类：{values['industry']}（填 A–T 或门类名称）"
    for key, limit in (("origin_city", 50), ("contact_name", 60), ("contact_phone", 40), ("contact_email", 200)):
        if len(values.get(key, "").strip()) > limit:
            errors[key] = f"不能超过 {limit} 个字符"
    email = values.get("contact_email", "").strip()
    if email and "contact_email" not in errors and (
            email.count("@") != 1 or any(c.isspace() for c in email) or "." not in email.split("@")[1]):
        errors["contact_email"] = f"邮件地址格式不正确：{email}"
    if errors:
        return None, errors
    return EnterpriseData(
        name=name,
        credit_code=code,
        prefecture_id=prefecture.id,
        county_id=county.id,
        origin_province=origin,
        origin_city=values.get("origin_city", "").strip(),
        industry=industry,
        contact_name=values.get("contact_name", "").strip(),
        contact_phone=values.get("contact_phone", "").strip(),
        contact_email=email,
    ), {}


def find_by_credit_code(code: str) -> Enterprise | None:
    return db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))


CODE_NOT_USABLE = "该统一社会信用代码不能在本市州登记或使用，请核对；如确属本市州企业，请联系省经协办。"


def code_taken(holder: Enterprise, own_prefecture_id: int | None) -> str | None:
    """Why ``holder``'s credit code cannot be given to another record, or ``None`` when the user may
    update ``holder`` itself.  A credit code is unique province-wide, so refusing reveals that it is
    registered somewhere; a prefecture user learns nothing more of an enterprise outside its
    prefecture — not its name, not where it is — and the same words whether it is registered or
    only the user's own scope differs."""
    if own_prefecture_id is not None and holder.prefecture_id != own_prefecture_id:
        return CODE_NOT_USABLE
    return None


EMAIL_BY_PROVINCE = "联系邮箱用于向企业发送专用问卷链接，只能由省经协办填写或修改（市州登记、修改、导入时请保持原值）。"


def email_change_refused(before: str, after: str, own_prefecture_id: int | None) -> str | None:
    """Why a prefecture user may not set an enterprise's contact e-mail to ``after`` (it was
    ``before``): the province sends the enterprise its personal survey link there, so an address
    entered by the evaluated prefecture could route that link to its own staff."""
    return EMAIL_BY_PROVINCE if own_prefecture_id is not None and before != after else None


def create_enterprise(data: EnterpriseData, own_prefecture_id: int | None) -> Enterprise:
    if refusal := email_change_refused("", data.contact_email, own_prefecture_id):
        raise RuleError(refusal, field="contact_email")
    holder = find_by_credit_code(data.credit_code)
    if holder is not None:
        raise RuleError(code_taken(holder, own_prefecture_id)
                        or f"统一社会信用代码 {data.credit_code} 已在登记册中（{holder.name}）。", field="credit_code")
    enterprise = Enterprise(**vars(data))
    db.session.add(enterprise)
    db.session.flush()
    return enterprise


def update_enterprise(enterprise: Enterprise, data: EnterpriseData, expected_version: int,
                      own_prefecture_id: int | None) -> None:
    """Apply an edit made on version ``expected_version``; refuse it if someone saved since."""
    if enterprise.version != expected_version:
        raise RuleError("保存失败：该企业信息已被其他人修改。请刷新页面，查看最新内容后再修改。")
    if refusal := email_change_refused(enterprise.contact_email, data.contact_email, own_prefecture_id):
        raise RuleError(refusal, field="contact_email")
    other = find_by_credit_code(data.credit_code)
    if other is not None and other.id != enterprise.id:
        raise RuleError(code_taken(other, own_prefecture_id)
                        or f"统一社会信用代码 {data.credit_code} 已属于{other.name}。", field="credit_code")
    for key, value in vars(data).items():
        setattr(enterprise, key, value)
    db.session.flush()


def register_monitoring_point(
    enterprise: Enterprise, registered_on: dt.date, note: str = ""
) -> MonitoringPoint:
    """Register (or re-register after withdrawal) an enterprise as a monitoring point."""
    if registered_on > today():
        raise RuleError("登记日期不能晚于今天。", field="registered_on")
    point = enterprise.monitoring_point
    if point is not None and point.withdrawn_on is None:
        raise RuleError(f"{enterprise.name} 已是测评点。")
    if point is None:
        point = MonitoringPoint(enterprise=enterprise)
        db.session.add(point)
    point.registered_on = registered_on
    point.filing_status = FilingStatus.PENDING.value
    point.filed_on = None
    point.withdrawn_on = None
    point.note = note.strip()
    db.session.flush()
    return point


def set_filing_status(point: MonitoringPoint, status: FilingStatus, on: dt.date) -> None:
    """Record the provincial office's filing decision (备案) on a monitoring point."""
    if point.withdrawn_on is not None:
        raise RuleError("该测评点已撤销，不能备案。")
    point.filing_status = status.value
    point.filed_on = on if status == FilingStatus.FILED else None
    db.session.flush()


def withdraw_monitoring_point(point: MonitoringPoint, on: dt.date) -> None:
    if point.withdrawn_on is not None:
        raise RuleError("该测评点已撤销。")
    if on < point.registered_on:
        raise RuleError("撤销日期不能早于登记日期。", field="withdrawn_on")
    point.withdrawn_on = on
    db.session.flush()

"""All-or-nothing import of enterprises and monitoring points from CSV or XLSX."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from ..errors import RuleError
from ..extensions import db
from ..tabular import Column, Row, RowError, csv_bytes, read_table
from ..timeutil import today
from . import credit_code, operations
from .codes import INDUSTRIES, ORIGIN_PROVINCES

COLUMNS = [
    Column("name", "企业名称"),
    Column("credit_code", "统一社会信用代码"),
    Column("prefecture", "市州"),
    Column("county", "县市区"),
    Column("origin_province", "投资方来源省份"),
    Column("origin_city", "投资方来源城市", required=False),
    Column("industry", "行业门类", required=False),
    Column("contact_name", "联系人", required=False),
    Column("contact_phone", "联系电话", required=False),
    Column("monitoring_point", "是否测评点", required=False),
    Column("registered_on", "测评点登记日期", required=False),
    Column("contact_email", "联系邮箱", required=False),
]
LABELS = {c.key: c.label for c in COLUMNS}
EXAMPLE = {
    "name": "湖南示例电子科技有限公司",
    "credit_code": "91430181MA4L8K2P3D",
    "prefecture": "长沙市",
    "county": "浏阳市",
    "origin_province": "广东省",
    "origin_city": "深圳市",
    "industry": "C",
    "contact_name": "张三",
    "contact_phone": "0731-88888888",
    "contact_email": "zhangsan@example.com",
    "monitoring_point": "是",
    "registered_on": "2026-11-20",
}
YES, NO = {"是", "y", "yes", "1", "true"}, {"", "否", "n", "no", "0", "false"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    points: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Planned:
    row: Row
    data: operations.EnterpriseData
    point_on: dt.date | None


def import_enterprises(
    data: bytes, max_bytes: int, own_prefecture_id: int | None, update_existing: bool
) -> ImportReport:
    """Validate every row, then write all of them, or nothing if any row is wrong.

    Raises :class:`~investenv.tabular.TableError` when the file itself is unreadable.
    """
    rows = read_table(data, COLUMNS, max_bytes)
    divisions = operations.Divisions(db.session)
    report, planned, seen = ImportReport(), [], {}
    for row in rows:
        cleaned, errors = operations.clean_enterprise(row.values, divisions, own_prefecture_id)
        point_on = _point_date(row, errors)
        if "credit_code" not in errors:
            code = credit_code.normalise(row.values["credit_code"])
            first = seen.setdefault(code, row.number)
            holder = operations.find_by_credit_code(code)
            if first != row.number:
                errors["credit_code"] = f"与第 {first} 行的统一社会信用代码重复"
            elif holder is not None and (refusal := operations.code_taken(holder, own_prefecture_id)):
                errors["credit_code"] = refusal
            elif holder is not None and not update_existing:
                errors["credit_code"] = "该统一社会信用代码已在登记册中（如需更新，请勾选“更新已存在的企业”）"
        if cleaned is not None and (refusal := operations.email_change_refused(
                holder.contact_email if "credit_code" not in errors and holder else "", cleaned.contact_email,
                own_prefecture_id)):
            errors["contact_email"] = refusal
        report.errors += [RowError(row.number, LABELS[k], msg) for k, msg in errors.items()]
        if not errors:
            planned.append(_Planned(row, cleaned, point_on))
    if report.errors:
        return report
    for item in planned:
        _write(item, report, own_prefecture_id)
    if report.errors:  # a rule checked only while writing (e.g. scope of an existing record)
        db.session.rollback()
        report.created = report.updated = report.points = 0
    return report


def _point_date(row: Row, errors: dict[str, str]) -> dt.date | None:
    flag = row.values["monitoring_point"].strip().lower()
    if flag not in YES | NO:
        errors["monitoring_point"] = f"应填“是”或“否”，实际为“{row.values['monitoring_point']}”"
        return None
    if flag in NO:
        return None
    raw = row.values["registered_on"].strip()
    try:
        day = dt.date.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        errors["registered_on"] = f"测评点须填写登记日期（YYYY-MM-DD），实际为“{raw or '（空）'}”"
        return None
    if day > today():
        errors["registered_on"] = "登记日期不能晚于今天"
    return day


def _write(item: _Planned, report: ImportReport, own_prefecture_id: int | None) -> None:
    existing = operations.find_by_credit_code(item.data.credit_code)
    if existing is None:
        enterprise = operations.create_enterprise(item.data, own_prefecture_id)
        report.created += 1
    else:  # in the user's scope: checked with every row before anything is written
        operations.update_enterprise(existing, item.data, existing.version, own_prefecture_id)
        enterprise = existing
        report.updated += 1
    if item.point_on is not None:
        point = enterprise.monitoring_point
        if point is None or point.withdrawn_on is not None:
            try:
                operations.register_monitoring_point(enterprise, item.point_on)
            except RuleError as exc:
                report.errors.append(RowError(item.row.number, LABELS["registered_on"], exc.message))
                return
            report.points += 1


def template_csv() -> bytes:
    """The import template as UTF-8 CSV with BOM, so that Excel opens it correctly."""
    return csv_bytes([c.label for c in COLUMNS], [])


def template_xlsx() -> bytes:
    """The import template as XLSX, with a second sheet explaining every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业登记"
    sheet.append([c.label for c in COLUMNS])
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = 18
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "必填", "说明", "示例"])
    for column in COLUMNS:
        notes.append([column.label, "是" if column.required else "否", HELP[column.key], EXAMPLE[column.key]])
    notes.append([])
    notes.append(["行业门类（GB/T 4754-2017）"])
    for code, name in INDUSTRIES.items():
        notes.append([code, name])
    notes.append([])
    notes.append(["投资方来源省份可填", "、".join(ORIGIN_PROVINCES)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HELP = {
    "name": "企业全称，最长 200 字",
    "credit_code": "18 位统一社会信用代码，按 GB 32100-2015 校验",
    "prefecture": "市州名称或代码，如 长沙市、430100",
    "county": "所在县市区名称或代码，须属于所填市州",
    "origin_province": "投资方来自的省份，境外投资填“境外”",
    "origin_city": "投资方来自的城市",
    "industry": "行业门类字母 A–T 或门类名称",
    "contact_name": "企业联系人",
    "contact_phone": "联系电话",
    "contact_email": "问卷邀请函的收件邮箱；只能由省经协办填写或修改",
    "monitoring_point": "是 / 否；留空视为否",
    "registered_on": "是测评点时必填，格式 YYYY-MM-DD",
}

"""The ledger's data files: ``projects.csv`` of a year for the evaluation bundle (one row per
project with ``prefecture_code`` and the year's figures, :data:`scoring.projects.HEADER`), and the two
all-or-nothing imports prefectures send today as spreadsheets: projects and monthly reports
(docs/data-formats.md)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from investenv import numbers
from investenv.extensions import db
from investenv.registry import queries as registry_queries
from investenv.registry.operations import Divisions
from investenv.tabular import Column, Row, RowError, csv_bytes, read_table, row_date, xlsx_bytes
from investenv.timeutil import today
from scoring import projects as kpis

from . import operations, queries
from .vocabulary import INDUSTRIES, MILESTONES, PROBLEM_KINDS, STAGES

HEADER = kpis.HEADER


def export_rows(year: int) -> tuple[list[str], list[list[str]]]:
    """Every project of the ledger with the year's figures, counted at 31 December (or today)."""
    day = min(today(), dt.date(year, 12, 31))
    return HEADER, [f.row() for f in queries.facts(year, day)]


PROJECT_COLUMNS = [
    Column("name", "项目名称"),
    Column("prefecture", "市州"),
    Column("county", "县市区"),
    Column("park", "园区", required=False),
    Column("investor", "投资方", required=False),
    Column("credit_code", "投资方统一社会信用代码", required=False),
    Column("origin_province", "投资方来源省份", required=False),
    Column("origin_city", "投资方来源城市", required=False),
    Column("industry", "产业"),
    Column("sector", "行业", required=False),
    Column("stage", "阶段"),
    Column("stage_on", "阶段日期", required=False),
    Column("signed_on", "签约日期", required=False),
    Column("venue", "签约地点", required=False),
    Column("contract_investment", "合同总投资（元）"),
    Column("contract_funds", "拟引进资金（元）"),
    *(Column(f"due_{key}", f"合同约定{label}日期", required=False) for key, (label, _) in MILESTONES.items()),
    Column("leader", "责任领导", required=False),
    Column("department", "责任部门", required=False),
    Column("follow_up", "跟踪责任人", required=False),
]
MONTHLY_COLUMNS = [
    Column("month", "月份"),
    Column("project_code", "项目编号"),
    Column("funds", "当月到位资金（元）", required=False),
    Column("stage", "阶段变化", required=False),
    Column("stage_on", "阶段变化日期", required=False),
    Column("problem_kind", "问题类别", required=False),
    Column("problem", "问题", required=False),
    Column("help_asked", "请求帮助事项", required=False),
]
EXAMPLES = {
    "projects": ["湘潭示例新材料产业园项目", "湘潭市", "岳塘区", "湘潭经开区", "广东示例投资有限公司", "", "广东省", "深圳市",
                 "二产", "新材料", "签约", "", "2026-03-18", "中博会", "200000000", "150000000",
                 "2026-05-31", "2026-06-30", "2026-09-30", "2027-12-31", "张副市长", "市经协办", "李四"],
    "monthly": ["2026-06", "XM-4303-0001", "30000000", "开工", "2026-06-18", "供地", "二期用地指标尚未落实", "请求省里协调用地指标"],
}
TEMPLATES = {"projects": PROJECT_COLUMNS, "monthly": MONTHLY_COLUMNS}
_STAGE_BY_NAME = {label: key for key, label in STAGES.items()} | {key: key for key in STAGES}
_INDUSTRY_BY_NAME = {label: key for key, label in INDUSTRIES.items()} | {key: key for key in INDUSTRIES}
_COLUMN_OF = {"funds": "funds", "stage": "stage", "problem": "problem", "month": "month", "project": "project_code",
              "remarks": "month"}
_KIND_BY_NAME = {label: key for key, label in PROBLEM_KINDS.items()} | {key: key for key in PROBLEM_KINDS}


def template(kind: str, fmt: str) -> bytes:
    header = [c.label for c in TEMPLATES[kind]]
    return csv_bytes(header, [EXAMPLES[kind]]) if fmt == "csv" else xlsx_bytes(kind, header, [EXAMPLES[kind]])


def _money(row: Row, key: str, label: str, errors: list[RowError], required: bool = True) -> Decimal | None:
    raw = row.values[key].strip()
    if not raw:
        if required:
            errors.append(RowError(row.number, key, f"请填写{label}"))
        return None
    try:
        return numbers.parse(raw, numbers.MONEY)
    except ValueError as exc:
        errors.append(RowError(row.number, key, f"{label}：{exc}"))
        return None


def _optional_date(row: Row, key: str, errors: list[RowError]) -> dt.date | None:
    if not row.values[key].strip():
        return None
    return row_date(row, key, dt.date.min, errors)


def import_projects(data: bytes, max_bytes: int, own_prefecture_id: int | None, user_id: int | None,
                    day: dt.date) -> tuple[int, list[RowError]]:
    """Check every row, then add all the projects or none."""
    rows = read_table(data, PROJECT_COLUMNS, max_bytes)
    divisions = Divisions(db.session)
    errors: list[RowError] = []
    planned, seen = [], {}
    for row in rows:
        v = {k: text.strip() for k, text in row.values.items()}
        row_errors: list[RowError] = []
        prefecture = divisions.prefecture(v["prefecture"]) if v["prefecture"] else None
        county = divisions.county(prefecture, v["county"]) if prefecture else None
        if prefecture is None:
            row_errors.append(RowError(row.number, "prefecture", f"没有这个市州：{v['prefecture'] or '（空）'}"))
        elif own_prefecture_id is not None and prefecture.id != own_prefecture_id:
            row_errors.append(RowError(row.number, "prefecture", f"只能导入本市州的项目，不能导入{prefecture.name}的"))
        elif county is None:
            row_errors.append(RowError(row.number, "county", f"{prefecture.name}没有县市区“{v['county'] or '（空）'}”"))
        enterprise = None
        if v["credit_code"]:
            enterprise = registry_queries.enterprise_by_credit_code(v["credit_code"].upper())
            if enterprise is None:
                row_errors.append(RowError(row.number, "credit_code", f"企业名录中没有统一社会信用代码 {v['credit_code']}"))
        stage, industry = _STAGE_BY_NAME.get(v["stage"]), _INDUSTRY_BY_NAME.get(v["industry"])
        if stage is None:
            row_errors.append(RowError(row.number, "stage", "阶段应为" + "、".join(STAGES.values())))
        if industry is None:
            row_errors.append(RowError(row.number, "industry", "产业应为一产、二产或三产"))
        investment = _money(row, "contract_investment", "合同总投资", row_errors)
        funds = _money(row, "contract_funds", "拟引进资金", row_errors)
        signed_on = _optional_date(row, "signed_on", row_errors)
        stage_on = row_date(row, "stage_on", signed_on or day, row_errors)
        due = {key: _optional_date(row, f"due_{key}", row_errors) for key in MILESTONES}
        if not row_errors and prefecture is not None:
            project = operations.ProjectData(
                name=v["name"], prefecture=prefecture, county=county, enterprise=enterprise,
                investor=v["investor"] or (enterprise.name if enterprise else ""),
                origin_province=v["origin_province"] or (enterprise.origin_province if enterprise else ""),
                origin_city=v["origin_city"], industry=industry, sector=v["sector"], park=v["park"], stage=stage,
                stage_on=stage_on, signed_on=signed_on, venue=v["venue"], contract_investment=investment,
                contract_funds=funds, due=due, leader=v["leader"], department=v["department"], follow_up=v["follow_up"])
            row_errors += [RowError(row.number, key, message) for key, message in project.problems(day).items()]
            first = seen.setdefault((prefecture.id, v["name"]), row.number)
            if first != row.number:
                row_errors.append(RowError(row.number, "name", f"与第 {first} 行是同一市州的同名项目"))
            elif queries.project_named(prefecture.id, v["name"]) is not None:
                row_errors.append(RowError(row.number, "name", f"{prefecture.name}的台账中已有项目“{v['name']}”"))
            planned.append(project)
        errors += row_errors
    if errors:
        return 0, errors
    for project in planned:
        operations.create_project(project, user_id, day)
    return len(planned), []


def import_monthly(data: bytes, max_bytes: int, own_prefecture_id: int | None, user_id: int | None,
                   day: dt.date) -> tuple[int, list[RowError]]:
    """Monthly reports, one per prefecture and month of the file: check every row and every
    report, then file all of them or none."""
    rows = read_table(data, MONTHLY_COLUMNS, max_bytes)
    errors: list[RowError] = []
    projects = queries.projects_by_code(sorted({r.values["project_code"].strip().upper() for r in rows}))
    groups: dict[tuple[int, str], dict] = defaultdict(lambda: {"lines": [], "problems": [], "rows": {}})
    staged: dict[int, tuple[str, int]] = {}
    for row in rows:
        v = {k: text.strip() for k, text in row.values.items()}
        project = projects.get(v["project_code"].upper())
        if project is None:
            errors.append(RowError(row.number, "project_code", f"台账中没有项目编号 {v['project_code'] or '（空）'}"))
            continue
        if own_prefecture_id is not None and project.prefecture_id != own_prefecture_id:
            errors.append(RowError(row.number, "project_code", f"项目 {project.code} 不属于本市州"))
            continue
        try:
            month = operations.parse_month(v["month"], day)
        except ValueError as exc:
            errors.append(RowError(row.number, "month", str(exc)))
            continue
        amount = _money(row, "funds", "当月到位资金", errors, required=False)
        stage = _STAGE_BY_NAME.get(v["stage"], "?") if v["stage"] else ""
        if stage == "?":
            errors.append(RowError(row.number, "stage", "阶段应为" + "、".join(STAGES.values())))
            continue
        stage_on = _optional_date(row, "stage_on", errors)
        group = groups[(project.prefecture_id, month.code)]
        group["rows"].setdefault("month", row.number)
        if stage:
            first = staged.setdefault(project.id, (month.code, row.number))
            if first[0] != month.code:
                errors.append(RowError(row.number, "stage", f"项目 {project.code} 在第 {first[1]} 行已有{first[0]}的阶段变化，不同月份的阶段变化请分次导入"))
                continue
        if amount is not None or stage:
            group["lines"].append(operations.MonthLine(project, amount, stage, stage_on))
            group["rows"][f"funds_{project.id}"] = group["rows"][f"stage_{project.id}"] = row.number
        if v["problem"] or v["problem_kind"]:
            group["problems"].append(operations.ProblemData(project, _KIND_BY_NAME.get(v["problem_kind"], v["problem_kind"]),
                                                            v["problem"], v["help_asked"]))
            group["rows"][f"problem_{len(group['problems'])}"] = row.number
    prefectures = {p.id: p for p in registry_queries.prefectures()}
    for (pid, month_code), group in groups.items():
        _, problems = operations.check_monthly_report(prefectures[pid], month_code, group["lines"], group["problems"],
                                                      "", day)
        errors += [RowError(group["rows"].get(key, group["rows"]["month"]), _COLUMN_OF[key.split("_")[0]], message)
                   for key, message in problems.items()]
    if errors:
        return 0, sorted(errors, key=lambda e: e.row)
    for (pid, month_code), group in sorted(groups.items()):
        operations.file_monthly_report(prefectures[pid], month_code, group["lines"], group["problems"], "", user_id, day)
    return sum(len(g["lines"]) + len(g["problems"]) for g in groups.values()), []


IMPORTS = {"projects": import_projects, "monthly": import_monthly}

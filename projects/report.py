"""The monthly 调度 statistics in the form the provincial office circulates: an XLSX workbook of
the KPIs per prefecture, funds by industry and size, and the stalled projects."""
from __future__ import annotations

import datetime as dt

from investenv.exporting import workbook_bytes
from investenv.registry.models import Prefecture

from . import kpis
from .models import Project
from .vocabulary import INDUSTRIES, STAGES

WAN = 10_000  # figures in 万元, as the office reports them


def pct(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "—"


def kpi_header() -> list[str]:
    return ["市州", "当年签约项目", "到期项目", "未履约", *(m.label for m in kpis.RATES), "到位资金（万元）",
            "新签约联引资项目", "其中亿元以上", *(m.label for m in kpis.TARGETS), "停滞项目"]


def kpi_row(name: str, kpi: kpis.Kpi) -> list:
    rates = kpi.rates()
    return [name, kpi.cohort, kpi.due, kpi.unfulfilled, *(pct(rates[m.key]) for m in kpis.RATES),
            round(float(kpi.outside_funds) / WAN, 2), kpi.outside_new, kpi.outside_large,
            *(pct(rates[m.key]) for m in kpis.TARGETS), kpi.stalled]


def workbook(year: int, day: dt.date, prefectures: list[Prefecture], facts: list[kpis.Facts],
             rows: dict[str, kpis.Kpi], total: kpis.Kpi, projects: dict[str, Project]) -> bytes:
    names = {p.code: p.name for p in prefectures}
    summary = [kpi_row(names[code], kpi) for code, kpi in rows.items()] + [kpi_row("合计", total)]
    industry = [[names[code], *(x for key in INDUSTRIES for x in (kpi.by_industry[key].projects,
                                                                  round(float(kpi.by_industry[key].funds) / WAN, 2)))]
                for code, kpi in rows.items()]
    stalled = [[names[f.prefecture_code], f.code, projects[f.code].name, STAGES[f.stage],
                f.last_activity_on.isoformat() if f.last_activity_on else "", (day - (f.last_activity_on or f.signed_on)).days]
               for f in facts if f.stalled(day) and f.code in projects]
    return workbook_bytes([
        (f"{year}年联引资调度（截至{day:%m月%d日}）", kpi_header(), summary),
        ("按产业", ["市州", *(f"{label}{what}" for label in INDUSTRIES.values() for what in ("项目", "到位资金（万元）"))], industry),
        ("停滞项目", ["市州", "项目编号", "项目名称", "阶段", "最近进展", "停滞天数"], stalled),
        ("指标说明", ["指标公式"], [[kpis.NOTE]]),
    ])

"""The monthly 调度 statistics in the form the provincial office circulates: the KPIs per
prefecture, funds by industry, the stalled projects and the open problems (the quarter's 督查
list), as an XLSX workbook or an A4 PDF."""
from __future__ import annotations

import datetime as dt
import io

from investenv.exporting import workbook_bytes
from investenv.pdf import register_font, styles, text
from investenv.registry.models import Prefecture
from scoring import projects as kpis

from .models import Problem, Project
from .periods import Period
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


def overview_rows(prefectures: list[Prefecture], rows: dict[str, kpis.Kpi], total: kpis.Kpi, late: dict[int, list[str]],
                  year: int, assessment: list | None) -> dict[str, list[tuple[str, ...]]]:
    """The overview page's KPI tables as rows of text (formatted once here: at 333 units the
    template's own formatting was most of the page's time): ``kpis`` (name, figures…, late months),
    ``total`` (the province's row, when more than one prefecture), ``industry`` and ``assessment``
    (rank, name, score, note: ``bad``, ``low`` or empty)."""
    def figures(kpi: kpis.Kpi) -> tuple[str, ...]:
        rates = kpi.rates()
        return (str(kpi.cohort), str(kpi.unfulfilled), *(pct(rates[m.key]) for m in kpis.RATES),
                f"{kpi.outside_funds / WAN:,.0f}", *(pct(rates[m.key]) for m in kpis.TARGETS), str(kpi.stalled))

    def missed(months: list[str]) -> str:
        return f"{len(months)} 个月：{'、'.join(m.replace(f'{year}-', '') for m in months)} 月" if months else "—"

    def breakdown(part: kpis.Breakdown) -> str:
        return f"{part.projects} / {part.funds / WAN:,.0f}"

    names = {p.code: p.name for p in prefectures}
    tables = {
        "kpis": [(p.name, *figures(rows[p.code]), missed(late[p.id])) for p in prefectures],
        "total": [("全省", *figures(total))] if len(prefectures) > 1 else [],
        "industry": [(p.name, *(breakdown(rows[p.code].by_industry[key]) for key in INDUSTRIES),
                      *(breakdown(rows[p.code].by_size[label]) for label, _ in kpis.SIZE_BANDS)) for p in prefectures],
        "assessment": [],
    }
    ranked = sum(1 for _, _, rank in assessment or [] if rank)
    for code, score, rank in assessment or []:
        low = bool(rank) and rank > ranked - 2
        note = "bad" if low and (rows[code].rates()["target_funds"] or 0) < 1 else "low" if low else ""
        tables["assessment"].append((str(rank) if rank else "—", names[code], pct(score), note))
    return tables


STALLED_HEADER = ["市州", "项目编号", "项目名称", "阶段", "最近进展", "停滞天数"]
PROBLEM_HEADER = ["市州", "项目编号", "项目名称", "月份", "类别", "问题", "请求帮助", "省级协调"]


def _tables(day: dt.date, prefectures: list[Prefecture], stalled: list, rows: dict[str, kpis.Kpi],
            total: kpis.Kpi, projects: dict[str, Project], problems: list[Problem]):
    names = {p.code: p.name for p in prefectures}
    summary = [kpi_row(names[code], kpi) for code, kpi in rows.items()] + ([kpi_row("合计", total)] if len(rows) > 1 else [])
    industry = [[names[code], *(x for key in INDUSTRIES for x in (kpi.by_industry[key].projects,
                                                                  round(float(kpi.by_industry[key].funds) / WAN, 2)))]
                for code, kpi in rows.items()]
    stalled = [[names[s.prefecture_code], s.code, projects[s.code].name, STAGES[s.stage], s.since.isoformat(),
                (day - s.since).days] for s in stalled if s.code in projects]
    open_problems = [[p.project.prefecture.name, p.project.code, p.project.name, p.report.month, p.kind_label,
                      p.description, p.help_asked, p.escalated_on.isoformat() if p.escalated_on else ""] for p in problems]
    return summary, industry, stalled, open_problems


def workbook(period: Period, day: dt.date, *data) -> bytes:
    """``data``: prefectures, the stalled projects (:class:`.queries.Stalled`), KPI rows, total, projects by
    code, open problems."""
    summary, industry, stalled, open_problems = _tables(day, *data)
    return workbook_bytes([
        (f"{period.label}联引资调度（截至{day:%m月%d日}）", kpi_header(), summary),
        ("按产业", ["市州", *(f"{label}{what}" for label in INDUSTRIES.values() for what in ("项目", "到位资金（万元）"))], industry),
        ("停滞项目", STALLED_HEADER, stalled),
        ("未解决问题", PROBLEM_HEADER, open_problems),
        ("指标说明", ["指标公式"], [[kpis.NOTE]]),
    ])


def pdf(period: Period, day: dt.date, *data) -> bytes:
    """The same tables as :func:`workbook` on landscape A4 pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    summary, _, stalled, open_problems = _tables(day, *data)
    header = kpi_header()  # equal columns after the name: a rate such as "75.0 %" stays on one line
    prefectures = data[0]
    title = f"{period.label}{'全省' if len(prefectures) > 1 else prefectures[0].name}联引资项目调度情况统计表"
    s, font = styles(), register_font()

    def grid(header, rows, widths=None):
        cells = [[Paragraph(text(c), s["small"]) for c in header]] + [[Paragraph(text(c), s["small"]) for c in r] for r in rows]
        table = Table(cells, repeatRows=1, colWidths=widths)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    story = [
        Paragraph(text(title), s["title"]),
        Paragraph(text(f"统计截至 {day:%Y年%m月%d日}　金额单位：万元"), s["body"]), Spacer(1, 4 * mm),
        grid(header, summary, [24 * mm] + [(273 - 24) / (len(header) - 1) * mm] * (len(header) - 1)),  # 273 mm: the page
        Spacer(1, 3 * mm),
        Paragraph(text(f"说明：{kpis.NOTE}。"), s["small"]),
        Paragraph(text(f"停滞项目（{kpis.STALL_DAYS} 天以上没有进展）：{len(stalled)} 个"), s["heading"]),
        grid(STALLED_HEADER, stalled) if stalled else Paragraph(text("没有停滞项目。"), s["body"]),
        Paragraph(text(f"未解决的问题：{len(open_problems)} 个"), s["heading"]),
        grid(PROBLEM_HEADER, open_problems, [22 * mm, 26 * mm, 40 * mm, 16 * mm, 16 * mm, 70 * mm, 55 * mm, 20 * mm])
        if open_problems else Paragraph(text("没有未解决的问题。"), s["body"]),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=12 * mm, title=title).build(story)
    return buffer.getvalue()

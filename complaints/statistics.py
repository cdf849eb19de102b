"""The complaint KPI page and the periodic statistics report for the next level up (PDF, XLSX)."""
from __future__ import annotations

import datetime as dt
import io

from flask import abort, render_template, request

from investenv import access
from investenv.access import STAFF, roles_required
from investenv.exporting import attachment, xlsx_bytes
from investenv.pdf import register_font, styles, text
from investenv.timeutil import today

from . import kpis
from .routes import bp


def _period() -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(request.args.get("from") or f"{today().year}-01-01")
        last = dt.date.fromisoformat(request.args.get("to") or today().isoformat())
    except ValueError:
        abort(404)
    if last < first:
        abort(404)
    return first, last


def _compute():
    first, last = _period()
    pid = access.own_prefecture_id()
    rows, total = kpis.kpis(first, last, None if pid is None else {pid}, today())
    return first, last, rows, total


@bp.get("/complaints/kpis")
@roles_required(*STAFF)
def kpi_page():
    first, last, rows, total = _compute()
    return render_template("complaints/kpis.html", first=first, last=last, rows=rows, total=total, header=kpis.HEADER)


@bp.get("/complaints/kpis.<fmt>")
@roles_required(*STAFF)
def kpi_report(fmt: str):
    first, last, rows, total = _compute()
    table = [r.row() for r in rows] + ([total.row()] if len(rows) > 1 else [])
    name = f"complaints-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return attachment(xlsx_bytes("投诉统计", kpis.HEADER, table),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)
    if fmt == "pdf":
        return attachment(report_pdf(first, last, table), "application/pdf", name)
    abort(404)


def report_pdf(first: dt.date, last: dt.date, table: list[list]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    s = styles()
    font = register_font()
    story = [
        Paragraph(text("投资企业投诉处理情况统计表"), s["title"]),
        Paragraph(text(f"统计期间：{first:%Y年%m月%d日} 至 {last:%Y年%m月%d日}（按收件日期）　制表：省投资企业投诉服务中心"), s["body"]),
        Spacer(1, 5 * mm),
    ]
    grid = Table([kpis.HEADER] + [[str(c) for c in row] for row in table], repeatRows=1)
    grid.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ]))
    story += [grid, Spacer(1, 5 * mm), Paragraph(text(
        "说明：结案率＝办结÷收到；按期率＝按期答复÷（已答复＋未答复已超期）；满意率＝（满意＋0.5×基本满意）÷已回访；"
        "平均答复工作日自受理日起按法定工作日计算。"), s["small"])]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm, title="投诉处理情况统计表").build(story)
    return buffer.getvalue()

"""The complaint statistics report for the next level up, as a PDF (the XLSX is the same table)."""
from __future__ import annotations

import datetime as dt
import io

from investenv.pdf import register_font, styles, text

from . import kpis


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
        f"说明：{kpis.NOTE}；平均答复工作日自受理日起按法定工作日计算。"), s["small"])]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm, title="投诉处理情况统计表").build(story)
    return buffer.getvalue()

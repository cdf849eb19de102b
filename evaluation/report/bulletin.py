"""The bulletin (通报) as a PDF of one or two A4 pages, on the margins of GB/T 9704-2012 and with
the words of :mod:`.wording`; its editable Word draft is :mod:`.official`."""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from investenv.pdf import styles, text
from investenv.timeutil import today

from . import wording
from .content import ReportData
from .document import _table

RED = colors.HexColor("#c00000")
# GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm.
MARGINS = {"topMargin": 37 * mm, "leftMargin": 28 * mm, "rightMargin": 26 * mm, "bottomMargin": 35 * mm}


def _styles() -> dict:
    body = styles()["body"]
    return {
        "mark": ParagraphStyle("mark", parent=styles()["title"], fontSize=22, leading=30, textColor=RED),
        "number": ParagraphStyle("number", parent=body, alignment=1),
        "title": ParagraphStyle("bulletin-title", parent=styles()["title"], fontSize=16, leading=24),
        "body": ParagraphStyle("paragraph", parent=body, firstLineIndent=21),
        "left": body,
        "heading": ParagraphStyle("section", parent=body, spaceBefore=4),
        "right": ParagraphStyle("right", parent=body, alignment=2, rightIndent=21),
        "small": styles()["small"],
    }


def bulletin_pdf(data: ReportData) -> bytes:
    words, style = wording.bulletin(data, today()), _styles()
    story = [Paragraph(text(wording.ISSUER_MARK), style["mark"]), Paragraph(text(words.number), style["number"]),
             HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=2 * mm, spaceAfter=6 * mm),
             Paragraph(text(words.title), style["title"]), Paragraph(text(wording.RECIPIENTS), style["left"])]
    for heading, paragraphs in words.sections:
        if heading:
            story.append(Paragraph(text(heading), style["heading"]))
        story += [Paragraph(text(p), style["body"]) for p in paragraphs]
    widths = [18 * mm, 56 * mm, 36 * mm, 36 * mm]
    story += [Spacer(1, 1 * mm), _table(words.table, widths), Paragraph(text(words.notes), style["small"]),
              Spacer(1, 2 * mm), Paragraph(text(words.closing), style["body"]), Spacer(1, 6 * mm),
              Paragraph(text(wording.ISSUER), style["right"]), Paragraph(text(words.date), style["right"])]
    if words.annotation:
        story.append(Paragraph(text(words.annotation), style["small"]))
    story += [HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceBefore=4 * mm, spaceAfter=1 * mm),
              Paragraph(text(f"抄送：{wording.COPIES_TO}。"), style["small"]),
              HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceBefore=1 * mm, spaceAfter=1 * mm),
              Paragraph(text(f"{wording.ISSUER}　　{words.date}印发"), style["small"]),
              HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceBefore=1 * mm)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=words.title, author=wording.ISSUER, **MARGINS).build(story)
    return buffer.getvalue()

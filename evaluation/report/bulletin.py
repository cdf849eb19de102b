"""The bulletin (通报): one or two A4 pages announcing the best three prefectures and the ranking."""
from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from investenv.pdf import styles, text
from investenv.timeutil import today

from .content import ReportData
from .document import ISSUER, _table


def bulletin_pdf(data: ReportData) -> bytes:
    evaluation, body = data.evaluation, styles()["body"]
    top = [p for p in evaluation.prefectures if p.code in evaluation.top3]
    count = len(evaluation.prefectures)
    story = [
        Paragraph(text(f"关于{data.year}年度全省{count}个市州投资环境综合测评结果的通报"), styles()["title"]),
        Paragraph(text("各市州人民政府，省直有关单位："), body), Spacer(1, 2 * mm),
        Paragraph(text(f"根据全省投资环境综合测评办法，省经济技术协作办公室会同有关单位，综合投资企业问卷调查"
                       f"（{data.totals['responses']} 份）、测评点反馈、投诉办理情况和联合调研小组抽查结果，"
                       f"对{count}个市州{data.year}年度的投资环境进行了综合测评。现将结果通报如下。"), body),
        Spacer(1, 2 * mm),
        Paragraph(text("一、最优单位：" + "、".join(p.name for p in top) + "。"), body),
        Paragraph(text("二、综合测评排名："), body),
        _table([["名次", "市州", "综合得分", "名次区间", "进入前三的概率"]]
               + [[p.rank, p.name, f"{p.composite:.2f}", f"{p.rank_interval[0]}–{p.rank_interval[1]}", f"{p.p_top3:.0%}"]
                  for p in evaluation.prefectures], [16 * mm, 50 * mm, 26 * mm, 26 * mm, 32 * mm]),
        Spacer(1, 2 * mm),
    ]
    notes = []
    if evaluation.tie_zone:
        notes.append("第 3 名与第 4 名的差距在抽样误差之内。")
    imputed = [p.name for p in evaluation.prefectures if p.imputed]
    if imputed:
        notes.append(f"{'、'.join(imputed)}缺少部分来源的数据，该来源{evaluation.method.missing_words}。")
    missing = evaluation.diagnostics.get("not_evaluated") or []
    if missing:
        notes.append(f"另有 {len(missing)} 个市州本年度没有测评数据，未参加排名。")
    story.append(Paragraph(text("说明：名次区间为 90% 自助法区间。" + "".join(notes)), styles()["small"]))
    story += [Spacer(1, 4 * mm),
              Paragraph(text("希望受到表彰的市州再接再厉，其他市州对照测评中反映的问题认真整改，共同优化全省投资环境。"), body),
              Spacer(1, 8 * mm), Paragraph(text(ISSUER), body), Paragraph(text(today().strftime("%Y 年 %m 月 %d 日")), body)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                      bottomMargin=18 * mm, title=f"{data.year}年度综合测评结果通报", author=ISSUER).build(story)
    return buffer.getvalue()

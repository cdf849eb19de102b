"""《全省14个市州投资环境综合测评报告》 as an A4 PDF (reportlab), with the embedded CJK font,
page numbers and a table of contents."""
from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from complaints import measures
from investenv.pdf import register_font, styles, text
from scoring.method import LABELS, SOURCES

from . import charts
from .content import ReportData
from .wording import ISSUER

WIDTH = A4[0] - 36 * mm


class _Document(BaseDocTemplate):
    """A4 with page numbers; level-0/1 headings feed the table of contents."""

    def __init__(self, buffer, title: str):
        super().__init__(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                         bottomMargin=18 * mm, title=title, author=ISSUER)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._number)])

    def _number(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(register_font(), 8.5)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {canvas.getPageNumber()} —")
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def _heading(title: str, level: int = 0) -> Paragraph:
    style = styles()["title" if level < 0 else "heading"]
    paragraph = Paragraph(text(title), style)
    paragraph.toc_level = max(level, 0)
    return paragraph


def _table(rows: list[list], widths=None, header_rows: int = 1) -> Table:
    small = styles()["small"]
    cells = [[Paragraph(text(c), small) if not isinstance(c, Paragraph) else c for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8eef7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _image(png: bytes, width: float = WIDTH) -> Image:
    image = Image(io.BytesIO(png))
    image.drawHeight = image.drawHeight * width / image.drawWidth
    image.drawWidth = width
    return image


def _flags(data: ReportData, p) -> str:
    flags = [f"缺少{'、'.join(LABELS[s] for s in p.imputed)}"] if p.imputed else []
    flags += ["样本少"] if p.small_sample else []
    ranked = data.evaluation.prefectures
    if data.evaluation.tie_zone and len(ranked) > 3 and p.code in (ranked[2].code, ranked[3].code):
        flags.append("并列区")
    return "；".join(flags)


def ranking_rows(data: ReportData) -> list[list]:
    sources = data.evaluation.method.sources
    header = ["名次", "市州", "综合", *(LABELS[s] for s in sources), "名次区间", "进入前三的概率", "说明"]
    return [header] + [
        [p.rank, p.name, f"{p.composite:.2f}", *(f"{p.sources[s]:.1f}" for s in sources),
         f"{p.rank_interval[0]}–{p.rank_interval[1]}", f"{p.p_top3:.1%}", _flags(data, p)]
        for p in data.evaluation.prefectures
    ]


def method_paragraph(data: ReportData) -> str:
    method, settings = data.evaluation.method, data.evaluation.method.uncertainty
    weights = "、".join(f"{LABELS[s]} {method.weights[s]:g}" for s in method.sources)
    named = ("问卷调查、测评点反馈、投诉办理和联合抽查四个来源" if method.sources == SOURCES
             else "问卷调查、测评点反馈、投诉办理、联合抽查和项目台账（联引资项目考核得分）五个来源")
    return (f"综合得分由{named}加权合成（权重：{weights}），各来源为 0–100 分。"
            f"问卷按选项含义计分，先在题内、再在部分内、最后在六个部分间平均；缺少某一来源的市州该来源{method.missing_words}并注明。"
            f"在每个市州内部重抽{method.resampled_words} {settings.replicates} 次，给出综合得分与名次的 {settings.level:.0%} 区间、"
            f"名次的置信集合和进入前三的概率；"
            f"权重在 Dirichlet({settings.concentration:g}·w) 下扰动 {settings.weight_draws} 次，检验前三名是否稳定。"
            f"方法文件“{method.name}”（第 {method.version} 版），随机种子 {settings.seed}，任何人可用同一数据包重现全部数字。")


def _cover(data: ReportData, title: str) -> list:
    big = ParagraphStyle("cover", parent=styles()["title"], fontSize=24, leading=34)
    return [Spacer(1, 60 * mm), Paragraph(text(title), big), Spacer(1, 20 * mm),
            Paragraph(text(ISSUER), styles()["title"]),
            Paragraph(text(f"{data.year} 年度"), styles()["title"]), PageBreak()]


def _contents() -> list:
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc0", parent=styles()["body"], leftIndent=0),
                       ParagraphStyle("toc1", parent=styles()["small"], leftIndent=14)]
    return [Paragraph("目录", styles()["title"]), toc, PageBreak()]


def _summary(data: ReportData) -> list:
    evaluation, body = data.evaluation, styles()["body"]
    top = [p for p in evaluation.prefectures if p.code in evaluation.top3]
    totals = data.totals
    story = [_heading("一、摘要"),
             Paragraph(text(f"{data.year} 年全省投资环境综合测评的最优单位（前三名）为："
                            + "、".join(f"{p.name}（{p.composite:.2f} 分）" for p in top) + "。"), body),
             Spacer(1, 4 * mm),
             Paragraph(text(f"参评市州 {len(evaluation.prefectures)} 个；答卷 {totals['responses']} 份，测评点 {totals['points']} 个"
                            f"（反馈 {totals['feedback']} 条），投诉案件 {totals['cases']} 件，联合抽查评分 {totals['spotchecks']} 条。"), body),
             Spacer(1, 4 * mm), Paragraph(text(method_paragraph(data)), body), Spacer(1, 4 * mm)]
    stability = f"权重扰动下前三名不变的比例为 {evaluation.weight_stability:.1%}。"
    tie = "第 3 名与第 4 名的名次区间重叠，两者之差在抽样误差之内。" if evaluation.tie_zone else "第 3 名与第 4 名的名次区间不重叠。"
    story.append(Paragraph(text(stability + tie), body))
    missing = evaluation.diagnostics.get("not_evaluated") or []
    if missing:
        story.append(Paragraph(text(f"未参评（没有任何数据）：{'、'.join(missing)}。"), body))
    return story + [PageBreak()]


def _ranking(data: ReportData) -> list:
    widths = [10 * mm, 26 * mm, 14 * mm, 14 * mm, 16 * mm, 16 * mm, 14 * mm, 16 * mm, 18 * mm, 30 * mm]
    return [_heading("二、排名"), _table(ranking_rows(data), widths),
            Paragraph(text(f"名次区间与进入前三的概率来自自助法；缺少：该来源没有数据，{data.evaluation.method.missing_words}；"
                           f"样本少：答卷少于 {data.evaluation.method.min_respondents} 份；并列区：第 3、4 名的名次区间重叠。"),
                      styles()["small"]), PageBreak()]


def _charts(data: ReportData) -> list:
    story = [_heading("三、图表")]
    for name, draw in charts.CHARTS.items():
        png = draw(data)
        if png:
            story += [_image(png, WIDTH if name != "map" else WIDTH * 0.6), Spacer(1, 4 * mm)]
    return story + [PageBreak()]


def prefecture_page(data: ReportData, p) -> list:
    province, body, small = data.province, styles()["body"], styles()["small"]
    facts = data.facts[p.code]
    story = [_heading(f"{p.name}：第 {p.rank} 名", 1)]
    sources = data.evaluation.method.sources
    rows = [["", "综合", *(LABELS[s] for s in sources)],
            [p.name, f"{p.composite:.2f}", *(f"{p.sources[s]:.1f}" for s in sources)],
            ["全省平均", f"{province['composite']:.2f}", *(f"{province[s]:.1f}" for s in sources)]]
    previous = data.previous and data.previous.by_code(p.code)
    if previous:
        rows.append([f"{data.year - 1} 年", f"{previous.composite:.2f}", *(f"{previous.sources[s]:.1f}" if s in previous.sources else "—"
                                                                        for s in sources)])
    story.append(_table(rows))
    change = (f"与上年相比：综合 {p.composite - previous.composite:+.2f} 分，名次 {previous.rank} → {p.rank}。" if previous
              else "上年没有可比数据。")
    story.append(Paragraph(text(f"名次区间 {p.rank_interval[0]}–{p.rank_interval[1]}，进入前三的概率 {p.p_top3:.1%}。{change}"
                                + (f" {_flags(data, p)}。" if _flags(data, p) else "")), small))
    weakest = [[q[1:], data.questions[q], f"{score:.1f}"] for q, score in data.weakest(p.code)]
    if weakest:
        story += [Paragraph("得分最低的 5 道题", body), _table([["题", "题目", "平均分"], *weakest], [10 * mm, 140 * mm, 20 * mm])]
    cited = data.cited(p.code)
    if cited:
        story += [Paragraph("反映最多的问题", body),
                  _table([["题", "选项", "次数"], *[[q[1:], option, times] for q, option, times in cited]],
                         [10 * mm, 140 * mm, 20 * mm])]
    rates = [p.detail["complaints"][m.key]["rate"] for m in measures.EVALUATION]
    registered = "—" if facts.inspections_registered is None else facts.inspections_registered
    story += [Paragraph("投诉与检查", body), _table([
        ["收到投诉", "受理", *(m.label for m in measures.EVALUATION), "挽回损失（元）", "检查已申报", "未经申报检查投诉"],
        [facts.cases, facts.accepted, *(f"{r:.0%}" if r is not None else "—" for r in rates),
         f"{facts.loss_recovered:,.2f}", registered, facts.inspections_unregistered]])]
    story += [Paragraph(text(f"样本：答卷 {p.n_responses} 份，测评点 {len(p.detail['monitoring_points'])} 个，"
                             f"抽查评分 {p.detail['spotcheck']['units']} 条，投诉 {facts.cases} 件。"), small), PageBreak()]
    return story


def _themes(data: ReportData) -> list:
    story = [_heading("五、开放题意见的主题"),
             Paragraph(text(f"第 {'、'.join(map(str, data.open_questions))} 题的意见按关键词归类（一条意见可属于多个主题）。"
                            "摘录只取全省同一主题至少 3 条时的简短片段，数字（电话、证照号码等）、电子邮箱与网址、企业名称等可能指向作者的内容已隐去，不注明市州。"), styles()["small"])]
    rows = [["主题", "条数", "摘录"]] + [[t.name, t.count, "；".join(t.excerpts) or "—"] for t in data.themes]
    story.append(_table(rows, [36 * mm, 14 * mm, 124 * mm]) if data.themes else Paragraph("本年度没有开放题意见。", styles()["body"]))
    return story + [PageBreak()]


def appendix_rows(data: ReportData) -> list[list]:
    evaluation = data.evaluation
    method, settings, d = evaluation.method, evaluation.method.uncertainty, evaluation.diagnostics
    alpha = d.get("cronbach_alpha")
    kruskal = d.get("kruskal_wallis")
    imputed = [f"{p.name}（{'、'.join(LABELS[s] for s in p.imputed)}）" for p in evaluation.prefectures if p.imputed]
    return [
        ["项目", "内容"],
        ["方法文件", f"{method.name}（第 {method.version} 版）"],
        ["权重", "；".join(f"{LABELS[s]} {method.weights[s]:g}" for s in method.sources)],
        ["标准化 / 合成", f"{method.normalisation} / {method.aggregation}"],
        ["投诉截止日", f"{data.year}-{method.cutoff}"],
        ["自助法", f"B = {settings.replicates}，区间 {settings.level:.0%}，种子 {settings.seed}"],
        ["权重扰动", f"Dirichlet({settings.concentration:g}·w)，N = {settings.weight_draws}；前三名不变的比例 {evaluation.weight_stability:.1%}"],
        [f"缺少的来源（{method.missing_words}）", "；".join(imputed) or "无"],
        ["样本少（答卷少于 %d 份）" % method.min_respondents,
         "、".join(p.name for p in evaluation.prefectures if p.small_sample) or "无"],
        ["未参评", "、".join(d.get("not_evaluated") or []) or "无"],
        ["Cronbach's α", f"{alpha['alpha']:.3f}（95% 区间 {alpha['interval'][0]:.3f}–{alpha['interval'][1]:.3f}，"
                         f"{alpha['n_complete']} 份答全的答卷，{alpha['items']} 题）" if alpha else "样本不足，未计算"],
        ["Kruskal–Wallis", f"H = {kruskal['H']:.1f}，自由度 {kruskal['df']}，p = {kruskal['p']:.2g}" if kruskal else "未计算"],
        ["并列区", "是" if evaluation.tie_zone else "否"],
    ]


def _appendix(data: ReportData) -> list:
    return [_heading("附录：方法与数据质量"), Paragraph(text(method_paragraph(data)), styles()["small"]), Spacer(1, 3 * mm),
            _table(appendix_rows(data), [40 * mm, 134 * mm])]


def report_pdf(data: ReportData, progress: Callable[[str], None] | None = None) -> bytes:
    """The whole report as PDF bytes."""
    title = f"{data.year}年全省{len(data.evaluation.prefectures)}个市州投资环境综合测评报告"
    step = progress or (lambda stage: None)
    step("charts")
    story = _cover(data, title) + _contents() + _summary(data) + _ranking(data) + _charts(data)
    step("prefectures")
    story.append(_heading("四、各市州"))
    for p in data.evaluation.prefectures:
        story += prefecture_page(data, p)
    story += _themes(data) + _appendix(data)
    step("layout")
    buffer = io.BytesIO()
    _Document(buffer, title).multiBuild(story)
    return buffer.getvalue()

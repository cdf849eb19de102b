"""The workbook: every table of the report as an XLSX sheet."""
from __future__ import annotations

from complaints import measures
from investenv.exporting import workbook_bytes
from scoring.method import LABELS

from .content import ReportData
from .document import appendix_rows, ranking_rows


def workbook(data: ReportData) -> bytes:
    ranked, sources = data.evaluation.prefectures, data.evaluation.method.sources
    return workbook_bytes([
        ("排名", *_split(ranking_rows(data))),
        ("区间与敏感性", ["市州", "综合", "区间下限", "区间上限", "名次", "名次区间下限", "名次区间上限", "进入前三的概率",
                     "权重扰动最好名次", "权重扰动最差名次"],
         [[p.name, p.composite, *p.composite_interval, p.rank, *p.rank_interval, p.p_top3, *p.weight_rank_range]
          for p in ranked]),
        ("问卷各部分", ["市州", *data.sections], [[p.name, *p.detail["sections"]] for p in ranked]),
        ("各题平均分", ["市州", *(q for q in ranked[0].detail["questions"])],
         [[p.name, *(v["mean"] for v in p.detail["questions"].values())] for p in ranked]),
        ("问题题", ["市州", "题", "选项", "次数"],
         [[p.name, q[1:], data.options[q].get(letter, letter), times]
          for p in ranked for q, ticks in p.detail["problems"].items() for letter, times in ticks.items()]),
        ("投诉与检查", ["市州", "收到", "受理", "延期", "重大", *(m.label for m in measures.EVALUATION), "挽回损失（元）",
                    "检查已申报", "未经申报检查投诉"],
         [[p.name, f.cases, f.accepted, f.extended, f.major,
           *(p.detail["complaints"][m.key]["rate"] for m in measures.EVALUATION),
           float(f.loss_recovered), f.inspections_registered, f.inspections_unregistered]
          for p in ranked for f in [data.facts[p.code]]]),
        ("测评点", ["市州", "测评点", "得分"],
         [[p.name, code, score] for p in ranked for code, score in p.detail["monitoring_points"].items()]),
        ("抽查", ["市州", "评分条数", "得分合计", "满分合计", "抽查得分"],
         [[p.name, p.detail["spotcheck"]["units"], p.detail["spotcheck"]["score"], p.detail["spotcheck"]["max_score"],
           p.sources["spotcheck"]] for p in ranked]),
        ("来源得分", ["市州", *(LABELS[s] for s in sources), "缺少的来源"],
         [[p.name, *(p.sources[s] for s in sources), "、".join(LABELS[s] for s in p.imputed)] for p in ranked]),
        ("开放题主题", ["主题", "条数", "摘录"], [[t.name, t.count, "；".join(t.excerpts)] for t in data.themes]),
        ("方法与数据质量", *_split(appendix_rows(data))),
    ])


def _split(rows: list[list]) -> tuple[list, list]:
    return rows[0], rows[1:]

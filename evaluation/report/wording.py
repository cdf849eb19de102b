"""The bulletin's words (通报), shared by its PDF and its Word draft: which version it announces,
the best three, how certain their separation is and the tie zone, said in sentences — never a
column of probabilities that reads "0%" for most prefectures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scoring.evaluate import PrefectureResult

from .content import ReportData

ISSUER = "湖南省经济技术协作办公室"
ISSUER_MARK = "湖南省经济技术协作办公室文件"          # 发文机关标志
NUMBER_PREFIX = "湘经协"                              # 发文字号: the office fills in the number
RECIPIENTS = "各市州人民政府，省直有关单位："
COPIES_TO = "省人民政府办公厅"
TOP_LABEL = "最优单位"


def chinese_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals, without leading zeros (GB/T 9704-2012 7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


def percent(p: float) -> str:
    if p >= 0.995:
        return "99% 以上"
    if p < 0.01:
        return "不足 1%"
    return f"{p:.0%}"


def _interval(p: PrefectureResult) -> str:
    low, high = p.rank_interval
    return f"为第 {low} 名" if low == high else f"在第 {low}–{high} 名之间"


@dataclass
class Bulletin:
    title: str
    number: str                       # 发文字号, with a blank for the office's sequence number
    sections: list[tuple[str, list[str]]]   # (heading, paragraphs); the first heading is empty
    table: list[list[str]]            # the ranking: header and one row per prefecture
    notes: str                        # 说明 under the table
    closing: str
    date: str
    annotation: str                   # 附注: the version and the fingerprint


def bulletin(data: ReportData, issued: dt.date) -> Bulletin:
    evaluation = data.evaluation
    ranked, count = evaluation.prefectures, len(evaluation.prefectures)
    top = [p for p in ranked if p.code in evaluation.top3]
    names = "、".join(p.name for p in top)
    publication = data.publication
    version = f"（第 {publication.version} 版）" if publication else ""
    opening = [f"根据全省投资环境综合测评办法，省经济技术协作办公室会同有关单位，综合投资企业问卷调查"
               f"（{data.totals['responses']} 份）、测评点反馈、投诉办理情况和联合调研小组抽查结果，"
               f"对{count}个市州{data.year}年度的投资环境进行了综合测评。现将测评结果{version}通报如下。"]
    if publication and publication.version > 1:
        opening.append(f"本通报依据第 {publication.version} 版测评结果，更正此前发布的第 {publication.version - 1} 版。"
                       f"更正原因：{publication.note}")
    sections = [("", opening),
                (f"一、{TOP_LABEL}", [f"{names}为{data.year}年度全省投资环境综合测评{TOP_LABEL}。"]),
                ("二、测评结果的确定程度", certainty(data)),
                ("三、综合测评排名", [f"{count}个市州的名次和综合得分如下（名次区间为 "
                                      f"{evaluation.method.uncertainty.level:.0%} 区间）。"])]
    table = [["名次", "市州", "综合得分", "名次区间"]] + [
        [str(p.rank), p.name, f"{p.composite:.2f}", f"{p.rank_interval[0]}–{p.rank_interval[1]}"] for p in ranked]
    closing = ("希望受到表彰的市州再接再厉，其他市州对照测评中反映的问题认真整改，共同优化全省投资环境。"
               "各市州对本市州的测评结果有异议的，可在结果发布后规定的工作日内通过测评系统提出复核申请。")
    annotation = ""
    if publication:
        annotation = (f"（本通报依据{data.year}年度综合测评第 {publication.version} 版结果，"
                      f"发布于{chinese_date(publication.published_on)}；测评数据、方法与结果的指纹（SHA-256）为 "
                      f"{publication.fingerprint}，可用存档核验。）")
    return Bulletin(title=f"关于{data.year}年度全省{count}个市州投资环境综合测评结果的通报",
                    number=f"{NUMBER_PREFIX}〔{issued.year}〕　号", sections=sections, table=table,
                    notes=notes(data), closing=closing, date=chinese_date(issued), annotation=annotation)


def certainty(data: ReportData) -> list[str]:
    """How certain the best three are, in words: their rank intervals and chances, the tie zone,
    who else might have been among them, and the weights' influence."""
    evaluation = data.evaluation
    ranked, places = evaluation.prefectures, evaluation.method.uncertainty.top
    top = [p for p in ranked if p.code in evaluation.top3]
    level = f"{evaluation.method.uncertainty.level:.0%}"
    lines = [f"测评以抽样调查为基础，名次有一定的统计误差。按 {level} 区间，"
             + "，".join(f"{p.name}的名次{_interval(p)}" for p in top)
             + "；进入前三的概率分别为" + "、".join(percent(p.p_top3) for p in top) + "。"]
    after = ranked[len(top)] if len(ranked) > len(top) else None
    if after is not None and evaluation.tie_zone:
        last = top[-1]
        lines.append(f"第 {last.rank} 名{last.name}与第 {after.rank} 名{after.name}的差距在抽样误差之内"
                     f"（两者的名次区间重叠，处于并列区），第 {places} 名的归属不能完全确定；"
                     f"{after.name}进入前三的概率为{percent(after.p_top3)}。")
    elif after is not None:
        lines.append(f"前三名与第 {after.rank} 名之间的差距超出抽样误差，前三名的结果是确定的。")
    others = [p for p in ranked[len(top):] if p is not after or not evaluation.tie_zone]
    possible = [p for p in others if p.p_top3 >= 0.01]
    unlikely = [p for p in others if p.p_top3 < 0.01]
    if possible:
        lines.append("此外，" + "、".join(f"{p.name}（{percent(p.p_top3)}）" for p in possible) + "也有进入前三的可能。")
    if unlikely:
        lines.append(f"其余 {len(unlikely)} 个市州进入前三的概率均不足 1%。")
    lines.append(f"在各来源权重合理变动的范围内，前三名保持不变的比例为 {evaluation.weight_stability:.0%}。")
    return lines


def notes(data: ReportData) -> str:
    evaluation = data.evaluation
    found = [f"名次区间为 {evaluation.method.uncertainty.level:.0%} 自助法区间。"]
    imputed = [p.name for p in evaluation.prefectures if p.imputed]
    if imputed:
        found.append(f"{'、'.join(imputed)}缺少部分来源的数据，该来源{evaluation.method.missing_words}。")
    missing = evaluation.diagnostics.get("not_evaluated") or []
    if missing:
        found.append(f"另有 {len(missing)} 个市州本年度没有测评数据，未参加排名。")
    return "说明：" + "".join(found)

"""Deadline rule sets for complaint handling.

The default comes from seed 003 (the 衡阳 and 长沙 sections and the 2006 opinion):

    ……最迟在3个工作日给予答复。                                   (长沙: acknowledgement)
    处理投诉在30日[内]将处理结果答复投诉人。因投诉事项复杂，30日[内]未予办结的，
    可适当延长办理期限，但每15天向投诉人通报投诉处理的进展情况，办结时间最长不得超过[?]个月。

The scrape lost the number of months; the default reads it as 3 (see docs/complaints.md).
MOFCOM's 《外商投资企业投诉工作办法》 (2020) is shipped as a preset: acceptance within 7 working
days of receipt and handling within 60 working days of acceptance.  Whether a rule counts
calendar or working days is part of the rule.

Supplementing material (补正材料) follows MOFCOM's rule in both sets (the seed says nothing of it):
incomplete material is asked for once, within 7 working days of receipt, and the complainant has
15 working days from the request to supply it; the acceptance period then runs again from the
day the material is complete.  A complainant who does not answer in time may be refused (不予受理)
with that reason (docs/complaints.md).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    days: int
    working: bool  # working days (official calendar) or calendar days

    @property
    def label(self) -> str:
        return f"{self.days} 个{'工作日' if self.working else '自然日'}"


@dataclass(frozen=True)
class RuleSet:
    key: str
    name: str
    acknowledge: Period  # from receipt: accept, or refuse with a reason
    reply: Period  # from acceptance: the result to the complainant
    progress: Period  # while extended: a progress report to the complainant this often
    max_extension_months: int  # from acceptance: the latest closure of an extended case
    source: str
    supplement_request: Period = Period(7, working=True)  # from receipt: the latest request to supplement material
    supplement_answer: Period = Period(15, working=True)  # from the request: the complainant's time to supply it


SEED = RuleSet(
    key="seed",
    name="湖南省（种子文件，默认）",
    acknowledge=Period(3, working=True),
    reply=Period(30, working=False),
    progress=Period(15, working=False),
    max_extension_months=3,
    source="种子文件 003：长沙市商务局“最迟在3个工作日给予答复”；投诉处理“30日内答复，延期每15天通报进展，最长不超过（3）个月”",
)

MOFCOM_2020 = RuleSet(
    key="mofcom2020",
    name="商务部《外商投资企业投诉工作办法》（2020）",
    acknowledge=Period(7, working=True),
    reply=Period(60, working=True),
    progress=Period(15, working=False),
    max_extension_months=3,
    source="商务部令2020年第3号：收到投诉材料之日起7个工作日内决定是否受理；受理之日起60个工作日内办结；"
           "材料不全的，收到之日起7个工作日内一次性通知投诉人在15个工作日内补正",
)

PRESETS = {r.key: r for r in (SEED, MOFCOM_2020)}


def rule_set(key: str) -> RuleSet:
    """The preset named ``key``; ``ValueError`` lists the valid names."""
    try:
        return PRESETS[key]
    except KeyError:
        raise ValueError(f"未知的办理时限规则 {key!r}，可选：{'、'.join(PRESETS)}") from None

"""The ledger's fixed vocabularies: stages, industries, problem kinds, responsibilities.  The
stages, industries and contract milestones belong to the KPIs' definition, which the ranking
shares: they live in :mod:`scoring.projects`."""
from __future__ import annotations

from scoring.projects import INDUSTRIES, MILESTONES, PROGRESS, SIGNED_STAGES, STAGES

__all__ = ["INDUSTRIES", "MILESTONES", "PROGRESS", "SIGNED_STAGES", "STAGES"]

HOME_PROVINCE = "湖南省"  # a project whose investor comes from elsewhere is 联引资 (from outside the province)


def is_outside(origin_province: str) -> bool:
    """联引资: the investor comes from outside the province."""
    return origin_province != HOME_PROVINCE

OPEN_STAGES = frozenset(PROGRESS[2:5])                     # signed, not yet producing, not terminated

PROBLEM_KINDS = {
    "land": "供地",
    "labour": "用工",
    "finance": "融资",
    "environment": "环评",
    "approval": "审批",
    "utilities": "水电路气",
    "other": "其他",
}

RESPONSIBILITIES = {"ours": "我方", "investor": "投资方", "other": "其它"}
REVIEW_STATES = {"filed": "待审核", "accepted": "已审核", "returned": "退回重报"}

VENUES = ["中博会", "珠洽会", "港洽会", "厦洽会", "自行洽谈"]

# The stages that meet each milestone reached by a stage: reaching the stage or a later one.
MEETS = {"registration": PROGRESS[3:], "start": PROGRESS[4:], "production": PROGRESS[5:]}

"""The ledger's fixed vocabularies: stages, industries, problem kinds, responsibilities."""
from __future__ import annotations

HOME_PROVINCE = "湖南省"  # a project whose investor comes from elsewhere is 联引资 (from outside the province)

# Stages in the order a project passes them; 终止 ends a project at any point.
STAGES = {
    "reserve": "储备",
    "talks": "在谈",
    "signed": "签约",
    "registered": "注册",
    "started": "开工",
    "producing": "投产",
    "terminated": "终止",
}
PROGRESS = ["reserve", "talks", "signed", "registered", "started", "producing"]
SIGNED_STAGES = frozenset(PROGRESS[2:]) | {"terminated"}   # a contract exists
OPEN_STAGES = frozenset(PROGRESS[2:5])                     # signed, not yet producing, not terminated

INDUSTRIES = {"1": "一产", "2": "二产", "3": "三产"}

# The contract milestones and the stage that meets each (first funds: the first arrival reported).
MILESTONES = {
    "registration": ("注册", "registered"),
    "first_funds": ("首笔资金到位", None),
    "start": ("开工", "started"),
    "production": ("投产", "producing"),
}

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

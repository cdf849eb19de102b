"""The words of complaint handling: channels, categories, states, outcomes, satisfaction.

Importable without Flask or the database; the database's constraints and partial indexes on
``status`` are derived from these lists (:mod:`.models`)."""

CHANNELS = {"hotline": "热线", "web": "网站", "letter": "来信", "visit": "来访", "transfer": "上级转办", "point": "测评点反馈"}

CATEGORIES = {
    "fees": "乱收费（含超出费负卡的收费）",
    "inspection": "乱检查 / 未经申报检查",
    "fines": "乱罚款",
    "approval": "审批效率",
    "policy": "政策不兑现",
    "contract": "合同履约",
    "enforcement": "执法不公",
    "security": "治安环境",
    "other": "其它",
}

STATUSES = {
    "received": "已登记",
    "accepted": "已受理",
    "not_accepted": "不予受理",
    "assigned": "已派单",
    "handling": "办理中",
    "extended": "延期办理",
    "replied": "已答复",
    "closed": "已办结",
}

OUTCOMES = {
    "resolved": "已解决",
    "partly_resolved": "部分解决",
    "not_substantiated": "投诉不成立",
    "withdrawn": "投诉人撤回",
    "litigation": "转诉讼或复议",
}

# What each timeline entry is (ComplaintEvent.kind), as the case page labels it.
EVENT_KINDS = {
    "intake": "收到投诉",
    "supplement": "要求补正材料",
    "supplemented": "补正材料",
    "accept": "受理",
    "refuse": "不予受理",
    "assign": "派单",
    "transfer": "转办",
    "start": "开始办理",
    "extend": "延期",
    "progress": "通报进展",
    "note": "内部备注",
    "attach": "附件",
    "reply": "答复",
    "close": "办结",
    "reopen": "重新办理",
    "objection": "异议",
    "visit": "满意度回访",
    "visit_fix": "更正回访",
    "urge": "催办",
    "deadline": "期限确定",
}

# How the return visit reached the complainant.
VISIT_METHODS = {"phone": "电话", "in_person": "上门", "sms": "短信", "other": "其它"}

# The return visit's answers, with the weight each gives the satisfaction rate (measures.SATISFACTION_RATE).
SATISFACTION = {"满意": 1.0, "基本满意": 0.5, "不满意": 0.0}

HANDLING = ("accepted", "assigned", "handling", "extended")  # accepted and not yet replied
OPEN_STATUSES = ("received", *HANDLING)

"""About 100 demo complaint cases over the year, in every state of the workflow."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from complaints import operations
from complaints.vocabulary import CATEGORIES, CHANNELS

from ..auth.models import User
from ..extensions import db
from ..registry.models import Enterprise, Prefecture
from ..timeutil import today

SEED = 20061227  # the date of the 2006 experience-exchange compilation
SUMMARIES = {
    "fees": "收费项目超出费负卡范围，要求企业缴纳“服务费”。",
    "inspection": "某部门未经申报、未持《通知单》到企业检查，影响生产。",
    "fines": "以整改为名作出罚款，未告知陈述申辩权利。",
    "approval": "项目审批超过承诺时限两个月仍未办结。",
    "policy": "招商时承诺的税收返还至今未兑现。",
    "contract": "地方平台公司拖欠工程款。",
    "enforcement": "执法人员对同类企业区别对待。",
    "security": "厂区周边有人阻工，报警后处理不力。",
    "other": "水电报装多次往返仍未办结。",
}


def load(year: int) -> None:
    rng = random.Random(SEED)
    staff = {u.username: u for u in db.session.scalars(select(User))}
    centre, centre2 = staff["centre"], staff["centre2"]
    prefectures = db.session.scalars(select(Prefecture).order_by(Prefecture.code)).all()
    enterprises = db.session.scalars(select(Enterprise)).all()
    last = min(today(), dt.date(year, 12, 31))
    for _ in range(100):
        prefecture = rng.choice(prefectures)
        received = dt.date(year, 1, 5) + dt.timedelta(days=rng.randint(0, (last - dt.date(year, 1, 5)).days))
        enterprise = rng.choice(enterprises)
        category = rng.choice(list(CATEGORIES))
        case, _ = operations.intake(operations.CaseIntake(
            prefecture=prefecture, county=rng.choice(prefecture.counties), department=rng.choice(
                ["市场监管局", "税务局", "自然资源局", "住建局", "生态环境局", "公安局", "政务服务中心"]),
            complainant=enterprise.name, enterprise_id=enterprise.id, contact_name=enterprise.contact_name,
            contact_phone=enterprise.contact_phone, channel=rng.choice(list(CHANNELS)), received_on=received,
            category=category, summary=SUMMARIES[category], claims="请依法处理并答复。",
            amount_yuan=Decimal(rng.choice([0, 5000, 20000, 150000, 800000])), user_id=centre.id, today=last,
        ))
        _advance(rng, case, received, last, centre, centre2, staff[prefecture.slug])
    _inspections(rng, enterprises, last, centre)
    db.session.flush()


def _inspections(rng, enterprises, last, centre) -> None:
    """Registered inspections, and two reports of inspections outside the register."""
    registered = []
    for number in range(1, 31):
        enterprise = rng.choice(enterprises)
        registered.append(operations.register_inspection(
            enterprise, rng.choice(["市场监管局", "生态环境局", "应急管理局", "税务局"]), "年度例行检查",
            last - dt.timedelta(days=rng.randint(1, 300)), "2 人：执法证号见通知单", f"检通〔{last.year}〕{number:03d}号",
            centre.id))
    changed = registered[0]
    operations.report_inspection(changed.enterprise, changed.department, changed.planned_on,
                                 "实际来了 6 人，并检查了通知单以外的财务资料。", changed, centre.id, last)
    enterprise = rng.choice(enterprises)
    operations.report_inspection(enterprise, "城管执法局", last - dt.timedelta(days=3),
                                 "未出示通知单，要求停产整改。", None, centre.id, last)


def _advance(rng, case, received, last, centre, centre2, local) -> None:
    """Move a case as far as its age allows, with some cases stopping at each state."""
    age = (last - received).days
    stop = rng.random()
    if age < 2 or stop < 0.05:
        return  # still waiting for acceptance
    if stop < 0.09:
        operations.refuse(case, centre.id, "不属于投资环境投诉受理范围，已告知向有关部门反映。")
        return
    accepted = received + dt.timedelta(days=rng.randint(0, 2))
    operations.accept(case, centre.id, accepted, rng.choice(["simple", "simple", "joint"]), major=rng.random() < 0.08)
    if stop < 0.13 or age < 4:
        return
    operations.assign(case, centre.id, case.prefecture, case.department)
    if stop < 0.18:
        return
    operations.start(case, local.id)
    if rng.random() < 0.15 and age > 40:
        operations.extend(case, local.id, "涉及多个部门，需联合调查。", accepted + dt.timedelta(days=25))
        operations.progress(case, local.id, "已召开协调会，正在核实。", accepted + dt.timedelta(days=35))
    if stop < 0.28 or age < 10:
        return
    replied = min(last, accepted + dt.timedelta(days=rng.choice([8, 15, 22, 28, 35, 45])))
    operations.reply(case, local.id, "经调查核实，已督促有关部门依法纠正，并向企业反馈。", replied)
    if stop < 0.38:
        return
    operations.close(case, centre.id, rng.choice(["resolved", "resolved", "resolved", "partly_resolved",
                                                   "not_substantiated", "withdrawn"]),
                     Decimal(rng.choice([0, 0, 3000, 12000, 50000, 200000])), replied)
    if stop < 0.85:
        operations.return_visit(case, centre2.id, rng.choice(["满意", "满意", "满意", "基本满意", "不满意"]),
                                min(last, replied + dt.timedelta(days=3)))

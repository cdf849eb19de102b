"""Demo project ledgers: seven projects per prefecture across every stage (some signed last year,
some stalled, some terminated), monthly reports for the year's finished months with a few missed,
problems with some escalated, unfulfilled projects with written reports, and targets for all 14."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from projects import operations as ledger
from projects import queries as ledger_queries

from ..auth.models import User
from ..extensions import db
from ..registry.models import Enterprise, Prefecture
from ..timeutil import today

SEED = 20061227  # the date of the prefectures' 2006 reports on project landing
PROVINCES = [("广东省", "深圳市"), ("浙江省", "杭州市"), ("上海市", ""), ("江西省", "南昌市"), ("福建省", "厦门市"),
             ("北京市", ""), ("湖南省", "长沙市")]
SECTORS = {"1": ["现代农业", "生猪养殖加工", "茶叶"], "2": ["新材料", "汽车零部件", "工程机械", "电子信息", "食品加工"],
           "3": ["现代物流", "商贸综合体", "文化旅游", "酒店"]}
NAMES = {"1": "基地", "2": "生产线", "3": "中心"}
# (kind, share of a year the project is old): what happens to each of a prefecture's seven projects.
PLAN = ["reserve", "talks", "progressing", "progressing", "stalled", "terminated", "carried_over"]
PROBLEMS = [("land", "二期用地指标尚未落实", "请求协调用地指标"), ("labour", "熟练技工招工困难", "请人社部门组织专场招聘"),
            ("finance", "项目贷款审批进度慢", "请协调银行加快审批"), ("environment", "环评批复待省厅审查", "请求省里督办环评审查"),
            ("approval", "施工许可办理时间长", "请求开通绿色通道")]
WAN = Decimal(10_000)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """A sum in 元, a whole number of 万元 between ``low`` and ``high`` 万元."""
    return Decimal(rng.randint(low, high)) * WAN


def load(year: int) -> None:
    rng = random.Random(SEED)
    day = min(today(), dt.date(year, 12, 31))
    centre = db.session.scalar(select(User).where(User.username == "centre"))
    prefectures = db.session.scalars(select(Prefecture).order_by(Prefecture.code)).all()
    plans: list[tuple[object, str, list]] = []
    for prefecture in prefectures:
        enterprises = db.session.scalars(select(Enterprise).where(Enterprise.prefecture_id == prefecture.id)
                                         .order_by(Enterprise.id).limit(2)).all()
        kinds = list(PLAN)
        if rng.random() < 0.5:
            kinds[5] = "progressing"  # about half the prefectures terminated nothing
        if rng.random() < 0.4:
            kinds[4] = "progressing"
        for number, kind in enumerate(kinds):
            project = _create(rng, prefecture, number, kind, enterprises, year, day)
            plans.append((project, kind, _milestones(rng, project, kind)))
    db.session.flush()
    _months(rng, prefectures, plans, year, day, centre)
    _unfulfilled(rng, day, centre)
    for prefecture in prefectures:
        funds = _money(rng, 10_000, 30_000)
        ledger.set_target(prefecture, year, funds, rng.randint(2, 5), rng.randint(1, 2))
    db.session.flush()


def _create(rng, prefecture, number, kind, enterprises, year, day):
    industry = rng.choice("1223")
    origin_province, origin_city = rng.choice(PROVINCES)
    enterprise = enterprises[number] if number < len(enterprises) and kind == "progressing" else None
    sector = rng.choice(SECTORS[industry])
    investment = _money(rng, 3_000, 60_000)
    funds = (investment * Decimal(rng.choice(["0.5", "0.6", "0.8", "1"]))).quantize(WAN)
    months_back = rng.randint(3, 10) if kind != "carried_over" else rng.randint(13, 18)
    signed = max(dt.date(year - 1, 1, 15), day - dt.timedelta(days=30 * months_back + rng.randint(0, 20)))
    due = {"registration": signed + dt.timedelta(days=60), "first_funds": signed + dt.timedelta(days=90),
           "start": signed + dt.timedelta(days=180), "production": signed + dt.timedelta(days=540)}
    stage = {"reserve": "reserve", "talks": "talks"}.get(kind, "signed")
    data = ledger.ProjectData(
        name=f"{prefecture.name[:-1]}{sector}{NAMES[industry]}项目（{number + 1}）", prefecture=prefecture,
        county=prefecture.counties[number % len(prefecture.counties)], enterprise=enterprise,
        investor=enterprise.name if enterprise else f"{(origin_city or origin_province)[:2]}{sector}投资有限公司",
        origin_province=enterprise.origin_province if enterprise else origin_province,
        origin_city=enterprise.origin_city if enterprise else origin_city, industry=industry, sector=sector,
        park=f"{prefecture.name[:-1]}经济开发区", stage=stage,
        stage_on=signed if stage == "signed" else day - dt.timedelta(days=rng.randint(10, 120)),
        signed_on=signed if stage == "signed" else None, venue=rng.choice(["中博会", "珠洽会", "港洽会", "自行洽谈"]),
        contract_investment=investment, contract_funds=funds, due=due if stage == "signed" else {},
        leader=rng.choice(["王", "李", "张", "刘"]) + "副市长", department="市经协办",
        follow_up=rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["建国", "海燕", "志强", "丽华", "晓明"]),
    )
    return ledger.create_project(data, None, day)


def _milestones(rng, project, kind) -> list[tuple[str, dt.date]]:
    """The stages the project will reach after signing, with their dates."""
    signed = project.signed_on
    if kind in ("reserve", "talks"):
        return []
    if kind == "stalled":
        return [("registered", signed + dt.timedelta(days=40))]
    if kind == "terminated":
        return [("terminated", signed + dt.timedelta(days=100))]
    started = signed + dt.timedelta(days=rng.randint(60, 170))
    return [("registered", signed + dt.timedelta(days=rng.randint(20, 55))), ("started", started),
            ("producing", started + dt.timedelta(days=rng.randint(90, 300)))]


def _months(rng, prefectures, plans, year, day, centre):
    first = ledger.Month(year, 1)
    for project, _, stages in plans:  # stages dated before the year: the projects signed last year
        for later, on in stages:
            if on < first.first and on < day:
                ledger.change_stage(project, later, on, "", None, day)
    month = first
    while month.last < day:
        for prefecture in prefectures:
            mine = [plan for plan in plans if plan[0].prefecture_id == prefecture.id]
            lines, problems = [], []
            for project, kind, stages in mine:
                amount = None
                if kind in ("progressing", "carried_over") and project.signed_on and project.signed_on <= month.last:
                    amount = _money(rng, 200, 3_000) if rng.random() < 0.6 else None
                stage, stage_on = "", None
                for later, on in stages:
                    if month.first <= on <= month.last and on < day:
                        stage, stage_on = later, on
                lines.append(ledger.MonthLine(project, amount, stage, stage_on))
            if rng.random() < 0.3:
                kind, text, help_asked = rng.choice(PROBLEMS)
                problems.append(ledger.ProblemData(rng.choice([p for p, k, _ in mine if k != "reserve"]), kind, text, help_asked))
            lines = [line for line in lines if line.amount is not None or line.stage]
            if rng.random() < 0.1 and month.previous().last >= first.first:
                for line in lines:  # the month was not reported: stages are still kept on the ledger page
                    if line.stage:
                        ledger.change_stage(line.project, line.stage, line.stage_on, "", None, day)
                continue
            submitted = min(day, month.last + dt.timedelta(days=rng.randint(2, 8)))
            report = ledger.file_monthly_report(prefecture, month.code, lines, problems, "", None, submitted)
            for problem in report.problems:
                if rng.random() < 0.4:
                    ledger.escalate(problem, centre.id, submitted)
                elif rng.random() < 0.3:
                    ledger.resolve(problem, submitted)
        month = ledger.Month(month.year + month.month // 12, month.month % 12 + 1)


def _unfulfilled(rng, day, centre):
    flagged = [f for f in ledger_queries.facts(day.year, day) if f.unfulfilled(day)]
    projects = ledger_queries.projects_by_code([f.code for f in flagged])
    for facts in flagged:
        if rng.random() < 0.3:
            continue  # not yet reported
        project = projects[facts.code]
        who = "investor" if facts.terminated_on else rng.choice(["ours", "investor", "other"])
        reason = "投资方资金链紧张，暂缓投资" if who == "investor" else "项目用地征拆进度滞后"
        report = ledger.file_unfulfilled(project, reason, who, "约谈投资方，明确时间节点，每月调度", None, day)
        if rng.random() < 0.5:
            ledger.review_unfulfilled(report, True, "", centre.id, day)

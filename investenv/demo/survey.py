"""A demo survey round: invitations for every monitoring point, online answers, drafts, and
some 400 double-keyed paper forms, about 500 responses in all.

Each prefecture gets a latent quality, so that answers differ between prefectures the way a
real year's do; the lean of each answer follows the meaning of the options (``FAVOURABLE``
lists each rated question's options from the best answer to the worst).
"""
from __future__ import annotations

import datetime as dt
import math
import random

from sqlalchemy import select

from investenv.auth.models import User
from investenv.extensions import db
from investenv.registry.models import Prefecture
from investenv.timeutil import today
from survey import operations
from survey import questionnaire as qn
from survey.models import Draft

SEED = 20061107  # the date of the notice that announced the questionnaire

FAVOURABLE = {
    1: "ACB", 2: "CBA", 3: "ABCD", 4: "DCBA", 6: "ABCD", 8: "ABCD", 10: "ABC", 11: "ABC", 12: "ABC",
    15: "ABCD", 16: "ABCD", 17: "ABC", 18: "ABC", 24: "ABC", 26: "ABC", 27: "ABC", 29: "ABC",
    30: "ABC", 31: "ABC",
}
PAPER_FORMS = {"430800": 9, "431300": 16, "433100": 22}  # the rest get 30–38 each
BACKLOG = {"430100", "430400", "431000"}  # prefectures with forms still in double entry
COMMENTS = {
    32: [
        "用地指标落实慢，项目开工一再推迟。", "部分部门办事效率仍然不高，来回跑的次数多。",
        "涉企检查太频繁，影响正常生产。", "优惠政策兑现不及时。", "融资难、融资贵。",
        "招工难，技术工人短缺。", "物流成本偏高。", "水电气报装时间长。", "",
    ],
    33: [
        "建议推行“一站式”审批，限时办结。", "建议建立涉企检查备案制度，减少多头检查。",
        "希望政府兑现招商时的承诺。", "建议公开收费项目和标准。", "加强对中介服务机构的监管。",
        "建议定期召开投资企业座谈会。", "",
    ],
}


def load(year: int) -> None:
    rng = random.Random(SEED)
    questionnaire = qn.load()
    opens, closes = dt.date(year, 9, 1), dt.date(year, 12, 15)
    survey_round = operations.create_round(year, f"{year} 年投资环境问卷调查", questionnaire.version, opens, closes)
    operations.invite_monitoring_points(survey_round)
    prefectures = db.session.scalars(select(Prefecture).order_by(Prefecture.code)).all()
    quality = {p.id: rng.gauss(0, 0.8) for p in prefectures}
    last_day = max(opens, min(closes, today()))
    window = (last_day - opens).days

    for invitation in sorted(survey_round.invitations, key=lambda i: i.id):
        roll = rng.random()
        answers = _answers(rng, questionnaire, quality[invitation.prefecture_id])
        if roll < 0.7:
            draft = Draft(invitation=invitation, answers=answers, page=len(questionnaire.sections))
            db.session.add(draft)
            db.session.flush()
            operations.submit(invitation, opens + dt.timedelta(days=rng.randint(0, window)))
        elif roll < 0.82:
            keys = {q.key for s in questionnaire.sections[:2] for q in s.questions}
            db.session.add(Draft(invitation=invitation, answers={k: v for k, v in answers.items() if k in keys}, page=2))
    _paper(rng, survey_round, questionnaire, prefectures, quality, opens, window)
    db.session.flush()


def _paper(rng, survey_round, questionnaire, prefectures, quality, opens, window) -> None:
    clerks = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(("centre", "centre2"))))}
    first, second = clerks["centre"], clerks["centre2"]
    for prefecture in prefectures:
        for number in range(1, PAPER_FORMS.get(prefecture.code, rng.randint(30, 38)) + 1):
            code = operations.paper_form_code(prefecture.code, number)
            county = rng.choice(prefecture.counties)
            answers = _answers(rng, questionnaire, quality[prefecture.id])
            day = opens + dt.timedelta(days=rng.randint(0, window))
            operations.key_paper_form(survey_round, code, prefecture, county, answers, first.id, day)
            if prefecture.code in BACKLOG and number == 7:
                continue  # keyed once: waiting for the second clerk
            second_answers = dict(answers)
            if prefecture.code in BACKLOG and number == 13:  # a keying slip, left for adjudication
                second_answers["q3"] = "B" if answers.get("q3") != "B" else "C"
                operations.key_paper_form(survey_round, code, prefecture, county, second_answers, second.id, day)
                continue
            operations.key_paper_form(survey_round, code, prefecture, county, second_answers, second.id, day)


def _answers(rng: random.Random, questionnaire: qn.Questionnaire, quality: float) -> dict[str, str]:
    """One respondent's answers: better prefectures lean towards favourable options."""
    lean = quality + rng.gauss(0, 0.9)
    answers: dict[str, str] = {}
    for question in questionnaire.questions:
        if not questionnaire.applies(question, answers):
            continue
        if rng.random() < 0.03 and question.show_if is None:  # a skipped question (follow-ups are required online)
            continue
        if question.kind == "text":
            comment = rng.choice(COMMENTS[question.number])
            if comment:
                answers[question.key] = comment
        elif question.purpose == "problems":
            ticks = [o.code for o in question.options if rng.random() < 1 / (1 + math.exp(1.2 * lean + 0.3))]
            if ticks:
                answers[question.key] = "".join(ticks)
        elif question.kind == "multi":
            answers[question.key] = "".join(sorted(rng.sample([o.code for o in question.options], rng.randint(1, 2))))
        elif question.number in FAVOURABLE:
            order = FAVOURABLE[question.number]
            weights = [math.exp(-(lean + 0.4) * rank * 0.9) for rank in range(len(order))]
            answers[question.key] = rng.choices(order, weights=weights)[0]
        else:
            answers[question.key] = rng.choice([o.code for o in question.options])
            if question.other_code == answers[question.key]:
                answers[question.other_key] = rng.choice(["用工成本高", "土地价格高", "物流不便", "其它原因"])
    answers["origin_province"] = rng.choice(["广东省", "浙江省", "江苏省", "上海市", "福建省", "湖北省", "北京市"])
    answers["occupation"] = rng.choice(["总经理", "财务负责人", "行政主管", "董事长", "办公室主任"])
    return answers

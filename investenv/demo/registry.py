"""Demo enterprises and monitoring points, with realistic gaps.

About ten monitoring points per prefecture spread over its counties (large prefectures miss a
few counties), some registered late, some still awaiting filing, one returned and one withdrawn;
plus non-point investing enterprises that later modules survey.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..registry.credit_code import ORG_ALPHABET, compose
from ..registry.models import Enterprise, FilingStatus, MonitoringPoint, Prefecture

SEED = 20061012  # the date of the 2006 opinion that set up the evaluation

# Points on time per prefecture; the default is 10. Two fall short, some have more.
POINTS = {"430100": 12, "430400": 11, "430800": 9, "431100": 11, "431300": 8}
LATE = {"430500": 1, "430700": 2}  # registered in December of the previous year
OTHERS_PER_PREFECTURE = 8

BRANDS = (
    "华鑫 宏达 金穗 中联 远大 天润 湘江 恒通 瑞丰 新元 博雅 力拓 嘉禾 众诚 鼎盛 汇丰 永固 长青 "
    "富民 聚源 东方 南风 凯旋 德润 安泰 星辰 明珠 锦程 华阳 泰和 兴业 盛世 宏图 鸿运 信达"
).split()
TRADES = (
    ("电子科技", "C"), ("新材料", "C"), ("食品", "C"), ("机械制造", "C"), ("汽车零部件", "C"),
    ("医药", "C"), ("纺织", "C"), ("建材", "C"), ("物流", "G"), ("农业开发", "A"),
    ("旅游开发", "R"), ("信息技术", "I"), ("商贸", "F"), ("置业", "K"), ("酒店管理", "H"),
    ("环保科技", "N"), ("能源", "D"), ("建设工程", "E"),
)
ORIGINS = (
    ("广东省", "深圳市", 6), ("广东省", "广州市", 4), ("广东省", "东莞市", 2), ("浙江省", "杭州市", 3),
    ("浙江省", "温州市", 3), ("江苏省", "苏州市", 3), ("上海市", "上海市", 3), ("北京市", "北京市", 2),
    ("福建省", "厦门市", 2), ("湖北省", "武汉市", 2), ("江西省", "南昌市", 1), ("四川省", "成都市", 1),
    ("山东省", "青岛市", 1), ("河南省", "郑州市", 1), ("香港特别行政区", "香港", 2),
    ("台湾省", "台北市", 1), ("境外", "新加坡", 1), ("湖南省", "长沙市", 2),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏宇浩凯晨欣怡婷雪琳峰亮"
AREA_CODES = {
    "430100": "0731", "430200": "0731", "430300": "0731", "430400": "0734", "430500": "0739",
    "430600": "0730", "430700": "0736", "430800": "0744", "430900": "0737", "431000": "0735",
    "431100": "0746", "431200": "0745", "431300": "0738", "433100": "0743",
}


def load(year: int) -> None:
    rng = random.Random(SEED)
    names: set[str] = set()
    prefectures = db.session.scalars(
        select(Prefecture).options(selectinload(Prefecture.counties)).order_by(Prefecture.code)
    ).all()
    for prefecture in prefectures:
        on_time = POINTS.get(prefecture.code, 10)
        late = LATE.get(prefecture.code, 0)
        carried = min(on_time, rng.choice((8, 9, 10, 10, 11)))  # filed in last year's round
        counties = list(prefecture.counties)
        rng.shuffle(counties)
        for index in range(on_time + late + OTHERS_PER_PREFECTURE):
            county = counties[index % len(counties)]
            enterprise = _enterprise(rng, prefecture, county, names)
            db.session.add(enterprise)
            if index < on_time:
                _point(rng, enterprise, _on_time_date(rng, year, index < carried))
            elif index < on_time + late:
                _point(rng, enterprise, dt.date(year - 1, 12, rng.randint(2, 28)))
    db.session.flush()
    _special_cases(year)


def _on_time_date(rng: random.Random, year: int, carried: bool) -> dt.date:
    """Most points date from the previous year's registration round, a few from this year."""
    if carried:
        return dt.date(year - 1, 9, 1) + dt.timedelta(days=rng.randint(0, 85))
    return dt.date(year, 3, 1) + dt.timedelta(days=rng.randint(0, 200))


def _point(rng: random.Random, enterprise: Enterprise, registered_on: dt.date) -> None:
    roll = rng.random()
    filed = roll < 0.85
    db.session.add(
        MonitoringPoint(
            enterprise=enterprise,
            registered_on=registered_on,
            filing_status=(FilingStatus.FILED if filed else FilingStatus.PENDING).value,
            filed_on=registered_on + dt.timedelta(days=rng.randint(5, 20)) if filed else None,
        )
    )


def _special_cases(year: int) -> None:
    """One returned filing and one withdrawn point, so every state appears on the pages."""
    points = db.session.scalars(
        select(MonitoringPoint).join(MonitoringPoint.enterprise).order_by(Enterprise.credit_code)
    ).all()
    returned, withdrawn = points[3], points[40]
    returned.filing_status, returned.filed_on = FilingStatus.RETURNED.value, None
    returned.note = "企业近两年有行政处罚记录，不符合“守法、诚信”要求，请更换。"
    withdrawn.withdrawn_on = dt.date(year, 6, 30)
    withdrawn.note = "企业迁出本县，撤销测评点。"
    db.session.flush()


def _enterprise(rng: random.Random, prefecture: Prefecture, county, names: set[str]) -> Enterprise:
    place = county.name[:-1] if len(county.name) > 2 and county.name[-1] in "区县市" else county.name
    while True:
        trade, industry = rng.choice(TRADES)
        name = f"{place}{rng.choice(BRANDS)}{trade}{rng.choice(('有限公司', '有限公司', '股份有限公司'))}"
        if name not in names:
            names.add(name)
            break
    province, city, _ = rng.choices(ORIGINS, weights=[w for *_, w in ORIGINS])[0]
    return Enterprise(
        name=name,
        credit_code=compose("91", county.code, "MA4" + "".join(rng.choices(ORG_ALPHABET, k=5))),
        prefecture=prefecture,
        county_id=county.id,
        origin_province=province,
        origin_city=city,
        industry=industry,
        contact_name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
        contact_phone=_phone(rng, prefecture.code),
    )


def _phone(rng: random.Random, prefecture_code: str) -> str:
    if rng.random() < 0.5:
        return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
    return f"{AREA_CODES[prefecture_code]}-{rng.randint(2_000_000, 8_999_999)}"

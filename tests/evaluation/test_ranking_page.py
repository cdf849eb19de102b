"""The provincial office's ranking page and drill-down, against the demo year."""
import json

import pytest
import sqlalchemy as sa

from investenv.extensions import db
from investenv.registry.models import Enterprise


@pytest.fixture
def demo(app, demo_database, run_cli):
    return json.loads(run_cli(app, "rank", "--year", "2026", "--detail").stdout)


def test_the_ranking_page_shows_every_prefecture_with_its_intervals(app, client, demo, make_user, login):
    login(client, make_user("analyst"))
    page = client.get("/evaluation/2026").get_data(as_text=True)
    for p in demo["prefectures"]:
        assert p["name"] in page and f"{p['composite']:.2f}" in page
        assert f"{p['rank_interval'][0]}–{p['rank_interval'][1]}" in page
    top = [p["name"] for p in demo["prefectures"] if p["code"] in demo["top3"]]
    assert "最优单位（前三名）：</strong>" + "、".join(top) in page
    assert f"{demo['weight_stability'] * 100:.1f}%" in page and "Cronbach" in page
    alpha = demo["diagnostics"]["cronbach_alpha"]
    assert f"{alpha['n_complete']} 份答全的答卷，{alpha['items']} 题" in page
    # the method version, what is resampled, and the top-3 statement from the simultaneous rank sets
    assert demo["method"]["version"] == "2" and "方法“default”（第 2 版）" in page
    assert "重抽答卷、测评点、投诉案件、抽查单位" in page
    statement, names = demo["top3_statement"], {p["code"]: p["name"] for p in demo["prefectures"]}
    assert ("与其余市州<strong>分开了</strong>" if statement["separated"] else "与其余市州<strong>没有分开</strong>") in page
    assert "可能在真实前三名中的是" + "、".join(names[c] for c in statement["possibly"]) + "。" in page


def test_the_drill_down_shows_every_contributing_number(app, client, demo, make_user, login):
    login(client, make_user("admin"))
    first = demo["prefectures"][0]
    page = client.get(f"/evaluation/2026/{first['code']}").get_data(as_text=True)
    assert f"第 {first['rank']} 名，综合 {first['composite']:.2f}" in page
    marginal, simultaneous = first["rank_set_marginal"], first["rank_set_simultaneous"]
    assert f"{marginal[0]}–{marginal[1]}（与全体市州同时成立：{simultaneous[0]}–{simultaneous[1]}）" in page
    assert "您对湖南经济发展前景" in page  # question texts beside their means
    q1 = first["detail"]["questions"]["q1"]
    assert f"{q1['mean']:.2f}" in page
    for code in first["detail"]["monitoring_points"]:
        assert code in page
    closure = first["detail"]["complaints"]["closure"]
    assert f"<td class=\"num\">{closure['numerator']}</td><td class=\"num\">{closure['denominator']}</td>" in page
    assert client.get("/evaluation/2026/999999").status_code == 404


def test_only_the_provincial_office_sees_the_ranking(app, client, demo, make_user, login):
    login(client, make_user("centre"))
    assert client.get("/evaluation/2026").status_code == 403


def test_a_year_without_data_says_so(app, client, make_user, login):
    login(client, make_user("analyst"))
    response = client.get("/evaluation/2019/preview")  # the live ranking says why there is none
    assert response.status_code == 404 and "2019 年没有任何数据" in response.get_data(as_text=True)
    published = client.get("/evaluation/2019")
    assert published.status_code == 404 and "2019 年的综合测评结果尚未发布" in published.get_data(as_text=True)
    assert client.get("/evaluation/?year=2019").headers["Location"].endswith("/evaluation/2019")


def test_the_drill_down_reads_for_leaders(app, client, demo, make_user, login):
    """Help beside each statistical term; the province's value and the gap to 3rd place beside each
    figure (for the office; the composite's for the prefecture too); monitoring points by name."""
    prefectures = demo["prefectures"]
    ninth, third = prefectures[8], prefectures[2]
    mean = sum(p["composite"] for p in prefectures) / len(prefectures)
    beside = f"全省 {mean:.2f}；比第 3 名 −{third['composite'] - ninth['composite']:.2f}"
    login(client, make_user("analyst"))
    page = client.get(f"/evaluation/2026/{ninth['code']}").get_data(as_text=True)
    assert beside in page
    survey = sum(p["sources"]["survey"] for p in prefectures) / len(prefectures)
    gap = ninth["sources"]["survey"] - third["sources"]["survey"]
    assert f"全省 {survey:.2f}；比第 3 名 {'+' if gap > 0 else '−'}{abs(gap):.2f}" in page
    assert page.count('class="term-help"') >= 8 and "真实排进前三的可能性" in page
    points = sa.select(Enterprise.credit_code, Enterprise.name).where(
        Enterprise.credit_code.in_(list(ninth["detail"]["monitoring_points"])))
    named = db.session.execute(points).all()
    assert named and all(f"<th scope=\"row\">{name}</th><td class=\"mono\">{code}</td>" in page for code, name in named)

    client.post("/logout")
    login(client, make_user("prefecture", ninth["name"]))
    own = client.get(f"/evaluation/2026/{ninth['code']}").get_data(as_text=True)
    assert beside in own  # the composites are published for every prefecture
    assert "<th scope=\"col\">对照</th>" not in own  # other prefectures' source scores are the office's

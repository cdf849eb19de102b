"""A monitoring point reports through its link; the province filters the reports and downloads
the view; the joint team scores a unit on a tablet and locks the round."""
import datetime as dt

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from feedback import periods
from feedback.models import Feedback
from investenv.extensions import db
from investenv.timeutil import today
from spotchecks import operations as spot
from spotchecks.models import SpotCheckRound

pytestmark = pytest.mark.browser


def test_point_submits_last_quarters_feedback(page, live_server, make_point):
    point = make_point()
    last_quarter = periods.current(today(), "quarter").previous()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/f/{point.feedback_token}")
    page.get_by_label("反馈期间").select_option(last_quarter.code)
    for dimension, answer in (("d1", "很好"), ("d2", "较好"), ("d3", "一般"), ("d4", "较差"), ("d5", "很差")):
        page.locator(f"#{dimension}-set").get_by_role("radio", name=answer).check()
    page.get_by_label("意见和建议").fill("窗口服务有改善")
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反馈已提交")
    feedback = db.session.scalar(sa.select(Feedback))
    assert (feedback.period, feedback.ratings) == (last_quarter.code, [5, 4, 3, 2, 1])


def test_the_province_filters_the_reports_and_downloads_the_view(page, live_server, make_point, make_user,
                                                                 browser_login, tmp_path):
    from openpyxl import load_workbook

    now = periods.current(today(), "quarter")
    for n, point in enumerate([make_point(), make_point(), make_point("长沙市")]):
        db.session.add(Feedback(point=point, prefecture_id=point.enterprise.prefecture_id, period=now.code, d1=3, d2=3,
                                d3=3, d4=3, d5=1 + n, comment="", incidents="多头检查" if n else "",
                                submitted_on=now.starts_on + dt.timedelta(days=n)))
    db.session.commit()
    browser_login(page, make_user("analyst"))
    page.goto(f"{live_server}/feedback/")
    page.get_by_role("link", name="反馈明细（筛选、排序、导出）").click()
    page.get_by_label("意见与事件").select_option(label="有具体事件")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#total")).to_have_text("2")
    page.get_by_role("link", name="平均分").click()
    expect(page.locator("th[aria-sort]")).to_contain_text("平均分")  # the sorted page has loaded before its rows are read
    listed = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出当前列表（Excel）").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    exported = list(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in exported] == [text.split("\n")[0] for text in listed] and [r[13] for r in exported] == ["多头检查"] * 2
    assert [r[0] for r in exported] == ["株洲市", "长沙市"] and [r[4] for r in exported] == [now.label] * 2


def test_team_member_scores_on_a_tablet_and_locks_the_round(page, live_server, make_user, browser_login):
    check_round = spot.create_round(today().year, "", 42, 1)
    spot.draw(check_round)
    team = make_user("centre")
    last, *others = sorted(check_round.units, key=lambda u: -u.draw_order)
    for unit in others:
        spot.enter_scores(unit, {i.id: (i.max_score, "") for i in check_round.items}, today(), team.id, today())
    db.session.commit()

    page.set_viewport_size({"width": 768, "height": 1024})
    browser_login(page, team)
    page.goto(f"{live_server}/spotchecks/{check_round.id}")
    expect(page.get_by_text("已核验")).to_be_visible()
    page.get_by_role("link", name=last.name).click()
    for item in check_round.items:
        page.get_by_label(f"{item.title}（满分 {item.max_score:g}）").fill(f"{item.max_score - 1:g}")
    page.get_by_label("依据").first.fill("门户网站有公开目录")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.get_by_role("button", name="保存评分").click()
    expect(page.locator(".flash-success")).to_contain_text("已保存")
    page.get_by_role("button", name="锁定本轮").click()
    expect(page.locator(".flash-success")).to_contain_text("本轮已锁定")
    db.session.expire_all()
    locked = db.session.get(SpotCheckRound, check_round.id)
    assert locked.locked
    assert sum(s.score for s in locked.units[0].scores) > 0

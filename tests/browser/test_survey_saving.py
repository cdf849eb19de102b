"""On a phone (360 px), with and without JavaScript: nothing an enterprise types is lost.

The whole questionnaire with the closing fields; Enter in a text box moves forward; a page left
without pressing its button is kept (with script) when the link is opened again; Q5 is dropped
with a notice when Q4 changes; the closing fields reach the response and responses.csv."""
import csv
import io
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from investenv.extensions import db
from survey.models import Draft, Response

pytestmark = pytest.mark.browser

FOOTER = {"您来自（省）": "广东省", "市（区）": "深圳市", "职业": "总经理"}


def _option(page, question: int, text: str):
    role = "checkbox" if question in (7, 9, 19) else "radio"
    return page.locator(f"#q{question}-set").get_by_role(role, name=text, exact=True)


def _choose(page, question: int, *texts: str):
    for text in texts:
        _option(page, question, text).check()


def _other(page, question: int):
    return page.locator(f"#q{question}-set").get_by_label("请注明“其它”的具体内容")


def _at(page, number: int):
    expect(page.locator("#progress-text")).to_have_text(f"第 {number}/6 部分")


def _next(page):
    page.get_by_role("button", name="保存，下一部分").click()


def _draft_answers() -> dict:
    db.session.rollback()  # a fresh read of what the server committed
    return db.session.scalar(sa.select(Draft.answers)) or {}


def _eventually(check, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the answers were not saved in time"
        time.sleep(0.1)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_nothing_typed_is_lost_on_a_phone(browser, live_server, app, make_round, make_enterprise, make_user, login,
                                          javascript):
    from survey import operations

    survey_round = make_round()
    token = operations.invite(survey_round, make_enterprise("株洲市")).token
    db.session.commit()
    link = f"{live_server}/s/{token}"
    phone = {"java_script_enabled": javascript, "viewport": {"width": 360, "height": 740}}

    context = browser.new_context(**phone)
    page = context.new_page()
    page.goto(link)
    page.get_by_role("link", name="开始填写").click()
    _at(page, 1)
    _choose(page, 1, "很有信心")
    _choose(page, 4, "较高")
    _choose(page, 5, "收费多")
    _choose(page, 7, "省级部门")
    _next(page)
    _at(page, 2)
    # What page 1 left open is listed, each a link to its field.
    expect(page.get_by_role("link", name="第 2 题未回答")).to_have_attribute("href", f"/s/{token}/1#q2")

    # Back to page 1: Q4 becomes 一般, so the Q5 answered before no longer applies.
    page.get_by_role("button", name="上一部分").click()
    _at(page, 1)
    expect(_option(page, 5, "收费多")).to_be_checked()
    _choose(page, 4, "一般")
    if javascript:
        expect(page.locator("#q5-set")).to_be_hidden()  # and cleared
    _next(page)
    _at(page, 2)  # accepted, not refused
    if not javascript:
        expect(page.get_by_role("status").filter(has_text="已删除第 5 题的回答")).to_be_visible()
    assert "q5" not in _draft_answers() and _draft_answers()["q4"] == "C"

    # "None of the above" is an answer of its own.
    if javascript:
        _choose(page, 9, "办案程序不规范、不公开", "以上都没有")
        expect(_option(page, 9, "办案程序不规范、不公开")).not_to_be_checked()
    else:
        _choose(page, 9, "以上都没有")
    _choose(page, 10, "其它")
    _other(page, 10).fill("园区配套政策")
    _next(page)

    # Enter in a text box (the phone keyboard's 前往) moves forward, not back.
    _at(page, 3)
    _choose(page, 15, "较强")
    _choose(page, 19, "推诿扯皮，效率低下", "执法粗暴，态度生硬")
    _choose(page, 22, "其它部门")
    _other(page, 22).fill("海关")
    _other(page, 22).press("Enter")
    _at(page, 4)
    _choose(page, 23, "行政信用")
    _next(page)

    # Page 5 is answered halfway, then the phone closes before any button is pressed.
    _at(page, 5)
    _choose(page, 26, "有利于")
    _choose(page, 28, "其它")
    _other(page, 28).fill("物流成本高")
    if javascript:
        _eventually(lambda: _draft_answers().get("q28_other") == "物流成本高")
        expect(page.locator("[data-save-status]")).to_contain_text("已自动保存")
    context.close()

    context = browser.new_context(**phone)
    page = context.new_page()
    page.goto(link)
    _at(page, 5)  # where it was left
    if javascript:
        expect(_option(page, 26, "有利于")).to_be_checked()
        expect(_other(page, 28)).to_have_value("物流成本高")
    else:  # without script a page is saved by its button (the start page says so)
        expect(_option(page, 26, "有利于")).not_to_be_checked()
        _choose(page, 26, "有利于")
        _choose(page, 28, "其它")
        _other(page, 28).fill("物流成本高")
    _next(page)

    _at(page, 6)
    _choose(page, 29, "满意")
    page.get_by_label("您在湖南投资最关心和最不满意哪些问题").fill("用地指标落实慢")
    for label, value in FOOTER.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="保存，检查答卷").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("提交前请检查您的答卷")
    answers = page.locator(".answers")
    for value in ("深圳市", "总经理", "以上都没有", "海关", "物流成本高"):
        expect(answers.filter(has_text=value)).to_have_count(1)
    # A gap's link leads to the page and the field.
    page.get_by_role("link", name="第 33 题未回答").click()
    _at(page, 6)
    assert page.url.endswith(f"/s/{token}/6#q33")
    page.get_by_label("您对湖南优化经济发展环境还有什么具体意见或建议").fill("希望简化审批")
    expect(page.get_by_label("市（区）", exact=True)).to_have_value("深圳市")
    page.get_by_role("button", name="保存，检查答卷").click()
    expect(page.get_by_role("link", name="第 33 题未回答")).to_have_count(0)
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("问卷已提交")
    context.close()

    stored = db.session.scalar(sa.select(Response)).answers
    assert {k: stored[k] for k in ("origin_province", "origin_city", "occupation")} == {
        "origin_province": "广东省", "origin_city": "深圳市", "occupation": "总经理"}
    assert (stored["q4"], stored["q9"], stored["q19"], stored["q22_other"], stored["q28_other"]) == (
        "C", "N", "BD", "海关", "物流成本高")
    assert "q5" not in stored and stored["q33"] == "希望简化审批"

    staff = app.test_client()
    login(staff, make_user("admin"))
    download = staff.get(f"/survey/responses-{survey_round.year}.csv")
    (row,) = csv.DictReader(io.StringIO(download.data.decode("utf-8-sig")))
    assert (row["origin_province"], row["origin_city"], row["occupation"], row["q9"]) == ("广东省", "深圳市", "总经理", "N")

"""An enterprise fills the questionnaire at its link in Chromium, with and without JavaScript."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from investenv.extensions import db
from survey.models import Invitation, Response

pytestmark = pytest.mark.browser


def _option(page, question: int, text: str):
    role = "checkbox" if question in (7, 9, 19) else "radio"
    return page.locator(f"#q{question}-set").get_by_role(role, name=text, exact=True)


def _choose(page, question: int, text: str):
    _option(page, question, text).check()


def _next(page):
    page.get_by_role("button", name="下一部分").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_enterprise_fills_resumes_and_submits_once(browser, live_server, make_round, make_enterprise, javascript):
    from survey import operations

    survey_round = make_round()
    enterprise = make_enterprise("株洲市", name="株洲填表测试有限公司")
    token = operations.invite(survey_round, enterprise).token
    db.session.commit()
    link = f"{live_server}/s/{token}"

    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(link)
    page.get_by_role("link", name="开始填写").click()
    expect(page.locator("#progress-text")).to_have_text("第 1/6 部分")
    _choose(page, 1, "很有信心")
    _choose(page, 4, "一般")
    q5 = page.locator("#q5-set")
    if javascript:
        expect(q5).to_be_hidden()
        expect(page.locator("[data-other-of=q5]")).to_be_hidden()
    else:
        expect(q5).to_be_visible()  # without JavaScript the condition is printed instead
    _choose(page, 7, "省级部门")
    _choose(page, 7, "县级部门")
    _next(page)
    expect(page.locator("#progress-text")).to_have_text("第 2/6 部分")
    _choose(page, 10, "其它")
    page.get_by_label("请注明“其它”的具体内容").first.fill("园区配套政策")
    _next(page)
    _choose(page, 15, "较强")
    _next(page)
    expect(page.locator("#progress-text")).to_have_text("第 4/6 部分")
    context.close()

    # Closed the browser; the link, on a new device, brings back the answers.
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(link)
    expect(page.locator("#progress-text")).to_have_text("第 4/6 部分")
    page.goto(f"{link}/1")
    expect(_option(page, 1, "很有信心")).to_be_checked()
    expect(_option(page, 7, "县级部门")).to_be_checked()

    # Q4 changes to 较高: Q5 now applies, and is required.
    _choose(page, 4, "较高")
    if javascript:
        expect(q5 := page.locator("#q5-set")).to_be_visible()
    _next(page)
    expect(page.locator("#q5-error")).to_contain_text("请回答本题")
    expect(page.locator("#q5-set")).to_be_visible()
    _choose(page, 5, "收费多")
    _next(page)
    for _ in range(4):
        _next(page)
    page.get_by_label("您来自（省）").fill("广东省")
    page.get_by_role("button", name="保存，检查答卷").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提交前请检查您的答卷")
    expect(page.locator(".answers")).to_contain_text(["收费多"])
    expect(page.get_by_text("园区配套政策")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("问卷已提交")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("问卷已提交")
    context.close()

    responses = db.session.scalars(sa.select(Response)).all()
    assert len(responses) == 1
    answers = responses[0].answers
    assert (answers["q4"], answers["q5"], answers["q7"], answers["q10_other"]) == ("B", "B", "AC", "园区配套政策")
    assert responses[0].enterprise_id is None
    assert db.session.scalar(sa.select(Invitation.used))

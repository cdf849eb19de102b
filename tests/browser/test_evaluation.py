"""The provincial office ranks the year, drills down into a prefecture, and has the report made
from the dashboard: the job's page offers the file once it is ready."""
import docx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_office_ranks_drills_down_and_downloads_the_report(page, app, demo_database, live_server, make_user,
                                                          browser_login, tmp_path):
    browser_login(page, make_user("analyst"))
    page.get_by_role("link", name="综合测评").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("综合测评")
    first = page.locator("tbody tr").first
    name = first.locator("th a").inner_text()
    first.locator("th a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{name}：第 1 名")

    page.get_by_role("link", name="测评看板").click()
    images = page.locator(".charts img")
    expect(images).to_have_count(5)
    assert all(images.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(5))

    page.get_by_role("button", name="生成测评报告（PDF）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026 年测评报告（PDF）")
    expect(page.get_by_role("status")).to_contain_text("已完成")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 report-2026.pdf").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF") and download.value.suggested_filename == "report-2026.pdf"
    page.get_by_role("link", name="我的任务").click()
    expect(page.get_by_role("row", name="2026 年测评报告（PDF）")).to_contain_text("已完成")


def test_a_request_for_review_runs_to_a_new_version_named_by_the_bulletin(
        page, browser, app, demo_database, live_server, make_user, browser_login, run_cli, tmp_path):
    staff, analyst, admin = make_user("prefecture", "长沙市"), make_user("analyst"), make_user("admin")
    browser_login(page, staff)
    page.goto(f"{live_server}/evaluation/2026/objections")
    page.get_by_label("申请复核的理由").fill("我市补报的 40 份答卷没有计入。")
    page.get_by_role("button", name="提交复核申请").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("长沙市的复核申请")
    objection_url = page.url

    office = browser.new_page()
    browser_login(office, analyst)
    office.goto(objection_url)
    office.get_by_label("采纳：更正数据后发布新的版本").check()
    office.get_by_label("答复意见").fill("采纳：补录答卷后发布第 2 版。")
    office.get_by_role("button", name="提交答复").click()
    expect(office.locator("main")).to_contain_text("已采纳")

    late = tmp_path / "late.csv"
    worst = ["B", "A", "D", "A", "", "D", "", "D"] + [""] * 25  # q1–q8 at 0 points: 长沙市 surely moves
    late.write_text("prefecture_code," + ",".join(f"q{n}" for n in range(1, 34)) + "\n"
                    + ("430100," + ",".join(worst) + "\n") * 40, encoding="utf-8")
    assert run_cli(app, "import", "responses", str(late)).exit_code == 0

    chief = browser.new_page()
    browser_login(chief, admin)
    chief.goto(f"{live_server}/evaluation/2026/runs")
    chief.get_by_role("button", name="用当前数据计算一份草稿").click()
    expect(chief.get_by_role("status")).to_contain_text("已完成")
    chief.goto(f"{live_server}/evaluation/2026/runs")
    chief.get_by_role("link", name="草稿").first.click()
    chief.get_by_label("发布说明").fill("采纳长沙市的复核申请，补录答卷")
    chief.get_by_role("button", name="发布为第 2 版").click()
    expect(chief.locator("main")).to_contain_text("第 2 版")

    page.goto(f"{live_server}/evaluation/2026/versions")
    expect(page.locator("main")).to_contain_text("采纳长沙市的复核申请，补录答卷")
    changes = page.get_by_role("table").filter(has_text="与第 1 版相比的变化")
    expect(changes.get_by_role("row").filter(has_text="长沙市")).to_be_visible()
    page.goto(objection_url)
    expect(page.locator("main")).to_contain_text("采纳：补录答卷后发布第 2 版。")

    chief.goto(f"{live_server}/evaluation/2026/dashboard")
    chief.get_by_role("button", name="生成通报（Word 草稿）").click()
    expect(chief.get_by_role("status")).to_contain_text("已完成")
    with chief.expect_download() as download:
        chief.get_by_role("link", name="下载 bulletin-2026.docx").click()
    path = tmp_path / "bulletin.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "现将测评结果（第 2 版）通报如下" in text and "更正此前发布的第 1 版" in text

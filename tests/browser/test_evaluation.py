"""The provincial office ranks the year, drills down into a prefecture, and has the report made
from the dashboard: the job's page offers the file once it is ready."""
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

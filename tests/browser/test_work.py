"""A prefecture clerk's day in Chromium on the demo year: the home page's overdue count leads to
the overdue list of the clerk's own prefecture, which is filtered and downloaded as it stands."""
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_prefecture_clerk_follows_the_overdue_count_filters_and_exports(page, app, demo_database, live_server,
                                                                      make_user, browser_login, tmp_path):
    browser_login(page, make_user("prefecture", "长沙市", username="csclerk"))
    expect(page).to_have_url(re.compile(r"/work$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("今日工作")
    tile = page.locator("#tile-overdue")
    overdue = int(tile.locator(".count").inner_text())
    assert overdue > 0
    tile.click()
    expect(page).to_have_url(re.compile(r"queue=overdue"))
    expect(page.locator("#total")).to_have_text(str(overdue))
    expect(page.get_by_role("navigation", name="工作队列").locator("[aria-current=page] .count")).to_have_text(str(overdue))
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text(re.compile(r"超期 \d+ 天"))
    assert "株洲市" not in page.locator("main").inner_text()

    category = rows.first.locator("td").nth(3).inner_text()
    page.get_by_label("类别").select_option(label=category)
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"category="))
    shown = int(page.locator("#total").inner_text())
    assert 0 < shown <= overdue
    expect(rows).to_have_count(min(shown, 50))
    cells = page.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert set(cells) == {category}
    listed = page.locator("tbody tr td.mono a").all_inner_texts()

    with page.expect_download() as download:
        page.get_by_role("link", name="导出当前列表（Excel）").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert re.fullmatch(r"complaints-overdue-\d{8}\.xlsx", download.value.suggested_filename)
    exported = list(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in exported] == listed and {r[2] for r in exported} == {"长沙市"}
    assert {r[4] for r in exported} == {category}

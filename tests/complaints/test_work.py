"""The home of today's work and the case lists on the demo year: every count equals its list,
prefecture staff see their own prefecture only, filters, sorting, pages and the Excel export."""
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from complaints import queries
from investenv.timeutil import today

ROW = re.compile(r'<tr>\s*<td class="mono"><a href="/complaints/([^"]+)">.*?</tr>', re.S)


def _total(html: str) -> int:
    return int(re.search(r'id="total">(\d+)<', html).group(1))


def _rows(client, url: str) -> list[str]:
    """The rows of every page of a list, in order."""
    rows, number = [], 1
    while True:
        html = client.get(f"{url}&page={number}").get_data(as_text=True)
        rows += ROW.findall(html)
        if 'aria-label="分页"' not in html or f'page={number + 1}' not in html:
            return rows
        number += 1


def _home_counts(client) -> dict[str, int]:
    home = client.get("/work").get_data(as_text=True)
    return {k: int(v) for k, v in re.findall(r'id="tile-(\w+)">\s*<span class="count">(\d+)</span>', home)}


@pytest.fixture
def users(app, demo_database, make_user):
    return {"centre": make_user("centre", username="clerk"), "changsha": make_user("prefecture", "长沙市", username="csstaff")}


@pytest.mark.parametrize("who", ["centre", "changsha"])
def test_every_home_count_equals_its_list_and_its_tab(app, users, login, who):
    client = app.test_client()
    login(client, users[who])
    counts = _home_counts(client)
    assert {"overdue", "due_soon", "progress", "visit", "supervision", "open", "mine"} <= set(counts)
    assert ("new" in counts) == (who == "centre")  # only the centre accepts cases
    assert counts["overdue"] > 0 and counts["open"] > 0
    for queue, count in counts.items():
        html = client.get(f"/complaints/?queue={queue}").get_data(as_text=True)
        assert _total(html) == count, queue
        tab = re.search(rf'queue={queue}"[^>]*>[^<]*<span class="count">(\d+)</span>', html)
        assert int(tab.group(1)) == count, queue
        assert len(_rows(client, f"/complaints/?queue={queue}")) == count, queue
        if who == "changsha":
            assert "株洲市" not in html


def test_overdue_cases_come_first_with_their_days(app, users, login):
    client = app.test_client()
    login(client, users["centre"])
    html = client.get("/complaints/?queue=open").get_data(as_text=True)
    cells = re.findall(r'<tr>\s*<td class="mono">.*?</tr>', html, re.S)
    late = [bool(re.search(r"超期 \d+ 天", c)) for c in cells]
    assert late[0] and late == sorted(late, reverse=True)  # overdue first, across statuses
    days = [int(d) for d in re.findall(r"超期 (\d+) 天", html)]
    assert days == sorted(days, reverse=True) and min(days) >= 1  # most overdue first
    for case_no in ROW.findall(html)[:3]:
        case = queries.case_by_number(case_no)
        assert f"超期 {(today() - case.deadline).days} 天" in html


def test_filters_sorting_and_pages(app, users, login):
    client = app.test_client()
    login(client, users["centre"])
    everything = _total(client.get("/complaints/?queue=all").get_data(as_text=True))
    assert everything > 50  # more than one page
    html = client.get("/complaints/?queue=all&page=2").get_data(as_text=True)
    assert 'aria-current="page" href="/complaints/?queue=all&amp;page=2"' in html
    by_status = client.get("/complaints/?queue=all&status=closed").get_data(as_text=True)
    assert 0 < _total(by_status) < everything
    assert all(queries.case_by_number(n).status == "closed" for n in ROW.findall(by_status))
    sample = queries.case_by_number(ROW.findall(by_status)[0])
    code, category = sample.prefecture.code, sample.category
    listed = _rows(client, f"/complaints/?queue=all&prefecture={code}&category={category}")
    assert sample.case_no in listed and all(queries.case_by_number(n).prefecture.code == code
                                            and queries.case_by_number(n).category == category for n in listed)
    first = today().replace(month=1, day=1)
    since = (first + dt.timedelta(days=120)).isoformat()
    recent = _rows(client, f"/complaints/?queue=all&from={since}")
    assert recent and all(queries.case_by_number(n).received_on >= dt.date.fromisoformat(since) for n in recent)
    names = [queries.case_by_number(n).complainant for n in _rows(client, "/complaints/?queue=open&sort=complainant")]
    assert names == sorted(names)
    received = [queries.case_by_number(n).received_on
                for n in _rows(client, "/complaints/?queue=open&sort=received&dir=desc")]
    assert received == sorted(received, reverse=True)
    assert client.get("/complaints/?queue=nope").status_code == 404
    assert client.get("/complaints/?queue=all&status=nope&from=garbage").status_code == 200  # ignored


def test_export_is_the_current_view_audited_and_scoped(app, users, login):
    from sqlalchemy import select

    from investenv.audit.models import AuditEvent
    from investenv.extensions import db

    client = app.test_client()
    login(client, users["changsha"])
    url = "/complaints/?queue=overdue&sort=case_no"
    listed = _rows(client, url)
    response = client.get(url.replace("/complaints/?", "/complaints/export.xlsx?"))
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == listed
    assert {r[2] for r in rows} == {"长沙市"} and all(r[9] >= 1 for r in rows)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export",
                                                      AuditEvent.target.like("complaints-overdue-%")))


def test_a_whole_case_number_finds_its_case_and_a_part_finds_it_among_others(app, users, login):
    client = app.test_client()
    login(client, users["centre"])
    case_no = ROW.findall(client.get("/complaints/?queue=all&sort=case_no").get_data(as_text=True))[-1]
    assert _rows(client, f"/complaints/?queue=all&q={case_no}") == [case_no]
    part = _rows(client, f"/complaints/?queue=all&q={case_no[:-1]}")
    assert case_no in part and all(n.startswith(case_no[:-1]) for n in part)

"""The list of monitoring-point reports (反馈明细): filters, sorts, total, pages, the Excel download
of the view, and the province alone reads it."""
import datetime as dt
import io
import re

import sqlalchemy as sa
from flask_login import login_user

from feedback import queries
from feedback.models import Feedback
from investenv.audit.models import AuditEvent
from investenv.extensions import db
from investenv.timeutil import today

YEAR = today().year
Q1, Q2 = f"{YEAR}Q1", f"{YEAR}Q2"
NAME = re.compile(r"<td>((?:株洲|长沙)[^<]*?测试企业\d+有限公司)<br>")


def _report(point, period, ratings=(4, 4, 4, 4, 4), comment="", incidents="", day=None):
    feedback = Feedback(point=point, prefecture_id=point.enterprise.prefecture_id, period=period,
                        **{f"d{i}": r for i, r in enumerate(ratings, 1)}, comment=comment, incidents=incidents,
                        submitted_on=day or dt.date(YEAR, 1, 20))
    db.session.add(feedback)
    db.session.commit()
    return feedback


def _names(client, url):
    return NAME.findall(client.get(url).get_data(as_text=True))


def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_report_list_filters_sorts_counts_and_pages(client, make_point, make_user, login):
    low, high = make_point(), make_point()
    other = make_point("长沙市")
    _report(low, Q1, (1, 2, 1, 2, 1), incidents="某局多次检查", day=dt.date(YEAR, 1, 5))
    _report(high, Q1, (5, 5, 5, 5, 4), comment="服务很好", day=dt.date(YEAR, 2, 10))
    _report(other, Q2, (3, 3, 3, 3, 3), day=dt.date(YEAR, 4, 15))
    _report(low, Q2, (2, 2, 2, 2, 2), incidents="审批拖延", day=dt.date(YEAR, 5, 1))
    login(client, make_user("analyst"))
    page = client.get("/feedback/reports").get_data(as_text=True)
    assert '共 <strong id="total">4</strong> 条' in page and f"{YEAR}年第一季度" in page
    assert f'<option value="{Q2}">{YEAR}年第二季度</option>' in page  # the period in words
    names = (low.enterprise.name, high.enterprise.name, other.enterprise.name)
    assert _names(client, "/feedback/reports") == [names[0], names[2], names[1], names[0]]  # newest first
    assert _names(client, "/feedback/reports?sort=mean") == [names[0], names[0], names[2], names[1]]
    assert _names(client, "/feedback/reports?sort=mean&dir=desc")[0] == names[1]
    assert _names(client, "/feedback/reports?sort=point&period=" + Q1) == sorted(names[:2])
    assert _names(client, "/feedback/reports?prefecture=430100") == [names[2]]
    assert _names(client, f"/feedback/reports?period={Q1.lower()}") == [names[1], names[0]]
    assert _names(client, f"/feedback/reports?q={high.enterprise.credit_code[-6:].lower()}") == [names[1]]
    assert _names(client, "/feedback/reports?q=测试企业") == [names[0], names[2], names[1], names[0]]
    assert _names(client, "/feedback/reports?issue=incidents") == [names[0], names[0]]
    assert _names(client, "/feedback/reports?issue=comment") == [names[1]]
    assert _names(client, "/feedback/reports?issue=none") == [names[2]]
    assert _names(client, f"/feedback/reports?from={YEAR}-02-10&to={YEAR}-04-15") == [names[2], names[1]]
    centre = client.application.test_client()
    login(centre, make_user("centre"))
    first = db.session.scalar(sa.select(Feedback).where(Feedback.incidents == "某局多次检查"))
    assert "转为投诉案件" in centre.get("/feedback/reports?issue=pending").get_data(as_text=True)
    assert centre.post(f"/feedback/{first.id}/complaint").status_code == 201
    assert _names(client, "/feedback/reports?issue=pending") == [names[0]]
    complained = client.get("/feedback/reports?issue=complaint").get_data(as_text=True)
    assert '共 <strong id="total">1</strong> 条' in complained and "已立案" in complained
    # Numbered pages: 50 rows a page, the filter and sort kept in every link.
    for _ in range(48):
        _report(make_point(), Q2, day=dt.date(YEAR, 4, 1))
    second = client.get("/feedback/reports?sort=point&q=株洲&page=2").get_data(as_text=True)
    assert '共 <strong id="total">51</strong> 条，显示第 51–51 条' in second
    assert len(NAME.findall(second)) == 1 and 'aria-current="page"' in second
    previous = re.search(r'<a href="(/feedback/reports\?[^"]*)">上一页</a>', second).group(1)
    assert "sort=point" in previous and "q=%E6%A0%AA%E6%B4%B2" in previous and "page=1" in previous


def test_the_download_is_the_current_view_guarded_and_audited(client, make_point, make_user, login):
    points = [make_point() for _ in range(3)]
    _report(points[0], Q1, (1, 1, 1, 1, 1), comment="=HYPERLINK(\"http://x\")", day=dt.date(YEAR, 1, 2))
    _report(points[1], Q1, (5, 5, 5, 5, 5), incidents="＋1 未通知", day=dt.date(YEAR, 1, 3))
    _report(points[2], Q2, (3, 3, 3, 3, 4), day=dt.date(YEAR, 4, 3))
    login(client, make_user("analyst", username="reader"))
    for query in ("", "?sort=mean&dir=desc", f"?period={Q1}&sort=point", "?issue=incidents", "?q=nothing-like-it"):
        header, rows = _sheet(client.get(f"/feedback/reports.xlsx{query}"))
        assert [r[1] for r in rows] == _names(client, f"/feedback/reports{query}"), query
    header, rows = _sheet(client.get("/feedback/reports.xlsx?sort=submitted&dir=asc"))
    assert header[:6] == ("市州", "测评点", "统一社会信用代码", "县市区", "期间", "报送日期") and header[-3:] == (
        "意见和建议", "具体事件", "投诉案件")
    assert rows[0][4] == f"{YEAR}年第一季度" and rows[0][6:12] == (1, 1, 1, 1, 1, 1)
    assert rows[0][12] == "'=HYPERLINK(\"http://x\")" and rows[1][13] == "'＋1 未通知"  # the formula guard
    assert rows[2][11] == 3.2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export", AuditEvent.target == "feedback-reports.xlsx", AuditEvent.username == "reader")) == 6
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "view", AuditEvent.target.like("feedback-reports:%"))) >= 5


def test_a_prefecture_user_reads_no_report_by_any_parameter(app, client, make_point, make_user, login):
    """Adversarial: the reports name points and their ratings of the prefecture, so prefecture staff
    get none — not their own (docs/security.md) and not another prefecture's — whatever they ask."""
    own, foreign = make_point("长沙市"), make_point("株洲市")
    _report(own, Q1, comment="长沙意见")
    _report(foreign, Q1, incidents="株洲事件")
    user = make_user("prefecture", "长沙市")
    login(client, user)
    attempts = ["", "?prefecture=430200", "?q=株洲", f"?q={foreign.enterprise.credit_code}", "?sort=prefecture&dir=desc",
                "?issue=incidents", "?page=2", f"?period={Q1}&prefecture=430200&sort=mean", "?prefecture=&prefecture=430200",
                "?from=2000-01-01&to=2999-12-31"]
    for query in attempts:
        for url in ("/feedback/reports", "/feedback/reports.xlsx"):
            response = client.get(url + query)
            assert response.status_code == 403 and "株洲事件" not in response.get_data(as_text=True), url + query
    assert "反馈明细" not in client.get("/feedback/").get_data(as_text=True)
    # Below the permission, the query is scoped too: asked for 株洲 by every filter and sort, it gives nothing of it.
    with app.test_request_context("/"):
        login_user(user)
        for sort in queries.REPORT_SORTS.columns:
            for descending in (False, True):
                for prefecture in ("", "430200"):
                    found = db.session.scalars(queries.reports_view(prefecture, "", "", "", None, None, sort, descending))
                    assert {f.prefecture_id for f in found} <= {own.enterprise.prefecture_id}
        assert [f.comment for f in db.session.scalars(queries.reports_view())] == ["长沙意见"]
        assert queries.earliest_visible_period() == Q1


def test_odd_query_strings_give_the_normal_page(client, make_point, make_user, login):
    _report(make_point(), Q1)
    login(client, make_user("admin"))
    for query in ("sort=nonsense&dir=sideways", "period=2026X9", "period=%27%3B--", "issue=everything", "from=31.12.2026",
                  "to=2026-02-30", "prefecture=999999", "q=%25_%5C", "page=99999", "clerk=abc"):
        response = client.get(f"/feedback/reports?{query}")
        assert response.status_code == 200 and "测评点反馈明细" in response.get_data(as_text=True), query
        assert client.get(f"/feedback/reports.xlsx?{query}").status_code == 200, query
    assert client.get("/feedback/reports?page=abc").status_code == 404  # as every list: a page is a number

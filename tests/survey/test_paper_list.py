"""The list of keyed paper forms: filters (state, prefecture, county, clerk, date keyed, number),
sorts, total, pages and the Excel download of the view."""
import datetime as dt
import io
import re

import sqlalchemy as sa

from investenv.audit.models import AuditEvent
from investenv.extensions import db
from investenv.timeutil import today, utcnow
from survey.models import PaperForm

from .test_paper import _key

CODE = re.compile(r'<td class="mono">(\d{4}-\d{4})</td>')


def _codes(client, url):
    return CODE.findall(client.get(url).get_data(as_text=True))


def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_keyed_forms_filter_sort_count_page_and_download(app, make_round, make_user, login, prefecture):
    survey_round = make_round()
    clerk1, clerk2, checker = (app.test_client() for _ in range(3))
    first, second = make_user("centre"), make_user("centre")
    first.display_name = "=录入员甲"  # a name a spreadsheet would run, were it not guarded
    db.session.commit()
    login(clerk1, first)
    login(clerk2, second)
    login(checker, make_user("admin", username="checker"))
    _key(clerk1, survey_round.id, code="4302-0001")
    _key(clerk2, survey_round.id, code="4302-0001", q1="C")  # awaiting adjudication
    _key(clerk1, survey_round.id, code="4302-0002", county="430203")  # awaiting its second keying
    _key(clerk2, survey_round.id, code="4301-0003", county="430102")
    _key(clerk1, survey_round.id, code="4301-0003", county="430102")  # verified at once
    old = db.session.scalar(sa.select(PaperForm).where(PaperForm.form_code == "4302-0002"))
    old.updated_at = utcnow() - dt.timedelta(days=3)
    db.session.commit()
    forms = f"/survey/rounds/{survey_round.id}/paper/forms"
    page = checker.get(forms).get_data(as_text=True)
    assert '共 <strong id="total">3</strong> 份' in page and "导出当前列表（Excel）" in page
    assert CODE.findall(page) == ["4302-0001", "4302-0002", "4301-0003"]  # adjudication first, then second keying
    assert "芦淞区" in page and "=录入员甲、" in page  # the county keyed first, before verification
    assert _codes(checker, f"{forms}?sort=code&dir=desc") == ["4302-0002", "4302-0001", "4301-0003"]
    assert _codes(checker, f"{forms}?sort=prefecture") == ["4301-0003", "4302-0001", "4302-0002"]
    assert _codes(checker, f"{forms}?sort=updated")[0] == "4302-0002"
    assert _codes(checker, f"{forms}?status=verified") == ["4301-0003"]
    assert _codes(checker, f"{forms}?status=first") == ["4302-0002"]
    assert _codes(checker, f"{forms}?prefecture=430100") == ["4301-0003"]
    assert _codes(checker, f"{forms}?county=430203") == ["4302-0002"]
    assert _codes(checker, f"{forms}?county=430102") == ["4301-0003"]  # verified: its county
    assert _codes(checker, f"{forms}?clerk={first.id}&sort=code") == ["4301-0003", "4302-0001", "4302-0002"]
    assert _codes(checker, f"{forms}?clerk={second.id}&sort=code") == ["4301-0003", "4302-0001"]
    day = today()
    assert _codes(checker, f"{forms}?to={day - dt.timedelta(days=1)}") == ["4302-0002"]
    assert _codes(checker, f"{forms}?from={day}&to={day}&sort=code") == ["4301-0003", "4302-0001"]
    assert _codes(checker, f"{forms}?q=0002") == ["4302-0002"]
    # The download is the view: same rows, same order, text guarded.
    for query in ("", "?sort=code&dir=desc", f"?clerk={second.id}", "?status=first", "?q=9999"):
        header, rows = _sheet(checker.get(f"{forms}.xlsx{query}"))
        assert [r[0] for r in rows] == _codes(checker, forms + query), query
    header, rows = _sheet(checker.get(f"{forms}.xlsx?sort=code"))
    assert header == ("编号", "市州", "县市区", "状态", "第一次录入", "第二次录入", "裁定", "最后录入时间")
    assert rows[0][:6] == ("4301-0003", "长沙市", "芙蓉区", "已核对", "测试用户", "'=录入员甲")
    assert rows[2][:6] == ("4302-0002", "株洲市", "芦淞区", "待第二次录入", "'=录入员甲", None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export", AuditEvent.target == f"paper-forms-{survey_round.id}.xlsx")) == 6
    # Numbered pages of 50, the filters kept in the links.
    zhuzhou = prefecture("株洲市")
    db.session.add_all(PaperForm(round_id=survey_round.id, form_code=f"4302-{n:04d}", prefecture_id=zhuzhou.id,
                                 first_answers={"q1": "A"}, first_clerk_id=first.id) for n in range(100, 149))
    db.session.commit()
    second_page = checker.get(f"{forms}?prefecture=430200&sort=code&page=2").get_data(as_text=True)
    assert '共 <strong id="total">51</strong> 份，显示第 51–51 份' in second_page
    assert CODE.findall(second_page) == ["4302-0148"]
    previous = re.search(r'<a href="([^"]*)">上一页</a>', second_page).group(1)
    assert "prefecture=430200" in previous and "sort=code" in previous and "page=1" in previous


def test_odd_query_strings_give_the_normal_list(client, make_round, make_user, login):
    survey_round = make_round()
    login(client, make_user("centre"))
    _key(client, survey_round.id)
    forms = f"/survey/rounds/{survey_round.id}/paper/forms"
    for query in ("status=lost", "sort=clerk&dir=up", "clerk=abc", "clerk=999999", "clerk=-1", "county=000000",
                  "from=yesterday", "to=2026-13-01", "prefecture=%27", "q=%25", "page=99999"):
        response = client.get(f"{forms}?{query}")
        assert response.status_code == 200 and "已录入的纸质问卷" in response.get_data(as_text=True), query
        assert client.get(f"{forms}.xlsx?{query}").status_code == 200, query
    assert '共 <strong id="total">1</strong> 份' in client.get(f"{forms}?clerk=abc").get_data(as_text=True)


def test_prefecture_staff_key_no_paper_forms(client, make_round, make_user, login):
    survey_round = make_round()
    login(client, make_user("prefecture", "长沙市"))
    for url in (f"/survey/rounds/{survey_round.id}/paper/forms", f"/survey/rounds/{survey_round.id}/paper/forms.xlsx"):
        assert client.get(url + "?prefecture=430200").status_code == 403

"""The survey results for staff: percentages with bars, the province's figure beside a
prefecture's, and the same table as an Excel file, still with small-cell suppression."""
import datetime as dt
import io

from openpyxl import load_workbook

from investenv.extensions import db
from investenv.timeutil import today
from survey import operations
from survey.models import Channel


def _closed_round(make_round, prefecture):
    survey_round = make_round(opens_on=today() - dt.timedelta(days=30), closes_on=today() - dt.timedelta(days=1))
    zz, cs = prefecture("株洲市").id, prefecture("长沙市").id
    for value in ["A"] * 6 + ["B"] * 2 + ["C"] * 5:
        operations.record_response(survey_round, zz, None, None, Channel.PAPER, {"q1": value}, today())
    for value in ["A"] * 3 + ["B"] * 7:
        operations.record_response(survey_round, cs, None, None, Channel.PAPER, {"q1": value}, today())
    db.session.commit()
    return survey_round


def _sheet(response):
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def test_prefecture_staff_see_percentages_beside_the_province_and_export_them_suppressed(
        client, make_user, login, make_round, prefecture):
    survey_round = _closed_round(make_round, prefecture)
    login(client, make_user("prefecture", "株洲市"))
    html = client.get(f"/survey/rounds/{survey_round.id}/results").get_data(as_text=True)
    q1 = html[html.index("1. 您对湖南经济发展前景"):].split("</table>")[0]
    assert "46.2%" in q1  # A: 6 of 13
    assert "<th scope=\"col\" class=\"share\">全省</th>" in q1
    assert q1.count("39.1%") == 2 and "21.7%" in q1  # the province: A 9, B 9, C 5 of 23 (all ≥ 5: shown)
    assert "15.4%" not in q1  # B (2 of 13) is suppressed, so has no percentage either
    assert '<rect width="46.2"' in q1
    rows = _sheet(client.get(f"/survey/rounds/{survey_round.id}/results.xlsx"))
    assert rows[0] == ("题号", "题目", "选项", "选项内容", "人数", "百分比", "全省人数", "全省百分比")
    q1_rows = [r for r in rows[1:] if r[0] == 1]
    assert [r[2:3] + r[4:] for r in q1_rows][:3] == [
        ("A", 6, 46.2, 9, 39.1), ("B", "<5", None, 9, 39.1), ("C", "<5", None, 5, 21.7)]
    assert client.get(f"/survey/rounds/{survey_round.id}/results.xlsx?prefecture=430100").status_code == 404


def test_the_office_exports_the_province_in_full(client, make_user, login, make_round, prefecture):
    survey_round = _closed_round(make_round, prefecture)
    login(client, make_user("analyst"))
    rows = _sheet(client.get(f"/survey/rounds/{survey_round.id}/results.xlsx"))
    assert rows[0] == ("题号", "题目", "选项", "选项内容", "人数", "百分比")
    assert [r[2:3] + r[4:] for r in rows[1:] if r[0] == 1][:3] == [("A", 9, 39.1), ("B", 9, 39.1), ("C", 5, 21.7)]
    rows = _sheet(client.get(f"/survey/rounds/{survey_round.id}/results.xlsx?prefecture=430100"))
    assert [r[2:3] + r[4:] for r in rows[1:] if r[0] == 1][:2] == [("A", 3, 30.0, 9, 39.1), ("B", 7, 70.0, 9, 39.1)]


def test_prefecture_staff_export_nothing_while_the_round_is_open(client, make_user, login, make_round):
    survey_round = make_round()
    login(client, make_user("prefecture", "株洲市"))
    response = client.get(f"/survey/rounds/{survey_round.id}/results.xlsx")
    assert response.status_code == 302 and response.location.endswith(f"/survey/rounds/{survey_round.id}/results")

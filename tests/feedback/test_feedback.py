"""Monitoring-point feedback: periods, the point's link, refusals, reminders, hotlines, bundle."""
import datetime as dt

import pytest
import sqlalchemy as sa

from feedback import periods
from feedback.models import Feedback
from investenv.extensions import db
from investenv.timeutil import today

RATINGS = {"d1": "5", "d2": "4", "d3": "3", "d4": "2", "d5": "1"}


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Feedback))


@pytest.mark.parametrize(
    ("code", "label", "starts"),
    [("2026Q3", "2026年第三季度", dt.date(2026, 7, 1)), ("2026Q1", "2026年第一季度", dt.date(2026, 1, 1)), ("2026M03", "2026年3月", dt.date(2026, 3, 1)),
     ("2026M12", "2026年12月", dt.date(2026, 12, 1)),
     ("2026H2", "2026年下半年", dt.date(2026, 7, 1))],
)
def test_periods_parse_label_and_start(code, label, starts):
    period = periods.parse(code)
    assert (period.code, period.label, period.starts_on) == (code, label, starts)


def test_period_arithmetic():
    assert periods.current(dt.date(2026, 11, 23), "quarter").code == "2026Q4"
    assert periods.parse("2026Q1").previous().code == "2025Q4"
    assert periods.current(dt.date(2026, 1, 5), "month").previous().code == "2025M12"
    with pytest.raises(ValueError, match="期间格式"):
        periods.parse("2026Q5")


def test_point_reports_through_its_link_and_sees_its_hotline(client, make_point):
    from feedback.operations import set_hotline

    point = make_point()
    set_hotline(point.enterprise.prefecture_id, "0731-12345678", "王海燕", "投诉服务中心")
    db.session.commit()
    page = client.get(f"/f/{point.feedback_token}").get_data(as_text=True)
    assert "0731-12345678" in page and "王海燕" in page and point.enterprise.name in page
    period = periods.current(today(), "quarter").previous().code
    response = client.post(f"/f/{point.feedback_token}", data=RATINGS | {"period": period, "incidents": "未经申报的检查"})
    assert response.status_code == 200 and "反馈已提交" in response.get_data(as_text=True)
    feedback = db.session.scalar(sa.select(Feedback))
    assert (feedback.period, feedback.ratings, feedback.incidents) == (period, [5, 4, 3, 2, 1], "未经申报的检查")
    assert feedback.prefecture.name == "株洲市"


@pytest.mark.parametrize(("field", "value", "message"), [("d1", "6", "评分应为 1（很差）到 5（很好）"), ("d3", "0", "评分应为 1")])
def test_ratings_outside_one_to_five_are_refused(client, make_point, field, value, message):
    point = make_point()
    period = periods.current(today(), "quarter").code
    response = client.post(f"/f/{point.feedback_token}", data=RATINGS | {field: value, "period": period})
    assert response.status_code == 400
    assert f'id="{field}-error">' in response.get_data(as_text=True)
    assert message in response.get_data(as_text=True)
    assert _count() == 0


def test_future_period_is_refused(client, make_point):
    point = make_point()
    future = f"{today().year + 1}Q1"
    response = client.post(f"/f/{point.feedback_token}", data=RATINGS | {"period": future})
    assert response.status_code == 400 and "尚未开始" in response.get_data(as_text=True)
    assert _count() == 0


def test_second_report_for_the_same_period_is_refused(client, make_point):
    point = make_point()
    period = periods.current(today(), "quarter").code
    assert client.post(f"/f/{point.feedback_token}", data=RATINGS | {"period": period}).status_code == 200
    again = client.post(f"/f/{point.feedback_token}", data=RATINGS | {"period": period, "d1": "1"})
    assert again.status_code == 400 and "已经提交，不能重复提交" in again.get_data(as_text=True)
    assert _count() == 1 and db.session.scalar(sa.select(Feedback.d1)) == 5


def test_withdrawn_points_and_unknown_links_get_404(client, make_point):
    point = make_point()
    point.withdrawn_on = today()
    db.session.commit()
    assert client.get(f"/f/{point.feedback_token}").status_code == 404
    assert client.get("/f/not-a-real-token").status_code == 404


def test_reminder_list_of_points_that_have_not_reported_is_the_provinces(client, make_point, make_user, login):
    reported, silent = make_point(), make_point()
    other = make_point("长沙市")
    period = periods.current(today(), "quarter").code
    client.post(f"/f/{reported.feedback_token}", data=RATINGS | {"period": period})
    login(client, make_user("centre"))
    html = client.get(f"/feedback/missing?period={period}").get_data(as_text=True)
    assert silent.enterprise.name in html and silent.feedback_token in html and other.enterprise.name in html
    assert reported.enterprise.name not in html
    assert "缺 1" in client.get("/feedback/").get_data(as_text=True)
    client.post("/logout")
    login(client, make_user("prefecture", "株洲市"))  # the evaluated prefecture sees no link and no point's status
    assert client.get(f"/feedback/missing?period={period}").status_code == 403
    assert client.get("/feedback/links").status_code == 403
    overview = client.get("/feedback/").get_data(as_text=True)
    assert "缺 1" not in overview and reported.enterprise.name not in overview and "少于 5" in overview


def test_feedback_bundle_import_is_all_or_nothing(app, make_point, make_enterprise, run_cli, tmp_path):
    from feedback.bundle import HEADER

    point = make_point()
    stranger = make_enterprise("株洲市")
    year = today().year
    good = [point.enterprise.credit_code, "430200", f"{year}Q1", "5", "4", "4", "3", "5", f"{year}-03-20"]
    rows = [good,
            [stranger.credit_code, "430200", f"{year}Q1", "3", "3", "3", "3", "3", ""],
            [point.enterprise.credit_code, "430100", f"{year + 1}Q1", "7", "3", "3", "3", "3", ""],
            good]
    path = tmp_path / "feedback.csv"
    path.write_text("\n".join(",".join(r) for r in [HEADER, *rows]), encoding="utf-8")
    result = run_cli(app, "import", "feedback", str(path))
    assert result.exit_code == 1
    assert "第 3 行【enterprise_code】" in result.output and "不是测评点" in result.output
    assert "第 4 行【prefecture_code】" in result.output and "第 4 行【period】" in result.output
    assert "第 4 行【d1】" in result.output and "第 5 行【period】与第 2 行是同一测评点的同一期反馈" in result.output
    assert _count() == 0
    path.write_text("\n".join(",".join(r) for r in [HEADER, good]), encoding="utf-8")
    assert run_cli(app, "import", "feedback", str(path)).exit_code == 0
    out = tmp_path / "out.csv"
    assert run_cli(app, "export", "feedback", "--year", str(year), str(out)).exit_code == 0
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines == [",".join(HEADER), ",".join(good)]


def test_centre_turns_an_incident_into_a_linked_complaint_in_one_step(client, make_point, make_user, login):
    from complaints.models import Complaint

    point = make_point()
    period = periods.current(today(), "quarter").code
    client.post(f"/f/{point.feedback_token}", data=RATINGS | {"period": period, "incidents": "某局未经申报检查"})
    feedback = db.session.scalar(sa.select(Feedback))
    login(client, make_user("centre"))
    assert "转为投诉案件" in client.get(f"/feedback/?period={period}").get_data(as_text=True)
    response = client.post(f"/feedback/{feedback.id}/complaint")
    case = db.session.scalar(sa.select(Complaint))
    assert response.status_code == 201 and f"案件编号 <strong class=\"mono\">{case.case_no}</strong>" in response.get_data(as_text=True)
    assert case.channel == "point" and "某局未经申报检查" in case.summary and case.enterprise_id == point.enterprise_id
    db.session.refresh(feedback)
    assert feedback.complaint_id == case.id
    again = client.post(f"/feedback/{feedback.id}/complaint", follow_redirects=True)
    assert "已立案" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 1


def test_the_dimensions_are_the_rating_columns_of_the_table():
    from feedback.vocabulary import DIMENSIONS

    table = Feedback.__table__
    assert [c for c in table.columns.keys() if c[0] == "d" and c[1:].isdigit()] == list(DIMENSIONS)
    checks = {c.name: str(c.sqltext) for c in table.constraints if isinstance(c, sa.CheckConstraint)}
    assert [checks[f"ck_feedback_{key}_range"] for key in DIMENSIONS] == [f"d{i} BETWEEN 1 AND 5" for i in range(1, 6)]


def test_the_link_says_the_period_is_reported_and_when_the_next_opens(client, make_point):
    point = make_point()
    now = periods.current(today(), "quarter")
    assert "本期已报送" not in client.get(f"/f/{point.feedback_token}").get_data(as_text=True)
    client.post(f"/f/{point.feedback_token}", data=RATINGS | {"period": now.code})
    page = client.get(f"/f/{point.feedback_token}").get_data(as_text=True)
    opens = now.next().starts_on
    assert f"本期已报送</strong>（{now.label}）" in page and f"于 {opens.year}年{opens.month}月1日 开放报送" in page
    assert f"{now.previous().label}尚未报送，可以在下面补报" in page and f"已报送：{now.label}" in page
    assert f'<option selected value="{now.previous().code}">' in page and now.code not in page.split("已报送：")[1]
    client.post(f"/f/{point.feedback_token}", data=RATINGS | {"period": now.previous().code})
    page = client.get(f"/f/{point.feedback_token}").get_data(as_text=True)
    assert "本期已报送" in page and "提交反馈" not in page and "补报" not in page

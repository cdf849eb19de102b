"""The office's dashboard: the report's charts, open-text themes, and the downloads."""
import csv

import pytest
import sqlalchemy as sa

from investenv.extensions import db
from survey.models import Response
from tests.report.conftest import HOSTILE

from ..conftest import job_file


@pytest.fixture
def demo(app, demo_database, run_cli, tmp_path):
    """The demo year whose only open answers are three hostile ones."""
    with app.app_context():
        for response in db.session.scalars(sa.select(Response)):
            response.answers = {k: v for k, v in response.answers.items() if k not in ("q32", "q33")}
        db.session.commit()
    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["prefecture_code", *(f"q{n}" for n in range(1, 34))])
        out.writerows([["430100", "A", *[""] * 30, HOSTILE[: 2000 - k], ""] for k in range(3)])  # open answers are at most 2000 characters
    result = run_cli(app, "import", "responses", str(path))
    assert result.exit_code == 0, result.output
    published = run_cli(app, "evaluation", "publish", "--year", "2026", "--note", "补录三份答卷")  # the dashboard shows it
    assert published.exit_code == 0, published.output


def test_the_dashboard_shows_the_charts_and_hostile_text_as_text(app, client, demo, make_user, login):
    login(client, make_user("analyst"))
    page = client.get("/evaluation/2026/dashboard").get_data(as_text=True)
    assert page.count('src="data:image/png;base64,') == 5
    assert "生成测评报告（PDF）" in page and 'action="/evaluation/2026/downloads/report"' in page
    assert "&lt;script&gt;alert(＊)" in page and "<script>alert" not in page
    assert "&lt;b&gt;加粗&lt;/b&gt;" in page and "&amp; 😀" in page
    assert client.get("/evaluation/dashboard?year=2026").headers["Location"].endswith("/evaluation/2026/dashboard")


def test_downloads_are_for_the_office_only(app, client, demo, make_user, login):
    login(client, make_user("admin"))
    assert job_file(client, client.post("/evaluation/2026/downloads/report")).startswith(b"%PDF")
    assert job_file(client, client.post("/evaluation/2026/downloads/bulletin")).startswith(b"%PDF")
    assert job_file(client, client.post("/evaluation/2026/downloads/workbook")).startswith(b"PK")
    failed = client.get(client.post("/evaluation/2019/downloads/report").headers["Location"]).get_data(as_text=True)
    assert "未能完成" in failed and "2019" in failed
    assert client.post("/evaluation/2026/downloads/nonsense").status_code == 404
    assert client.get("/evaluation/2019/dashboard").status_code == 404
    client.post("/logout")
    login(client, make_user("prefecture", "长沙市"))
    assert client.post("/evaluation/2026/downloads/report").status_code == 403


def test_a_missing_rate_is_drawn_as_missing_not_as_0_and_every_chart_has_its_table(
        app, demo_database, client, make_user, login, monkeypatch):
    import copy
    import math

    from evaluation.report import charts
    from evaluation.service import report_data

    data = copy.deepcopy(report_data(2026))
    first = data.evaluation.prefectures[0]
    first.detail["complaints"]["closure"]["rate"] = None
    monkeypatch.setattr(charts, "_png", lambda figure: figure)
    axes = charts.complaint_rates(data).axes[0]
    closure = axes.containers[0]  # the first measure's bars, one per prefecture in rank order
    assert math.isnan(closure[0].get_height()) and closure[1].get_height() >= 0
    assert [t.get_text() for t in axes.texts] == ["无"]
    assert "“无”为不计的比率" in axes.get_title()
    monkeypatch.undo()

    login(client, make_user("analyst"))
    page = client.get("/evaluation/2026/dashboard").get_data(as_text=True)
    assert page.count('<details class="chart-table">') == 5 and "以表格查看" in page

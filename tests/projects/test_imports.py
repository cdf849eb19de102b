"""The ledger's imports refuse bad files with row-level errors in Chinese and write nothing; the
export writes projects.csv whose rows give back the page's facts."""
import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from investenv.extensions import db
from investenv.tabular import TableError
from investenv.timeutil import today
from projects import bundle, queries
from projects.models import FundsArrival, MonthlyReport, Problem, Project, StageEvent
from scoring import projects as kpis

from ..conftest import MAX_BYTES

DAY = dt.date(2026, 6, 30)
HEADER = [c.label for c in bundle.PROJECT_COLUMNS]
GOOD = dict(zip([c.key for c in bundle.PROJECT_COLUMNS], bundle.EXAMPLES["projects"], strict=True))


def _file(rows: list[dict], encoding: str = "utf-8-sig", columns=bundle.PROJECT_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in columns])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in columns])
    return out.getvalue().encode(encoding)


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Project, StageEvent, MonthlyReport, FundsArrival, Problem)]


@pytest.mark.parametrize("change, column, message", [
    ({"prefecture": "火星市"}, "prefecture", "没有这个市州"),
    ({"county": "荷塘区"}, "county", "湘潭市没有县市区"),
    ({"contract_investment": "-5"}, "contract_investment", "不能为负数"),
    ({"contract_funds": "NaN"}, "contract_funds", "应为数字"),
    ({"contract_funds": "1e9"}, "contract_funds", "应为数字"),
    ({"due_start": "2026-01-01"}, "due_start", "早于签约日期"),
    ({"stage": "在谈"}, "signed_on", "尚未签约的项目不能有签约日期"),
    ({"industry": "四产"}, "industry", "产业应为"),
    ({"signed_on": "2026-13-01"}, "signed_on", "日期格式"),
    ({"credit_code": "91430000XXXXXXXXXX"}, "credit_code", "企业名录中没有"),
])
def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_written(app, change, column, message):
    before = _counts()
    count, errors = bundle.import_projects(_file([GOOD, GOOD | {"name": "另一个项目"} | change]), MAX_BYTES, None, None, DAY)
    assert count == 0 and _counts() == before
    assert [(e.row, e.column) for e in errors] == [(3, column)], errors
    assert message in errors[0].message


def test_a_good_gbk_file_is_imported_and_codes_are_given(app):
    rows = [GOOD, GOOD | {"name": "湘潭示例物流中心", "industry": "三产", "stage": "开工", "stage_on": "2026-06-01"}]
    count, errors = bundle.import_projects(_file(rows, "gbk"), MAX_BYTES, None, None, DAY)
    assert (count, errors) == (2, [])
    projects = db.session.scalars(sa.select(Project).order_by(Project.code)).all()
    assert [p.code for p in projects] == ["XM-4303-0001", "XM-4303-0002"]
    assert [e.stage for e in projects[1].events] == ["signed", "started"]
    again, errors = bundle.import_projects(_file([GOOD]), MAX_BYTES, None, None, DAY)
    assert again == 0 and "已有项目" in errors[0].message


def test_duplicate_rows_and_another_prefecture_are_refused(app, prefecture):
    count, errors = bundle.import_projects(_file([GOOD, GOOD]), MAX_BYTES, None, None, DAY)
    assert count == 0 and "与第 2 行是同一市州的同名项目" in errors[0].message
    count, errors = bundle.import_projects(_file([GOOD]), MAX_BYTES, prefecture("长沙市").id, None, DAY)
    assert count == 0 and "只能导入本市州的项目" in errors[0].message


def test_an_oversize_file_is_refused_before_reading(app):
    with pytest.raises(TableError):
        bundle.import_projects(_file([GOOD]), 10, None, None, DAY)


def _monthly(rows):
    return _file(rows, columns=bundle.MONTHLY_COLUMNS)


def test_monthly_reports_are_imported_all_or_nothing(app, prefecture):
    bundle.import_projects(_file([GOOD]), MAX_BYTES, None, None, DAY)
    good = {"month": "2026-06", "project_code": "XM-4303-0001", "funds": "30000000", "stage": "开工",
            "stage_on": "2026-06-18", "problem_kind": "供地", "problem": "二期用地指标尚未落实", "help_asked": "请求协调"}
    before = _counts()
    for bad, column in (({"project_code": "XM-9999-0001"}, "project_code"), ({"funds": "-1"}, "funds"),
                        ({"stage_on": "2026-05-01"}, "stage"), ({"stage": "储备"}, "stage"),
                        ({"month": "2026-13"}, "month"), ({"problem_kind": "天气"}, "problem")):
        count, errors = bundle.import_monthly(_monthly([good | bad]), MAX_BYTES, None, None, DAY)
        assert count == 0 and errors and errors[0].column == column, (bad, errors)
        assert _counts() == before
    count, errors = bundle.import_monthly(_monthly([good]), MAX_BYTES, prefecture("长沙市").id, None, DAY)
    assert count == 0 and "不属于本市州" in errors[0].message
    count, errors = bundle.import_monthly(_monthly([good]), MAX_BYTES, None, None, DAY)
    assert (count, errors) == (2, [])
    project = db.session.scalar(sa.select(Project))
    assert project.stage == "started"
    facts = queries.project_facts(project, DAY)
    assert facts.funds_total == 30_000_000 and facts.met["start"] == dt.date(2026, 6, 18)
    count, errors = bundle.import_monthly(_monthly([good | {"stage": ""}]), MAX_BYTES, None, None, DAY)
    assert count == 0 and "不能重复报送" in errors[0].message


def test_cli_import_and_export(app, run_cli, tmp_path):
    source = tmp_path / "projects.csv"
    source.write_bytes(_file([GOOD | {"signed_on": "2026-03-18", "stage_on": ""}]))
    result = run_cli(app, "import", "projects", str(source))
    assert result.exit_code == 0 and "已导入 1 个项目" in result.output, result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_file([GOOD | {"name": "x", "contract_investment": "-1"}]))
    result = run_cli(app, "import", "projects", str(bad))
    assert result.exit_code != 0 and "合同总投资" in result.output and "未写入任何数据" in result.output
    target = tmp_path / "out.csv"
    result = run_cli(app, "export", "projects", "--year", "2026", str(target))
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
        assert list(rows[0]) == kpis.HEADER and rows[0]["prefecture_code"] == "430300" and rows[0]["outside"] == "1"
        day = min(today(), dt.date(2026, 12, 31))
        assert [kpis.Facts.from_row(r) for r in rows] == queries.facts(2026, day)

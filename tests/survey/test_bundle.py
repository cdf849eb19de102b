"""responses.csv: export columns, and an all-or-nothing import with errors by row."""
import csv
import io

import pytest
import sqlalchemy as sa

from investenv.extensions import db
from investenv.tabular import TableError
from survey import bundle
from survey.models import Response
from survey.questionnaire import load

HEADER = bundle.header()


def _csv(rows, header=HEADER, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    return out.getvalue().encode(encoding)


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def test_header_is_exactly_the_documented_one():
    assert HEADER[:6] == ["response_id", "enterprise_code", "prefecture_code", "year", "channel", "submitted_on"]
    assert HEADER[6:39] == [f"q{n}" for n in range(1, 34)]
    assert HEADER[39:] == ["q5_other", "q10_other", "q13_other", "q22_other", "q23_other", "q25_other",
                           "q28_other", "origin_province", "origin_city", "occupation"]


def test_import_then_export_round_trips(app, make_round, run_cli, tmp_path):
    survey_round = make_round()
    rows = [{"prefecture_code": "430200", "q1": "a", "q4": "B", "q5": "D", "q5_other": "地价", "q7": "CA",
             "q32": "意见，含逗号", "origin_province": "广东省"},
            {"prefecture_code": "430100", "q2": "C"}]
    count, errors = bundle.import_responses(_csv(rows), 10**7, survey_round, survey_round.opens_on)
    db.session.commit()
    assert (count, errors) == (2, [])
    path = tmp_path / "responses.csv"
    result = run_cli(app, "export", "responses", "--year", str(survey_round.year), str(path))
    assert result.exit_code == 0 and "已导出 2 行问卷答卷" in result.output
    exported = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert list(exported[0]) == HEADER
    first = next(r for r in exported if r["prefecture_code"] == "430200")
    assert (first["q1"], first["q7"], first["q5_other"], first["q32"]) == ("A", "AC", "地价", "意见，含逗号")
    assert first["enterprise_code"] == "" and first["channel"] == "import" and first["year"] == str(survey_round.year)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"q1": "D"}, "q1", "没有选项 D"),
        ({"q1": "AB"}, "q1", "单选题只能选一项"),
        ({"q4": "C", "q5": "A"}, "q5", "只有第4题选"),
        ({"q33": "x" * 10_000}, "q33", "不能超过 2000 字"),
        ({"prefecture_code": "999999"}, "prefecture_code", "未知的市州代码"),
        ({"submitted_on": "2026-02-30"}, "submitted_on", "日期格式"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(app, make_round, row, column, message):
    survey_round = make_round()
    good = {"prefecture_code": "430100", "q1": "A"}
    count, errors = bundle.import_responses(_csv([good, good | row]), 10**7, survey_round, survey_round.opens_on)
    db.session.rollback()
    assert count == 0 and _count() == 0
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message


def test_missing_columns_and_invalid_encoding_are_refused_whole(app, make_round):
    survey_round = make_round()
    with pytest.raises(TableError, match="缺少必需的列：q1"):
        bundle.import_responses(_csv([{"prefecture_code": "430100"}], header=[h for h in HEADER if h != "q1"]),
                                10**7, survey_round, survey_round.opens_on)
    broken = _csv([{"prefecture_code": "430100", "q32": "意见"}]) + b"\xff\xfe\x80"
    with pytest.raises(TableError, match="无法识别文件编码"):
        bundle.import_responses(broken, 10**7, survey_round, survey_round.opens_on)
    assert _count() == 0


def test_a_closed_round_refuses_imports(app, make_round, run_cli, tmp_path):
    import datetime as dt

    from investenv.timeutil import today

    closed = make_round(today() - dt.timedelta(days=40), today() - dt.timedelta(days=5))
    path = tmp_path / "late.csv"
    path.write_bytes(_csv([{"prefecture_code": "430100", "q1": "A"}]))
    result = run_cli(app, "import", "responses", str(path), "--round", str(closed.id))
    assert result.exit_code == 1 and "已于" in result.output and "截止" in result.output
    assert _count() == 0


def test_gbk_file_is_read(app, make_round):
    survey_round = make_round()
    data = _csv([{"prefecture_code": "430100", "q32": "审批太慢"}], encoding="gbk")
    count, errors = bundle.import_responses(data, 10**7, survey_round, survey_round.opens_on)
    assert (count, errors) == (1, [])
    assert load().columns[-1] == "occupation"

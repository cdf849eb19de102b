"""All-or-nothing import of the enterprise registry, with row-level errors in Chinese."""
import io
import os

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from investenv.extensions import db
from investenv.registry.credit_code import compose
from investenv.registry.importer import COLUMNS, import_enterprises
from investenv.registry.models import Enterprise, MonitoringPoint
from investenv.tabular import TableError

HEADER = [c.label for c in COLUMNS]
LIMIT = 10 * 1024 * 1024
GOOD = [
    ["长沙华鑫电子科技有限公司", compose("91", "430181", "MA4L0001"), "长沙市", "浏阳市", "广东省", "深圳市", "C", "张三", "0731-1", "是", "2025-10-01"],
    ["株洲远大新材料有限公司", compose("91", "430281", "MA4L0002"), "430200", "醴陵市", "浙江", "温州市", "制造业", "", "", "否", ""],
    ["湘西湘江旅游开发有限公司", compose("91", "433123", "MA4L0003"), "湘西土家族苗族自治州", "433123", "境外", "新加坡", "", "", "", "", ""],
]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig"):
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def counts():
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)),
        db.session.scalar(sa.select(sa.func.count()).select_from(MonitoringPoint)),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "gbk"])
def test_good_file_is_imported_in_every_format(app, fmt):
    data = {"csv": csv_bytes, "xlsx": xlsx_bytes, "gbk": lambda r: csv_bytes(r, encoding="gbk")}[fmt](GOOD)
    report = import_enterprises(data, LIMIT, None, update_existing=False)
    db.session.commit()
    assert report.errors == []
    assert (report.created, report.points) == (3, 1)
    xiangxi = db.session.scalar(sa.select(Enterprise).where(Enterprise.name.like("湘西%")))
    assert (xiangxi.county.name, xiangxi.origin_province, xiangxi.industry) == ("凤凰县", "境外", None)
    zhuzhou = db.session.scalar(sa.select(Enterprise).where(Enterprise.name.like("株洲%")))
    assert (zhuzhou.origin_province, zhuzhou.industry) == ("浙江省", "C")


def _bad(rows_or_data, app):
    before = counts()
    data = rows_or_data if isinstance(rows_or_data, bytes) else csv_bytes(rows_or_data)
    report = import_enterprises(data, LIMIT, None, update_existing=False)
    db.session.rollback()
    assert counts() == before, "a rejected import must write nothing"
    return [(e.row, e.column, e.message) for e in report.errors]


def test_each_bad_row_is_listed_with_row_column_and_reason_and_nothing_is_written(app, make_enterprise):
    existing = make_enterprise("长沙市")
    wrong_digit = GOOD[0][1][:-1] + ("0" if GOOD[0][1][-1] != "0" else "1")
    rows = [
        GOOD[0],
        [GOOD[1][0], wrong_digit, *GOOD[1][2:]],  # row 3: wrong check digit
        ["某企业", compose("91", "430100", "MA4L0009"), "武汉市", "江岸区", "湖北省", "", "", "", "", "", ""],
        ["某企业2", compose("91", "430100", "MA4L0010"), "长沙市", "醴陵市", "湖北省", "", "", "", "", "", ""],
        GOOD[0],  # row 6: duplicate of row 2
        ["某企业3", existing.credit_code, "长沙市", "芙蓉区", "火星", "", "Z", "", "", "也许", ""],
    ]
    errors = _bad(rows, app)
    assert (3, "统一社会信用代码", errors[0][2]) == errors[0] and "校验位错误" in errors[0][2]
    assert (4, "市州", "未知的市州：武汉市") in errors
    assert (5, "县市区", "长沙市没有名为“醴陵市”的县市区") in errors
    assert (6, "统一社会信用代码", "与第 2 行的统一社会信用代码重复") in errors
    row7 = {column: message for row, column, message in errors if row == 7}
    assert set(row7) == {"统一社会信用代码", "投资方来源省份", "行业门类", "是否测评点"}
    assert "已在登记册中" in row7["统一社会信用代码"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (csv_bytes(GOOD, header=HEADER[:2] + HEADER[3:]), "缺少必需的列：市州"),
        (csv_bytes(GOOD, header=HEADER[:-1] + ["备注"]), "无法识别的列：备注"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00", "这不是表格文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "不支持旧版 .xls"),
        (b"PK\x03\x04broken zip", "无法读取该 Excel 文件"),
        (b"", "文件为空"),
        ("\n".join(HEADER).encode("utf-16"), "这不是表格文件"),
        (",".join(HEADER).encode() + b"\n", "没有数据行"),
    ],
)
def test_unreadable_files_are_refused_whole(app, data, message):
    before = counts()
    with pytest.raises(TableError, match=message):
        import_enterprises(data, LIMIT, None, update_existing=False)
    assert counts() == before


def test_ten_megabytes_of_random_bytes_are_refused(app):
    data = os.urandom(10 * 1024 * 1024)
    with pytest.raises(TableError):
        import_enterprises(data, LIMIT, None, update_existing=False)
    with pytest.raises(TableError, match="文件过大"):
        import_enterprises(data + b"x", LIMIT, None, update_existing=False)


def test_invalid_utf8_that_is_not_gbk_either_is_refused(app):
    with pytest.raises(TableError, match="无法识别文件编码"):
        import_enterprises(csv_bytes(GOOD) + b"\xff\xff\xff", LIMIT, None, update_existing=False)


def test_update_existing_changes_the_enterprise_instead_of_refusing(app, make_enterprise):
    existing = make_enterprise("长沙市", county_index=0)
    row = ["新名称有限公司", existing.credit_code, "长沙市", "浏阳市", "上海", "上海市", "I", "李四", "1", "是", "2025-09-09"]
    report = import_enterprises(csv_bytes([row]), LIMIT, None, update_existing=True)
    db.session.commit()
    assert (report.created, report.updated, report.points, report.errors) == (0, 1, 1, [])
    db.session.refresh(existing)
    assert (existing.name, existing.county.name, existing.origin_province) == ("新名称有限公司", "浏阳市", "上海市")
    assert existing.monitoring_point.registered_on.isoformat() == "2025-09-09"


def test_prefecture_staff_import_only_into_their_own_prefecture(app, prefecture):
    errors = []
    report = import_enterprises(csv_bytes(GOOD), LIMIT, prefecture("长沙市").id, update_existing=False)
    db.session.rollback()
    errors = [(e.row, e.column) for e in report.errors]
    assert errors == [(3, "市州"), (4, "市州")]
    assert counts() == (0, 0)

"""No upload can hold a worker: every import is bounded in size, decompressed bytes, cells, rows and
time, refuses XML with a DTD, and answers with a Chinese message that writes nothing."""
import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from investenv import tabular
from investenv.tabular import Column, TableError, read_table

from .conftest import MAX_BYTES
from .test_fuzz import _all_or_nothing

IMPORTS = ["enterprises", "responses", "feedback", "spotchecks", "complaints", "projects", "monthly-reports"]


def _workbook(header: list[str], rows: int = 1) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for _ in range(rows):
        sheet.append(["x"] * len(header))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, part: str, change) -> bytes:
    """The XLSX ``data`` with one part replaced by ``change(old bytes)``."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, change(body) if info.filename == part else body)
    return out.getvalue()


def _wide_sheet(rows: int, columns: int) -> bytes:
    """A small XLSX whose first sheet has ``rows`` × ``columns`` cells (the 3.7 MB attack file had 100,000 × 300)."""
    cells = "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in range(columns))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(f"<row>{cells}</row>" for _ in range(rows)) + "</sheetData></worksheet>")
    return _rewrite(_workbook(["a"]), "xl/worksheets/sheet1.xml", lambda _: sheet.encode())


@pytest.mark.parametrize("name", IMPORTS)
def test_a_sheet_of_too_many_cells_is_refused_quickly(importers, name):
    header, run = importers[name]
    data = _wide_sheet(2000, 300)  # 600,000 cells in well under a megabyte
    assert len(data) < MAX_BYTES
    started = time.monotonic()
    with pytest.raises(TableError, match="单元格数超过上限"):
        run(data)
    assert time.monotonic() - started < 10
    _all_or_nothing(run, data)


@pytest.mark.parametrize("name", IMPORTS)
def test_an_xlsx_that_decompresses_to_too_much_is_refused_before_parsing(importers, name):
    header, run = importers[name]
    bomb = _rewrite(_workbook(header), "xl/worksheets/sheet1.xml", lambda old: old + b" " * (100 * 2**20))
    assert len(bomb) < 2**20
    with pytest.raises(TableError, match="解压后超过"):
        run(bomb)


@pytest.mark.parametrize("name", IMPORTS)
def test_an_xlsx_carrying_a_dtd_is_refused_with_a_message(importers, name):
    header, run = importers[name]
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    data = _rewrite(_workbook(header), "xl/worksheets/sheet1.xml", lambda old: laughs + old.split(b"?>", 1)[-1])
    with pytest.raises(TableError, match="DTD"):
        run(data)
    _all_or_nothing(run, data)


def test_a_zip_that_lies_about_its_sizes_is_still_bounded():
    data = bytearray(_rewrite(_workbook(["a"]), "xl/worksheets/sheet1.xml", lambda old: old + b" " * (100 * 2**20)))
    # Claim a tiny uncompressed size in the central directory: the bound counts what decompression yields.
    directory = data.rfind(b"PK\x01\x02")
    while directory != -1:
        data[directory + 24:directory + 28] = (1000).to_bytes(4, "little")
        directory = data.rfind(b"PK\x01\x02", 0, directory)
    with pytest.raises(TableError):
        read_table(bytes(data), [Column("a", "a")], MAX_BYTES)


def test_reading_stops_at_its_time_budget():
    rows = "\n".join(f"{i},x" for i in range(5000))
    with pytest.raises(TableError, match="秒"):
        read_table(f"a,b\n{rows}".encode(), [Column("a", "a"), Column("b", "b")], MAX_BYTES, seconds=0)


def test_csv_is_bounded_in_rows_and_cells():
    too_many_rows = ("a\n" + "x\n" * (tabular.MAX_ROWS + 1)).encode()
    with pytest.raises(TableError, match="行数超过上限"):
        read_table(too_many_rows, [Column("a", "a")], MAX_BYTES)
    wide = ("a\n" + ("x," * 2000 + "x\n") * 300).encode()
    with pytest.raises(TableError, match="单元格数超过上限"):
        read_table(wide, [Column("a", "a")], MAX_BYTES)


def test_upload_of_a_cell_bomb_answers_the_import_page_with_a_message(client, make_user, login):
    login(client, make_user("prefecture", "长沙市"))
    response = client.post("/registry/import", data={"file": (io.BytesIO(_wide_sheet(2000, 300)), "x.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "单元格数超过上限" in response.get_data(as_text=True)

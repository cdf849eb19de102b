"""Tables as data: reading uploaded tables (CSV or XLSX) for the all-or-nothing imports, and
writing tables of text exactly as they are (:func:`csv_bytes`, :func:`xlsx_bytes`; the evaluation
bundle's files).

The content decides the format, never the file name: a ZIP container is read as XLSX, text as
CSV in UTF-8 (with or without BOM) or GB18030/GBK, and anything else is refused with a Chinese
message that says what to do.  Downloads meant for people add a spreadsheet-formula guard on top
(:mod:`investenv.exporting`).

Every file is bounded before and while it is read, so that no upload can hold a worker: its size
(the upload limit), for XLSX the bytes its parts decompress to (counted while decompressing, not
taken from the archive's own claims) and no DTD in any part (entity expansion), the number of rows
and of cells, and the time spent reading.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import dataclass

MAX_ROWS = 100_000
MAX_CELLS = 500_000                  # e.g. 11,000 questionnaires of 45 columns, 45,000 enterprises of 11
MAX_UNCOMPRESSED = 40 * 2**20        # an XLSX of MAX_CELLS short cells decompresses to about 30 MB
MAX_SECONDS = 30.0
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")   # a cell element of a worksheet part, with or without a prefix
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class TableError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = True


@dataclass(frozen=True)
class Row:
    number: int  # the row number a spreadsheet program shows; the header is row 1
    values: dict[str, str]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def row_date(row: Row, column: str, default: dt.date, errors: list[RowError]) -> dt.date:
    """The row's date in ``column`` (``YYYY-MM-DD``), ``default`` when blank; a bad date is
    added to ``errors`` (and ``default`` returned, so checking can go on)."""
    raw = row.values[column].strip()
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(RowError(row.number, column, f"日期格式应为 YYYY-MM-DD：{raw}"))
        return default


def _too_many_cells() -> TableError:
    return TableError(f"单元格数超过上限 {MAX_CELLS:,}（多余的列也算在内）。请删去模板以外的列，或分成几个文件导入。")


class _Budget:
    """Counts rows and cells as they are read and stops the reading when a bound is passed."""

    def __init__(self, seconds: float):
        self.deadline, self.rows, self.cells = time.monotonic() + seconds, 0, 0

    def count(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > MAX_ROWS + 1:
            raise TableError(f"行数超过上限 {MAX_ROWS:,}。请分成几个文件导入。")
        if self.cells > MAX_CELLS:
            raise _too_many_cells()
        if self.rows % 1000 == 0 and time.monotonic() > self.deadline:
            raise TableError(f"读取文件超过 {MAX_SECONDS:.0f} 秒仍未完成，已停止。请删去模板以外的内容，或分成几个文件导入。")


def read_table(data: bytes, columns: list[Column], max_bytes: int, seconds: float = MAX_SECONDS) -> list[Row]:
    """Parse ``data`` into rows keyed by column key, or raise :class:`TableError`."""
    if not data:
        raise TableError("文件为空。")
    if len(data) > max_bytes:
        raise TableError(f"文件过大（{len(data) / 2**20:.1f} MB），上限为 {max_bytes / 2**20:.0f} MB。")
    budget = _Budget(seconds)
    if data.startswith(_XLSX_MAGIC):
        records = _xlsx_records(data, budget)
    elif data.startswith(_OLE_MAGIC):
        raise TableError("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再导入。")
    else:
        records = _csv_records(data, budget)
    return _to_rows(records, columns)


_UNREADABLE_XLSX = "无法读取该 Excel 文件：文件已损坏，或不是 .xlsx 格式。"


def _check_container(data: bytes) -> None:
    """Decompress every part once, counting the bytes it really yields, the cells of the worksheets
    and looking for a DTD, before the spreadsheet library (slow on huge sheets) sees the file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = cells = 0
        for info in archive.infolist():
            worksheet = info.filename.startswith("xl/worksheets/")
            with archive.open(info) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:
                        raise TableError(f"该 Excel 文件解压后超过 {MAX_UNCOMPRESSED // 2**20} MB，内容过多。"
                                         "请删去模板以外的工作表、行和列，或分成几个文件导入。")
                    if b"<!DOCTYPE" in (tail + chunk).upper() or b"<!ENTITY" in (tail + chunk).upper():
                        raise TableError("该 Excel 文件含有 DTD 声明（<!DOCTYPE>），出于安全原因不予读取。"
                                         "请在 Excel 中另存为新的 .xlsx 文件后再导入。")
                    if worksheet:
                        cells += len(_CELL.findall(chunk))
                        if cells > MAX_CELLS:
                            raise _too_many_cells()
                    tail = chunk[-16:]
    except TableError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise TableError(_UNREADABLE_XLSX) from exc


def _xlsx_records(data: bytes, budget: _Budget) -> list[list[str]]:
    from openpyxl import load_workbook  # openpyxl is loaded only when a spreadsheet is read

    _check_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except Exception as exc:  # openpyxl reports a broken workbook in many ways (KeyError, ParseError, …)
        raise TableError(_UNREADABLE_XLSX) from exc
    try:
        sheet = workbook.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            budget.count(len(values))
            records.append([_cell_text(v) for v in values])
        return records
    except TableError:
        raise
    except Exception as exc:
        raise TableError(_UNREADABLE_XLSX) from exc
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_records(data: bytes, budget: _Budget) -> list[list[str]]:
    if b"\x00" in data[:8192]:
        raise TableError("这不是表格文件：请上传 CSV 或 XLSX 文件。")
    text = _decode(data)
    records = []
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            budget.count(len(record))
            records.append([cell.strip() for cell in record])
    except csv.Error as exc:
        raise TableError(f"CSV 格式错误：{exc}") from exc
    return records


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("无法识别文件编码：请将 CSV 保存为 UTF-8 或 GBK 编码。")


def _to_rows(records: list[list[str]], columns: list[Column]) -> list[Row]:
    records = [r for r in records]
    while records and not any(records[0]):
        records.pop(0)
    if not records:
        raise TableError("文件中没有表头行。")
    by_name = {c.label: c for c in columns} | {c.key: c for c in columns}
    header = [h.strip() for h in records[0]]
    unknown = [h for h in header if h and h not in by_name]
    if unknown:
        raise TableError(f"无法识别的列：{'、'.join(unknown)}。请使用下载的模板。")
    present = {by_name[h].key for h in header if h}
    missing = [c.label for c in columns if c.required and c.key not in present]
    if missing:
        raise TableError(f"缺少必需的列：{'、'.join(missing)}。")
    keys = [by_name[h].key if h else None for h in header]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(record):
            continue
        values = {c.key: "" for c in columns}
        for key, cell in zip(keys, record, strict=False):  # short rows leave cells blank
            if key:
                values[key] = cell
        rows.append(Row(number, values))
    if not rows:
        raise TableError("文件中没有数据行。")
    return rows


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 CSV with BOM (what Excel and :func:`read_table` recognise), every cell as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet: str, header: list[str], rows: list[list[str]]) -> bytes:
    """One XLSX sheet of text cells, every cell as it is: stored as a string, never as a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for values in [header, *rows]:
        worksheet.append(values)
    for line in worksheet.iter_rows():
        for cell in line:
            if cell.data_type == "f":  # openpyxl takes text with a leading "=" for a formula
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

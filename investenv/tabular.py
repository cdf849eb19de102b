"""Tables as data: reading uploaded tables (CSV or XLSX) for the all-or-nothing imports, and
writing tables of text exactly as they are (:func:`csv_bytes`, :func:`xlsx_bytes`; the evaluation
bundle's files).

The content decides the format, never the file name: a ZIP container is read as XLSX, text as
CSV in UTF-8 (with or without BOM) or GB18030/GBK, and anything else is refused with a Chinese
message that says what to do.  Downloads meant for people add a spreadsheet-formula guard on top
(:mod:`investenv.exporting`).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

MAX_ROWS = 100_000
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


def read_table(data: bytes, columns: list[Column], max_bytes: int) -> list[Row]:
    """Parse ``data`` into rows keyed by column key, or raise :class:`TableError`."""
    if not data:
        raise TableError("文件为空。")
    if len(data) > max_bytes:
        raise TableError(f"文件过大（{len(data) / 2**20:.1f} MB），上限为 {max_bytes / 2**20:.0f} MB。")
    if data.startswith(_XLSX_MAGIC):
        records = _xlsx_records(data)
    elif data.startswith(_OLE_MAGIC):
        raise TableError("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再导入。")
    else:
        records = _csv_records(data)
    return _to_rows(records, columns)


def _xlsx_records(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError("无法读取该 Excel 文件：文件已损坏，或不是 .xlsx 格式。") from exc
    try:
        sheet = workbook.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            records.append([_cell_text(v) for v in values])
            if len(records) > MAX_ROWS + 1:
                raise TableError(f"行数超过上限 {MAX_ROWS}。")
        return records
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


def _csv_records(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:8192]:
        raise TableError("这不是表格文件：请上传 CSV 或 XLSX 文件。")
    text = _decode(data)
    try:
        records = [[cell.strip() for cell in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise TableError(f"CSV 格式错误：{exc}") from exc
    if len(records) > MAX_ROWS + 1:
        raise TableError(f"行数超过上限 {MAX_ROWS}。")
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

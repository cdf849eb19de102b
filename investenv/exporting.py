"""Writing tables for download, safe against spreadsheet formula injection."""
from __future__ import annotations

import io
import unicodedata

from flask import Response

from . import audit, tabular

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str:
    """Text a spreadsheet program will not run: a cell whose first character, after any spaces and
    read as its compatibility form (so full-width ``＝ ＋ － ＠`` too, which some spreadsheet programs
    and input methods turn into the ASCII sign), starts a formula is escaped with ``'``."""
    text = "" if value is None else str(value)
    head = unicodedata.normalize("NFKC", text.lstrip(" \u3000\u00a0")[:1])
    return "'" + text if head.startswith(_FORMULA_PREFIXES) else text


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 CSV with BOM, so that Excel recognises the encoding; every cell guarded."""
    return tabular.csv_bytes(header, [[safe_cell(v) for v in row] for row in rows])


def xlsx_bytes(title: str, header: list[str], rows: list[list]) -> bytes:
    return workbook_bytes([(title, header, [[safe_cell(v) for v in row] for row in rows])])


def workbook_bytes(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An XLSX file with one sheet per (title, header, rows); numbers stay numbers, text is guarded."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([v if isinstance(v, int | float) and not isinstance(v, bool) else safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attachment(body: bytes, mimetype: str, filename: str) -> Response:
    """A download response (ASCII file name, so every browser keeps it); every download is audited."""
    audit.note("export", filename)
    response = Response(body)
    response.content_type = mimetype  # as given: a text type names its charset once
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response

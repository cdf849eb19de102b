"""A year of the database as the evaluation bundle (docs/data-formats.md): each domain's
``bundle.export_rows`` gives its file's header and rows of text, which the ranking and the report
assemble in memory (:mod:`.service`) and ``investenv export`` writes to files.

The files are data, written as they are by :mod:`investenv.tabular`: no cell is altered (the
spreadsheet-formula guard of :mod:`investenv.exporting` is for downloads meant for people), so
that ranking the exported files gives exactly the database's result."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from complaints.bundle import export_rows as complaint_rows
from feedback.bundle import export_rows as feedback_rows
from investenv.tabular import csv_bytes, xlsx_bytes
from projects.bundle import export_rows as project_rows
from spotchecks.bundle import export_rows as spotcheck_rows
from survey.bundle import export_rows as response_rows

# The files of the evaluation bundle: name → (what it holds, the year's header and rows).
FILES = {
    "responses": ("问卷答卷（responses.csv）", response_rows),
    "feedback": ("测评点反馈（feedback.csv）", feedback_rows),
    "spotchecks": ("联合抽查评分（spotchecks.csv）", spotcheck_rows),
    "complaints": ("投诉案件（complaints.csv）", complaint_rows),
}


# Files a method may rank by beside the four (scoring.method.OPTIONAL: the source and the file share
# the name); the database's bundle holds one only when the method weighs it, so that a run of the
# default method stores exactly the four files.
OPTIONAL = {
    "projects": ("项目台账（projects.csv）", project_rows),
}


def tables(year: int, optional: tuple[str, ...] = ()) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every file's header and rows of ``year`` (and of the ``optional`` files named), read from the
    database once."""
    chosen = FILES | {name: OPTIONAL[name] for name in optional}
    return {name: read(year) for name, (_, read) in chosen.items()}


def write_table(path: str | Path, sheet: str, header: list[str], rows: list[list[str]]) -> None:
    """One file of the bundle: XLSX when ``path`` ends in .xlsx, otherwise CSV."""
    body = xlsx_bytes(sheet, header, rows) if str(path).lower().endswith(".xlsx") else csv_bytes(header, rows)
    Path(path).write_bytes(body)


def has_projects(header: list[str], rows: list[list[str]], year: int) -> bool:
    """Whether ``year`` has projects in the ledger: one signed in it, or funds arrived in it."""
    signed, funds = header.index("signed_on"), header.index("funds_year")
    return any(row[signed].startswith(f"{year}-") or Decimal(row[funds]) for row in rows)


def write(year: int, directory: str | Path) -> None:
    """The year's four files, and ``projects.csv`` when the year has projects (so that a method that
    ranks by the ledger can rank from the directory; the default method does not read it)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    found = tables(year, tuple(OPTIONAL))
    if not has_projects(*found["projects"], year):
        del found["projects"]
    for name, (header, rows) in found.items():
        write_table(folder / f"{name}.csv", name, header, rows)

"""Writing a year of the database as an evaluation bundle (docs/data-formats.md), which the
pure ``scoring`` package ranks; the CLI, the ranking page and the report all go through it."""
from __future__ import annotations

from pathlib import Path

from investenv.exporting import csv_bytes, xlsx_bytes


def _responses(year: int):
    from survey.bundle import export_rows

    return export_rows(year)


def _feedback(year: int):
    from feedback.bundle import HEADER, export_rows

    return HEADER, export_rows(year)


def _spotchecks(year: int):
    from spotchecks.bundle import HEADER, export_rows

    return HEADER, export_rows(year)


def _complaints(year: int):
    from complaints.bundle import HEADER, export_rows

    return HEADER, export_rows(year)


# The files of the evaluation bundle: name → (what it holds, how to read a year of it).
FILES = {
    "responses": ("问卷答卷（responses.csv）", _responses),
    "feedback": ("测评点反馈（feedback.csv）", _feedback),
    "spotchecks": ("联合抽查评分（spotchecks.csv）", _spotchecks),
    "complaints": ("投诉案件（complaints.csv）", _complaints),
}


def write_table(path: str | Path, sheet: str, header: list[str], rows: list[list]) -> None:
    body = xlsx_bytes(sheet, header, rows) if str(path).lower().endswith(".xlsx") else csv_bytes(header, rows)
    Path(path).write_bytes(body)


def write(year: int, directory: str | Path) -> None:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (_, read) in FILES.items():
        header, rows = read(year)
        write_table(folder / f"{name}.csv", name, header, rows)

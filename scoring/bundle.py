"""Reading an evaluation bundle: a directory of CSV files (docs/data-formats.md).

Every problem is reported as ``ValueError`` naming the file, the row and the column.  Reference
lists (prefectures, the questionnaire's options) are read from the sibling packages' data files,
without importing them, so that this package stays free of Flask and the database.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "responses": ("prefecture_code", "year"),
    "complaints": ("case_no", "prefecture_code", "received_on", "accepted_on", "due_on", "replied_on", "closed_on",
                   "satisfaction"),
    "feedback": ("enterprise_code", "prefecture_code", "period", "d1", "d2", "d3", "d4", "d5"),
    "spotchecks": ("prefecture_code", "score", "max_score", "checked_on"),
}


@cache
def prefectures() -> dict[str, str]:
    data = json.loads((ROOT / "investenv/registry/data/divisions.json").read_text("utf-8"))
    return {p["code"]: p["name"] for p in data["prefectures"]}


@cache
def options(version: str = "2006") -> dict[int, str]:
    """Question number → its option letters, for the choice questions."""
    data = json.loads((ROOT / f"survey/questionnaires/{version}.json").read_text("utf-8"))
    return {q["number"]: "".join(o["code"] for o in q["options"])
            for s in data["sections"] for q in s["questions"] if q["kind"] != "text"}


@dataclass
class Bundle:
    responses: list[dict]
    complaints: list[dict]
    feedback: list[dict]
    spotchecks: list[dict]


def _read(directory: Path, name: str) -> list[dict]:
    path = directory / f"{name}.csv"
    if not path.is_file():
        raise ValueError(f"{path}：文件不存在（评估数据包须包含 {', '.join(f + '.csv' for f in FILES)}）")
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}：不是 UTF-8 编码") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in FILES[name] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{path}：缺少列 {', '.join(missing)}")
    rows = []
    for number, row in enumerate(reader, start=2):
        code = (row.get("prefecture_code") or "").strip()
        if code not in prefectures():
            raise ValueError(f"{path} 第 {number} 行 prefecture_code：未知的市州代码“{code}”")
        row["_row"] = number
        rows.append(row)
    return rows


def _check_answers(path: Path, rows: list[dict]) -> None:
    for row in rows:
        for number, letters in options().items():
            value = (row.get(f"q{number}") or "").strip()
            bad = [c for c in value if c not in letters]
            if bad:
                raise ValueError(f"{path} 第 {row['_row']} 行 q{number}：没有选项 {''.join(bad)}（可选 {letters}）")


def read(directory: str | Path, year: int) -> Bundle:
    """The bundle's rows of evaluation year ``year``; ``ValueError`` if the year has no data."""
    directory = Path(directory)
    responses = [r for r in _read(directory, "responses") if r["year"].strip() == str(year)]
    _check_answers(directory / "responses.csv", responses)
    bundle = Bundle(
        responses=responses,
        complaints=[r for r in _read(directory, "complaints") if r["received_on"].startswith(str(year))],
        feedback=[r for r in _read(directory, "feedback") if r["period"].startswith(str(year))],
        spotchecks=[r for r in _read(directory, "spotchecks") if r["checked_on"].startswith(str(year))],
    )
    if not any((bundle.responses, bundle.complaints, bundle.feedback, bundle.spotchecks)):
        raise ValueError(f"{directory}：{year} 年没有任何数据")
    return bundle

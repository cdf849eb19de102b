"""Reading an evaluation bundle: a directory of CSV files (docs/data-formats.md).

Every problem is reported as ``ValueError`` naming the file, the row and the column.  Reference
lists (prefectures, the questionnaire's options) are read from the sibling packages' data files,
without importing them, so that this package stays free of Flask and the database.

Responses are kept by column (one list per question), which is what the vectorised survey
score needs and what keeps a national bundle of a million responses within memory.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
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
TEXT_QUESTIONS = (32, 33)


@cache
def prefectures() -> dict[str, str]:
    data = json.loads((ROOT / "investenv/registry/data/divisions.json").read_text("utf-8"))
    return {p["code"]: p["name"] for p in data["prefectures"]}


@cache
def questionnaire(version: str = "2006") -> dict:
    return json.loads((ROOT / f"survey/questionnaires/{version}.json").read_text("utf-8"))


@cache
def options(version: str = "2006") -> dict[int, str]:
    """Question number → its option letters, for the choice questions."""
    return {q["number"]: "".join(o["code"] for o in q["options"])
            for s in questionnaire(version)["sections"] for q in s["questions"] if q["kind"] != "text"}


@dataclass
class Responses:
    """The year's responses by column: ``answers[q][i]`` is response ``i``'s answer to question ``q``."""
    prefecture: list[str] = field(default_factory=list)
    answers: dict[int, list[str]] = field(default_factory=dict)
    texts: dict[int, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.prefecture)

    @classmethod
    def from_rows(cls, rows: list[dict]) -> Responses:
        """Responses from row dicts (``{"prefecture_code": …, "q1": "A", …}``); absent columns are blank."""
        return cls(prefecture=[r.get("prefecture_code", "") for r in rows],
                   answers={n: [(r.get(f"q{n}") or "").strip() for r in rows] for n in options()},
                   texts={n: [r.get(f"q{n}") or "" for r in rows] for n in TEXT_QUESTIONS})


@dataclass
class Bundle:
    responses: Responses
    complaints: list[dict]
    feedback: list[dict]
    spotchecks: list[dict]


def _open(directory: Path, name: str) -> tuple[Path, list[str], list[list[str]]]:
    path = directory / f"{name}.csv"
    if not path.is_file():
        raise ValueError(f"{path}：文件不存在（评估数据包须包含 {', '.join(f + '.csv' for f in FILES)}）")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            rows = list(reader)
    except UnicodeDecodeError:
        raise ValueError(f"{path}：不是 UTF-8 编码") from None
    except csv.Error as exc:
        raise ValueError(f"{path}：不是有效的 CSV（{exc}）") from None
    missing = [c for c in FILES[name] if c not in header]
    if missing:
        raise ValueError(f"{path}：缺少列 {', '.join(missing)}")
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(f"{path} 第 {number} 行：有 {len(row)} 列，表头有 {len(header)} 列")
    _check_prefectures(path, [row[header.index("prefecture_code")].strip() for row in rows])
    return path, header, rows


def _check_prefectures(path: Path, codes: list[str]) -> None:
    unknown = set(codes) - set(prefectures())
    if unknown:
        number = next(i for i, c in enumerate(codes, start=2) if c in unknown)
        raise ValueError(f"{path} 第 {number} 行 prefecture_code：未知的市州代码“{codes[number - 2]}”")


def _read(directory: Path, name: str, in_year) -> list[dict]:
    path, header, rows = _open(directory, name)
    records = []
    for number, row in enumerate(rows, start=2):
        record = dict(zip(header, row, strict=True))
        if in_year(record):
            record["_row"] = number
            records.append(record)
    return records


def _responses(directory: Path, year: int) -> Responses:
    path, header, rows = _open(directory, "responses")
    year_at, code_at = header.index("year"), header.index("prefecture_code")
    numbers = [i for i, row in enumerate(rows) if row[year_at].strip() == str(year)]
    columns = {}
    for question, letters in options().items():
        at = header.index(f"q{question}") if f"q{question}" in header else None
        values = [rows[i][at].strip() for i in numbers] if at is not None else [""] * len(numbers)
        for value in set(values):
            bad = "".join(c for c in value if c not in letters)
            if bad:
                row = numbers[values.index(value)] + 2
                raise ValueError(f"{path} 第 {row} 行 q{question}：没有选项 {bad}（可选 {letters}）")
        columns[question] = values
    texts = {q: [rows[i][header.index(f"q{q}")] for i in numbers] if f"q{q}" in header else [""] * len(numbers)
             for q in TEXT_QUESTIONS}
    return Responses(prefecture=[rows[i][code_at].strip() for i in numbers], answers=columns, texts=texts)


def read(directory: str | Path, year: int) -> Bundle:
    """The bundle's rows of evaluation year ``year``; ``ValueError`` if the year has no data."""
    directory = Path(directory)
    prefix = str(year)
    bundle = Bundle(
        responses=_responses(directory, year),
        complaints=_read(directory, "complaints", lambda r: r["received_on"].startswith(prefix)),
        feedback=_read(directory, "feedback", lambda r: r["period"].startswith(prefix)),
        spotchecks=_read(directory, "spotchecks", lambda r: r["checked_on"].startswith(prefix)),
    )
    if not any((len(bundle.responses), bundle.complaints, bundle.feedback, bundle.spotchecks)):
        raise ValueError(f"{directory}：{year} 年没有任何数据")
    return bundle

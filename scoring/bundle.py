"""The evaluation bundle (docs/data-formats.md): four tables of text — responses, complaints,
feedback, spot checks — and, when a method ranks by it, the project ledger's ``projects.csv``, read from a directory of CSV files (:func:`read`) or handed over in memory
(:func:`assemble`, which the database's evaluation uses), checked and cut to one year the same way.

Every problem is reported as ``ValueError`` naming the file, the row and the column.  Reference
lists come from the pure definition modules of the sibling packages: the prefectures from
:mod:`investenv.registry.divisions`, the questionnaire from :mod:`survey.questionnaire` (neither
loads Flask or the database).

Responses are kept by column (one list per question), which is what the vectorised survey
score needs and what keeps a national bundle of a million responses within memory.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path

from feedback.vocabulary import DIMENSIONS
from investenv.registry.divisions import prefectures
from survey import questionnaire

from . import projects as ledger

FILES = {
    "responses": ("prefecture_code", "year"),
    "complaints": ("case_no", "prefecture_code", "received_on", "accepted_on", "due_on", "replied_on", "closed_on",
                   "satisfaction"),
    "feedback": ("enterprise_code", "prefecture_code", "period", *DIMENSIONS),
    "spotchecks": ("prefecture_code", "score", "max_score", "checked_on"),
}
# Files a bundle may hold beside the four; a method that ranks by one needs it.
OPTIONAL_FILES = {"projects": tuple(ledger.HEADER)}


# The explicit "以上都没有" (none of the above) of a question whose purpose is "problems": a respondent
# who met none of the problems listed answers N, never combined with another letter; a blank stays a
# blank (missing).  Bundles accept it on those questions whether or not the questionnaire lists it yet.
NO_PROBLEM = "N"


@cache
def problem_lists() -> tuple[int, ...]:
    """The numbers of the questions whose purpose is "problems"."""
    return tuple(q.number for q in questionnaire.load().questions if q.purpose == "problems")


@cache
def options() -> dict[int, str]:
    """Question number → the option letters a bundle may hold, for the choice questions of the
    questionnaire (with :data:`NO_PROBLEM` on the problem lists)."""
    listed = {q.number: "".join(o.code for o in q.options) for q in questionnaire.load().questions if q.kind != "text"}
    return {number: letters + (NO_PROBLEM if number in problem_lists() and NO_PROBLEM not in letters else "")
            for number, letters in listed.items()}


@cache
def problems_listed(number: int) -> int:
    """How many problems question ``number`` lists: its options but :data:`NO_PROBLEM`."""
    return len(options()[number].replace(NO_PROBLEM, ""))


@cache
def open_questions() -> tuple[int, ...]:
    """The numbers of the open-text questions."""
    return tuple(q.number for q in questionnaire.load().open_questions)


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
                   texts={n: [r.get(f"q{n}") or "" for r in rows] for n in open_questions()})


@dataclass
class Bundle:
    units: dict[str, str]           # code → name of the units ranked (the 14 prefectures unless units.csv)
    responses: Responses
    complaints: list[dict]
    feedback: list[dict]
    spotchecks: list[dict]
    projects: list[dict] | None = None  # the ledger's projects.csv (one year's export), None when absent

    def project_rows(self) -> list[dict]:
        """The rows of projects.csv; ``ValueError`` when the bundle has none (a method asks for it)."""
        if self.projects is None:
            raise ValueError("评估数据包中没有 projects.csv（项目台账），而测评方法把项目台账列为来源："
                             "请用 investenv export projects --year 年份 导出后放入数据包，或换用不含项目台账的方法")
        return self.projects


def units(directory: Path) -> dict[str, str]:
    """The units to rank: ``units.csv`` (columns code, name) when the bundle has one — e.g. the 333
    prefecture-level units of a national evaluation — otherwise the province's 14 prefectures."""
    path = directory / "units.csv"
    if not path.is_file():
        return prefectures()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"code", "name"} <= set(reader.fieldnames or []):
            raise ValueError(f"{path}：缺少列 code、name")
        found = {}
        for number, row in enumerate(reader, start=2):
            code = (row["code"] or "").strip()
            if not code or code in found:
                raise ValueError(f"{path} 第 {number} 行 code：{'重复的' if code else '缺少'}代码“{code}”")
            found[code] = (row["name"] or "").strip()
    if not found:
        raise ValueError(f"{path}：没有任何单位")
    return found


Table = tuple[list[str], list[list[str]]]  # one file of a bundle: its header and its rows of text cells


@dataclass
class Columns:
    """One file of a bundle by column: its header and one list of text cells per header column
    (``cells[j][i]`` is row ``i``'s cell under ``header[j]``).  A file with a row whose number of
    cells differs from the header's has no cells: ``ragged`` holds that first row's line number
    and number of cells, which :func:`_check` reports once the header is known to be complete."""
    header: list[str]
    cells: list[list[str]]
    ragged: tuple[int, int] | None = None

    @classmethod
    def of(cls, header: list[str], rows: list[list[str]]) -> Columns:
        """The columns of ``rows``: the cells laid out flat once, each column a strided slice of them
        (a national file's million rows are not transposed by unpacking them into ``zip``)."""
        width = len(header)
        if set(map(len, rows)) - {width}:
            number, row = next((n, r) for n, r in enumerate(rows, start=2) if len(r) != width)
            return cls(header, [], (number, len(row)))
        flat = list(chain.from_iterable(rows))
        return cls(header, [flat[j::width] for j in range(width)])

    def rows(self) -> Iterator[tuple[str, ...]]:
        return zip(*self.cells, strict=True)


# Which rows of a file belong to an evaluation year (docs/data-formats.md).
IN_YEAR = {
    "complaints": "received_on",   # the year the case was received
    "feedback": "period",          # 2026Q1, 2026M03, 2026H1
    "spotchecks": "checked_on",
}


def _open(directory: Path, name: str) -> Columns:
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
    return Columns.of(header, rows)


def _check(path: Path, name: str, table: Columns, known: dict[str, str]) -> None:
    header = table.header
    missing = [c for c in (FILES | OPTIONAL_FILES)[name] if c not in header]
    if missing:
        raise ValueError(f"{path}：缺少列 {', '.join(missing)}")
    if table.ragged:
        number, cells = table.ragged
        raise ValueError(f"{path} 第 {number} 行：有 {cells} 列，表头有 {len(header)} 列")
    codes = table.cells[header.index("prefecture_code")]
    unknown = {code for code in set(codes) if code.strip() not in known}
    if unknown:
        number, code = next((n, c) for n, c in enumerate(codes, start=2) if c in unknown)
        raise ValueError(f"{path} 第 {number} 行 prefecture_code：未知的市州代码“{code.strip()}”")


def _records(name: str, table: Columns, year: int) -> list[dict]:
    """The file's rows of ``year`` as dicts, each with ``_row``, its line in the file."""
    header = table.header
    at, prefix = header.index(IN_YEAR[name]), str(year)
    return [dict(zip(header, row, strict=True), _row=number)
            for number, row in enumerate(table.rows(), start=2) if row[at].startswith(prefix)]


def _project_rows(path: Path, table: Columns) -> list[dict]:
    """Every row of projects.csv (it holds one year's export, cut by signing date when counted),
    each checked to read as :class:`scoring.projects.Facts`."""
    records = []
    for number, row in enumerate(table.rows(), start=2):
        record = dict(zip(table.header, (cell.strip() for cell in row), strict=True))
        for column, allowed in (("industry", ledger.INDUSTRIES), ("stage", ledger.STAGES)):
            if record[column] not in allowed:
                raise ValueError(f"{path} 第 {number} 行 {column}：未知的代码“{record[column]}”（可选 {'、'.join(allowed)}）")
        try:
            ledger.Facts.from_row(record)
        except (ArithmeticError, ValueError) as exc:
            raise ValueError(f"{path} 第 {number} 行：无法读取的日期或金额（{exc}）") from None
        records.append(record)
    return records


def _responses(path: Path, table: Columns, year: int) -> Responses:
    columns = dict(zip(table.header, table.cells, strict=True))
    years = set(columns["year"])
    wanted = {y for y in years if y.strip() == str(year)}
    everything = years <= wanted
    numbers = range(len(columns["year"])) if everything else [i for i, y in enumerate(columns["year"]) if y in wanted]

    def column(name: str) -> list[str]:
        values = columns.get(name)
        if values is None:
            return [""] * len(numbers)
        values = values if everything else [values[i] for i in numbers]
        stripped = {v: v.strip() for v in set(values)}
        return values if all(k == v for k, v in stripped.items()) else [stripped[v] for v in values]

    answers = {}
    for question, letters in options().items():
        values = column(f"q{question}")
        for value in set(values):
            bad = "".join(c for c in value if c not in letters)
            if bad or (question in problem_lists() and NO_PROBLEM in value and value != NO_PROBLEM):
                row = numbers[values.index(value)] + 2
                raise ValueError(f"{path} 第 {row} 行 q{question}："
                                 + (f"没有选项 {bad}（可选 {letters}）" if bad
                                    else f"“以上都没有”（{NO_PROBLEM}）不能与其他选项同选"))
        answers[question] = values
    return Responses(prefecture=column("prefecture_code"), answers=answers,
                     texts={q: column(f"q{q}") for q in open_questions()})


def assemble(tables: dict[str, Table], year: int, origin: str | Path, known: dict[str, str] | None = None) -> Bundle:
    """The bundle of evaluation year ``year`` from its four tables (name → header and rows of text,
    as in the files) and any of :data:`OPTIONAL_FILES`, whether read from a directory or built in
    memory; every check and every year filter of :func:`read` applies.  ``origin`` (the directory, or where the tables came from) names
    the files in messages; ``known`` are the units (default: the province's prefectures)."""
    columns = {name: Columns.of(header, rows) for name, (header, rows) in tables.items()}
    return _assemble(columns, year, origin, prefectures() if known is None else known)


def _assemble(tables: dict[str, Columns], year: int, origin: str | Path, known: dict[str, str]) -> Bundle:
    for name, table in tables.items():
        _check(Path(origin) / f"{name}.csv", name, table, known)
    bundle = Bundle(
        units=known,
        responses=_responses(Path(origin) / "responses.csv", tables["responses"], year),
        complaints=_records("complaints", tables["complaints"], year),
        feedback=_records("feedback", tables["feedback"], year),
        spotchecks=_records("spotchecks", tables["spotchecks"], year),
        projects=_project_rows(Path(origin) / "projects.csv", tables["projects"]) if "projects" in tables else None,
    )
    if not any((len(bundle.responses), bundle.complaints, bundle.feedback, bundle.spotchecks)):
        raise ValueError(f"{origin}：{year} 年没有任何数据")
    return bundle


def read(directory: str | Path, year: int) -> Bundle:
    """The bundle's rows of evaluation year ``year``; ``ValueError`` if the year has no data."""
    directory = Path(directory)
    known = units(directory)
    present = [name for name in OPTIONAL_FILES if (directory / f"{name}.csv").is_file()]
    return _assemble({name: _open(directory, name) for name in [*FILES, *present]}, year, directory, known)

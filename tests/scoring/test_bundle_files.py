"""Reading a bundle directory by column: every fault of a file is reported with the same message,
naming the file, the row and the column, and a file written in any of the ways CSV allows (BOM,
CRLF, quoted cells) reads as the plain one does."""
import csv

import pytest

from scoring import bundle as bundles

HEADERS = {name: list(columns) for name, columns in bundles.FILES.items()}
ROWS = {
    "responses": [["430100", "2026", "A", "N"], ["430100", "2026", "B", "AB"], ["430200", "2025", "C", ""]],
    "complaints": [["T1", "430100", "2026-03-01", "2026-03-02", "2026-03-16", "2026-03-10", "2026-03-20", "满意"]],
    "feedback": [["E1", "430100", "2026Q1", "4", "4", "5", "3", "4"]],
    "spotchecks": [["430100", "18", "20", "2026-05-01"]],
}
HEADERS["responses"] += ["q1", "q9"]


def _write(folder, name, text, encoding="utf-8"):
    (folder / f"{name}.csv").write_bytes(text.encode(encoding))


def _plain(header, rows):
    return "".join(",".join(cells) + "\n" for cells in [header, *rows])


@pytest.fixture
def folder(tmp_path):
    for name, rows in ROWS.items():
        _write(tmp_path, name, _plain(HEADERS[name], rows))
    return tmp_path


def _message(folder) -> str:
    with pytest.raises(ValueError) as raised:
        bundles.read(folder, 2026)
    return str(raised.value)


def test_a_plain_bundle_reads_by_column(folder):
    data = bundles.read(folder, 2026)
    assert data.responses.prefecture == ["430100", "430100"]  # the 2025 response is not of the year
    assert data.responses.answers[1] == ["A", "B"] and data.responses.answers[9] == ["N", "AB"]
    assert data.responses.answers[2] == ["", ""]  # a question the file lacks is blank
    assert [r["_row"] for r in data.complaints] == [2] and data.spotchecks[0]["score"] == "18"


def test_bom_crlf_quotes_and_spaces_read_as_the_plain_file(folder, tmp_path_factory):
    plain = bundles.read(folder, 2026)
    for name, rows in ROWS.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)  # CRLF, every cell quoted, a BOM
            writer.writerow([f" {h} " for h in HEADERS[name]])  # the header's spaces are stripped
            writer.writerows(rows)
    assert bundles.read(folder, 2026) == plain
    _write(folder, "responses", _plain(HEADERS["responses"], [["430100", " 2026", " A ", "N"], ["430100", "2026 ", "B", "AB"]]))
    assert bundles.read(folder, 2026).responses == plain.responses  # cells are read stripped


def test_a_ragged_row_names_its_line_and_cells(folder):
    rows = [*ROWS["spotchecks"], ["430100", "18", "20"], ["430100"]]
    _write(folder, "spotchecks", _plain(HEADERS["spotchecks"], rows))
    assert _message(folder) == f"{folder / 'spotchecks.csv'} 第 3 行：有 3 列，表头有 4 列"
    _write(folder, "spotchecks", _plain(HEADERS["spotchecks"], ROWS["spotchecks"]) + "\n" + "430100,1,2,2026-05-01\n")
    assert _message(folder) == f"{folder / 'spotchecks.csv'} 第 3 行：有 0 列，表头有 4 列"  # an empty line


def test_a_missing_column_is_reported_before_a_ragged_row(folder):
    _write(folder, "feedback", _plain(HEADERS["feedback"][:-1], [["E1", "430100"]]))
    assert _message(folder) == f"{folder / 'feedback.csv'}：缺少列 d5"


def test_an_empty_file_lacks_every_column(folder):
    _write(folder, "responses", "")
    assert _message(folder) == f"{folder / 'responses.csv'}：缺少列 prefecture_code, year"
    _write(folder, "responses", "\ufeff")  # a BOM alone
    assert _message(folder) == f"{folder / 'responses.csv'}：缺少列 prefecture_code, year"


def test_a_file_of_another_encoding_or_no_csv(folder):
    _write(folder, "complaints", _plain(HEADERS["complaints"], ROWS["complaints"]), encoding="gb18030")
    assert _message(folder) == f"{folder / 'complaints.csv'}：不是 UTF-8 编码"
    _write(folder, "complaints", _plain(HEADERS["complaints"], [["x" * (csv.field_size_limit() + 1)]]))
    assert _message(folder) == (f"{folder / 'complaints.csv'}：不是有效的 CSV"
                                f"（field larger than field limit ({csv.field_size_limit()})）")


def test_an_unknown_unit_and_a_foreign_answer_name_the_first_row(folder):
    rows = [*ROWS["feedback"], ["E2", " 999999 ", "2026Q1", "4", "4", "4", "4", "4"], ["E3", "999999", "2026Q2", "1", "1", "1", "1", "1"]]
    _write(folder, "feedback", _plain(HEADERS["feedback"], rows))
    assert _message(folder) == f"{folder / 'feedback.csv'} 第 3 行 prefecture_code：未知的市州代码“999999”"
    _write(folder, "feedback", _plain(HEADERS["feedback"], ROWS["feedback"]))
    rows = [*ROWS["responses"], ["430100", "2026", "1", ""]]  # a number where a letter belongs
    _write(folder, "responses", _plain(HEADERS["responses"], rows))
    letters = bundles.options()[1]
    assert _message(folder) == f"{folder / 'responses.csv'} 第 5 行 q1：没有选项 1（可选 {letters}）"
    rows[-1] = ["430100", "2026", "A", "NA"]
    _write(folder, "responses", _plain(HEADERS["responses"], rows))
    assert _message(folder) == f"{folder / 'responses.csv'} 第 5 行 q9：“以上都没有”（N）不能与其他选项同选"

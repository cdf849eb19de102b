"""The year-end report, bulletin and workbook: every glyph renders, nothing is blank, gaps are flagged,
hostile text stays text."""
import io
import re
import subprocess
import warnings

import pytest
from openpyxl import load_workbook

from evaluation.report import charts, content
from evaluation.report.bulletin import bulletin_pdf
from evaluation.report.document import report_pdf
from evaluation.report.workbook import workbook
from investenv.registry.divisions import prefectures

from .conftest import blank_pages, pdf_text


def test_the_demo_report_renders_every_page_and_names_all_prefectures(app, demo_database, run_cli, tmp_path):
    path = tmp_path / "report.pdf"
    result = run_cli(app, "report", "--year", "2026", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert blank_pages(path, tmp_path) == []
    text = pdf_text(path)
    assert all(name in text for name in prefectures().values())
    ranking = __import__("json").loads(run_cli(app, "rank", "--year", "2026", "--json").stdout)
    top = [p["name"] for p in ranking["prefectures"] if p["code"] in ranking["top3"]]
    assert "最优单位（前三名）为：" in text.replace("\n", "") and all(name in text for name in top)
    assert "目录" in text and re.search(r"—\s*3\s*—", text) and "附录：方法与数据质量" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYiMicroHei" in fonts and " yes yes " in fonts  # embedded subset


def test_charts_have_no_missing_glyphs(app, demo_database):
    from evaluation.service import report_data

    data = report_data(2026)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        pictures = {name: draw(data) for name, draw in charts.CHARTS.items()}
    assert all(png.startswith(b"\x89PNG") for png in pictures.values())


def test_bulletin_and_workbook(app, demo_database, run_cli, tmp_path):
    path = tmp_path / "bulletin.pdf"
    assert run_cli(app, "bulletin", "--year", "2026", "-o", str(path)).exit_code == 0
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
                     .stdout.splitlines() if line.startswith("Pages:")))
    assert 1 <= pages <= 2 and blank_pages(path, tmp_path) == []
    text = pdf_text(path)
    assert "最优单位" in text and all(name in text for name in prefectures().values())
    book = tmp_path / "book.xlsx"
    assert run_cli(app, "export", "workbook", "--year", "2026", str(book)).exit_code == 0
    sheets = load_workbook(book)
    assert {"排名", "区间与敏感性", "问卷各部分", "投诉与检查", "方法与数据质量"} <= set(sheets.sheetnames)
    assert sheets["排名"].max_row == 15 and isinstance(sheets["区间与敏感性"]["B2"].value, float)


def test_three_prefectures_and_a_missing_source_are_flagged(hostile_bundle, tmp_path):
    data = content.from_directory(hostile_bundle, 2026)
    path = tmp_path / "small.pdf"
    path.write_bytes(report_pdf(data))
    assert blank_pages(path, tmp_path) == []
    text = pdf_text(path).replace("\n", "")
    assert "2026年全省3个市州投资环境综合测评报告" in text
    assert "缺少测评点反馈" in text and "计 0 分" in text and "未参评（没有任何数据）" in text and "样本少" in text
    bulletin = tmp_path / "bulletin.pdf"
    bulletin.write_bytes(bulletin_pdf(data))
    assert "另有 11 个市州本年度没有测评数据" in pdf_text(bulletin).replace("\n", "")


def test_hostile_open_text_is_plain_text_in_the_pdf_and_the_workbook(hostile_bundle, tmp_path):
    data = content.from_directory(hostile_bundle, 2026)
    theme = next(t for t in data.themes if t.name == "审批与办事效率")
    assert theme.count == 3 and len(theme.excerpts) == 1 and len(theme.excerpts[0]) == content.EXCERPT_CHARS + 1
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(data))  # reportlab would fail on, or obey, unescaped markup
    text = pdf_text(path)
    assert '<b>加粗</b><font color="red">红</font><script>alert(＊)</scr…' in text.replace("\n", "")
    assert "&" in text and "😀" not in text  # the emoji has no glyph: dropped, not drawn as a box
    sheet = load_workbook(io.BytesIO(workbook(data)))["开放题主题"]
    assert sheet["C2"].value.startswith('& 😀 <b>加粗</b><font color="red">红</font><script>alert(＊)')


def test_excerpts_hide_what_could_identify_the_author():
    assert content.anonymised("长沙某某科技有限公司 电话 13800138000 找 li@example.com") == "＊ 电话 ＊ 找 ＊"
    themes = content.themes(["审批慢"] * 2 + ["融资难"])
    assert [(t.name, t.count, t.excerpts) for t in themes] == [("审批与办事效率", 2, []), ("融资与用地", 1, [])]


def test_the_change_from_last_year_is_shown_when_last_year_has_data(hostile_bundle, tmp_path):
    last = tmp_path / "last"
    last.mkdir()
    for path in hostile_bundle.iterdir():
        (last / path.name).write_text(path.read_text("utf-8").replace("2026", "2025"), encoding="utf-8")
    lines = (last / "spotchecks.csv").read_text("utf-8").splitlines()
    (last / "spotchecks.csv").write_text("\n".join([lines[0], *[ln.replace(",18,20,", ",10,20,") for ln in lines[1:]]]),
                                          encoding="utf-8")
    data = content.from_directory(hostile_bundle, 2026, previous_directory=last)
    assert data.previous is not None and data.previous.year == 2025
    changsha = data.previous.by_code("430100")
    assert changsha.sources["spotcheck"] == pytest.approx(100 * (10 + 16) / 40)
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(data))
    text = pdf_text(path).replace("\n", "")
    change = data.evaluation.by_code("430100").composite - changsha.composite
    assert f"与上年相比：综合 {change:+.2f} 分" in text and "2025 年" in text

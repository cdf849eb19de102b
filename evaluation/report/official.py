"""The bulletin as an editable Word draft (.docx, python-docx) laid out after GB/T 9704-2012
《党政机关公文格式》, with the words of :mod:`.wording`.

What the standard fixes and where it is done here:

- A4, 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm (so 26 mm right, 35 mm bottom), 22 lines of
  28 characters (the section's document grid) — :func:`_page`;
- 发文机关标志 in red 小标宋, its top 35 mm below the top of the 版心; 发文字号 two lines below it,
  centred, with 〔〕 around the year; a red rule the width of the 版心 4 mm below the number;
- 标题 in 2号小标宋 two lines below the rule; 主送机关 one line below, flush left, ending in a
  full-width colon; 正文 in 3号仿宋, every paragraph indented two characters, 一级标题 in 黑体;
- 发文机关署名 centred over the 成文日期, the date four characters from the right (the layout of a
  sealed document), the date in Arabic numerals without leading zeros; 附注 in brackets, indented
  two characters, on the line after the date;
- 版记 at the foot of the last page: 抄送机关 and 印发机关/印发日期 in 4号仿宋 between a thick rule
  (0.35 mm), a thin one (0.25 mm) and a thick one;
- 页码 in 4号半角宋体 as "— 1 —", right on odd pages and left on even pages, one character in.

The fonts are named in the styles (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) with an
alternative name in the document's font table (宋体, 仿宋, 黑体, 楷体), which Word and LibreOffice
use on a computer that lacks the named font.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from investenv.timeutil import today

from . import wording
from .content import ReportData

RED = RGBColor(0xC0, 0x00, 0x00)
SIZE_3, SIZE_4, SIZE_2 = Pt(16), Pt(14), Pt(22)     # 三号, 四号, 二号
FONTS = {  # the font a style names → the alternative a computer without it uses
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "黑体": "SimHei",
    "楷体_GB2312": "楷体",
    "宋体": "SimSun",
}
LATIN = "Times New Roman"
# The elements that follow w:pBdr in a paragraph's properties, and w:tblpPr and w:tblBorders in a
# table's (the order the schema requires).
AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                "w:rPr", "w:sectPr", "w:pPrChange")
AFTER_TABLE_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                       "w:tblPrChange")
AFTER_POSITION = ("w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc",
                  "w:tblCellSpacing", "w:tblInd", "w:tblBorders", *AFTER_TABLE_BORDERS)
TEXT_WIDTH_MM, TEXT_HEIGHT_MM, LINES, CHARACTERS = 156, 225, 22, 28


def _fonts(style_or_run, east_asian: str, latin: str = LATIN) -> None:
    """Name the Chinese font (w:eastAsia) and the font of Latin letters and digits."""
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attribute), value)


def _paragraph_style(document, name: str, font: str, size, colour=None, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
                     indent_chars: int = 0):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = size
    if colour is not None:
        style.font.color.rgb = colour
    _fonts(style, font)
    style.paragraph_format.alignment = alignment
    _indent(style.element.get_or_add_pPr(), first=indent_chars, size=size.pt)
    return style


def _indent(properties, first: int = 0, left: float = 0, right: float = 0, size: float = 16) -> None:
    """Indents counted in characters of ``size`` points (``w:firstLineChars="200"`` is two
    characters), with the same in twips for readers that ignore the character counts."""
    ind = properties.get_or_add_ind()
    for name, chars in (("firstLine", first), ("left", left), ("right", right)):
        ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
        ind.set(qn(f"w:{name}"), str(round(chars * size * 20)))


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    _fonts(normal, "仿宋_GB2312")
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.element.get_or_add_rPr().insert_element_before(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'), "w:eastAsianLayout", "w:specVanish",
        "w:oMath")
    _paragraph_style(document, "公文正文", "仿宋_GB2312", SIZE_3, indent_chars=2)
    _paragraph_style(document, "发文机关标志", "方正小标宋简体", Pt(30), colour=RED, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "发文字号", "仿宋_GB2312", SIZE_3, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "公文标题", "方正小标宋简体", SIZE_2, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "主送机关", "仿宋_GB2312", SIZE_3)
    _paragraph_style(document, "一级标题", "黑体", SIZE_3, indent_chars=2)
    _paragraph_style(document, "落款", "仿宋_GB2312", SIZE_3, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(document, "附注", "仿宋_GB2312", SIZE_3, indent_chars=2)
    _paragraph_style(document, "版记", "仿宋_GB2312", SIZE_4, alignment=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(document, "表格", "仿宋_GB2312", Pt(12), alignment=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "页码", "宋体", SIZE_4, alignment=WD_ALIGN_PARAGRAPH.RIGHT).font.name = "宋体"


def _font_table(document) -> None:
    """Alternative names for the fonts the styles name (w:altName), for computers without them."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    w = root.nsmap["w"]
    for name, alternative in FONTS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alternative})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})   # GB2312
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "modern" if name != "方正小标宋简体" else "script"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin, section.bottom_margin = Mm(210 - 28 - TEXT_WIDTH_MM), Mm(297 - 37 - TEXT_HEIGHT_MM)
    section.footer_distance = Mm(297 - 37 - TEXT_HEIGHT_MM - 7 - 5)   # the page number 7 mm below the 版心
    section.start_type = WD_SECTION.NEW_PAGE
    twips_per_mm = 1440 / 25.4
    pitch = round(TEXT_HEIGHT_MM * twips_per_mm / LINES)
    char_space = round((TEXT_WIDTH_MM / 25.4 * 72 / CHARACTERS - 16) * 4096)   # 1/4096 pt beyond the 16-pt character
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(pitch))
    grid.set(qn("w:charSpace"), str(char_space))


def _border(paragraph, edge: str, size_eighths: int, colour: str = "000000") -> None:
    paragraph._p.get_or_add_pPr().insert_element_before(
        parse_xml(f'<w:pBdr {nsdecls("w")}><w:{edge} w:val="single" w:sz="{size_eighths}" w:space="1" '
                  f'w:color="{colour}"/></w:pBdr>'), *AFTER_BORDER)


def _blank(document, lines: int = 1) -> None:
    for _ in range(lines):
        document.add_paragraph("", style="公文正文")


def _page_numbers(document, section) -> None:
    """— 1 — right on odd pages and left on even pages, one character from the edge of the 版心."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, alignment, right in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, True),
                                     (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, False)):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["页码"]
        paragraph.alignment = alignment
        _indent(paragraph._p.get_or_add_pPr(), right=1 if right else 0, left=0 if right else 1, size=14)
        paragraph.add_run("— ")
        run = paragraph.add_run()
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
        run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
        run._r.append(parse_xml(f'<w:t {nsdecls("w")}>1</w:t>'))
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
        paragraph.add_run(" —")


def _width(text: str) -> float:
    """Width in characters: digits and Latin letters are half a character."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


def _ranking(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for number, (cells, values) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.paragraphs[0].style = document.styles["表格"]
            cell.paragraphs[0].add_run(value).bold = number == 0
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))  # repeated on page 2


def _imprint(document, date: str) -> None:
    """版记: a table anchored at the foot of the 版心 of the last page, between its rules."""
    table = document.add_table(rows=2, cols=1)
    properties = table._tbl.tblPr
    properties.insert_element_before(parse_xml(f'<w:tblpPr {nsdecls("w")} w:vertAnchor="margin" w:horzAnchor="margin" '
                                               f'w:tblpYSpec="bottom"/>'), *AFTER_POSITION)
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(TEXT_WIDTH_MM * 1440 / 25.4)))
    properties.insert_element_before(parse_xml(
        f'<w:tblBorders {nsdecls("w")}><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'  # 0.35 mm ≈ 1 pt
        f'<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/><w:right w:val="nil"/>'
        f'<w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/><w:insideV w:val="nil"/></w:tblBorders>'),
        *AFTER_TABLE_BORDERS)                                                                          # 0.25 mm
    copies, printed = (row.cells[0].paragraphs[0] for row in table.rows)
    for paragraph in (copies, printed):
        paragraph.style = document.styles["版记"]
        _indent(paragraph._p.get_or_add_pPr(), left=1, right=1, size=14)
    copies.add_run(f"抄送：{wording.COPIES_TO}。")
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - Pt(2 * 14), WD_TAB_ALIGNMENT.RIGHT)
    printed.add_run(f"{wording.ISSUER}\t{date}印发")


def bulletin_docx(data: ReportData) -> bytes:
    words = wording.bulletin(data, today())
    document = Document()
    _styles(document)
    _font_table(document)
    section = document.sections[0]
    _page(section)
    _page_numbers(document, section)
    document.core_properties.title, document.core_properties.author = words.title, wording.ISSUER

    mark = document.add_paragraph(wording.ISSUER_MARK, style="发文机关标志")
    mark.paragraph_format.space_before = Mm(35)
    _blank(document, 2)
    number = document.add_paragraph(words.number, style="发文字号")
    number.paragraph_format.space_after = Mm(4)
    _border(number, "bottom", 12, "C00000")     # the red rule, 4 mm under the number
    _blank(document, 2)
    document.add_paragraph(words.title, style="公文标题")
    _blank(document)
    document.add_paragraph(wording.RECIPIENTS, style="主送机关")
    for heading, paragraphs in words.sections:
        if heading:
            document.add_paragraph(heading, style="一级标题")
        for text in paragraphs:
            document.add_paragraph(text, style="公文正文")
    _ranking(document, words.table)
    document.add_paragraph(words.notes, style="公文正文")
    document.add_paragraph(words.closing, style="公文正文")
    _blank(document)
    # Sealed layout (GB/T 9704-2012 7.3.5.1): the date four characters from the right, the issuer centred over it.
    date_width, issuer_width = _width(words.date), _width(wording.ISSUER)
    issuer = document.add_paragraph(wording.ISSUER, style="落款")
    _indent(issuer._p.get_or_add_pPr(), right=max(0.0, 4 + date_width / 2 - issuer_width / 2))
    date = document.add_paragraph(words.date, style="落款")
    _indent(date._p.get_or_add_pPr(), right=4)
    if words.annotation:
        document.add_paragraph(words.annotation, style="附注")
    _imprint(document, words.date)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

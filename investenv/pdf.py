"""PDF building blocks shared by every document: the embedded CJK font and paragraph styles.

reportlab embeds only TrueType-outline fonts, so Chinese text uses WenQuanYi Micro Hei
(Debian package ``fonts-wqy-microhei``; its .ttc is read with subfontIndex 0) and is embedded
in every PDF, which therefore renders on any reader.  ``INVESTENV_CJK_FONT`` names another
TrueType font file.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

FONT = "CJK"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)


class FontMissing(RuntimeError):
    pass


def font_path() -> Path:
    configured = os.environ.get("INVESTENV_CJK_FONT")
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing(
        "找不到中文字体：请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），"
        "或用 INVESTENV_CJK_FONT 指定一个 TrueType 字体文件。"
    )


@cache
def register_font() -> str:
    """Register the CJK font with reportlab once; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = font_path()
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    return FONT


@cache
def styles() -> dict:
    from reportlab.lib.styles import ParagraphStyle

    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12.5, leading=20, spaceBefore=8, spaceAfter=4),
    }


@cache
def _glyphs() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    return frozenset(pdfmetrics.getFont(register_font()).face.charToGlyph)


def text(value) -> str:
    """User text made safe for a reportlab Paragraph: markup characters are escaped, and characters
    the font has no glyph for (emoji, rare symbols) are dropped rather than drawn as boxes."""
    glyphs = _glyphs()
    plain = "".join(c for c in ("" if value is None else str(value)) if ord(c) in glyphs or c == "\n")
    return escape(plain).replace("\n", "<br/>")

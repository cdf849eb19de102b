"""The pinyin initials of an enterprise's name (长沙华天实业 → cshtsy), kept with the name so that the
registry can be searched by initials as people type; letters and digits in a name stay as they are."""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

LENGTH = 200  # the column's width: a name's initials are never longer than the name


def initials(name: str) -> str:
    first_letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    return re.sub(r"[^a-z0-9]", "", "".join(first_letters).lower())[:LENGTH]

"""Every number a person or a file can supply, with its documented range, parsed in one place.

A number is accepted only if it is finite, within its range and written plainly (digits, one
decimal point, an optional sign; no exponent, no ``NaN``/``Infinity``, no full-width digits), so
that nothing the database or the report cannot hold gets stored.  Forms use
:class:`~investenv.forms.Bounded`, imports and the API call :func:`parse`; the ranges are in
docs/data-formats.md.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Range:
    label: str           # what the number is, in the messages
    low: Decimal
    high: Decimal
    places: int = 0      # digits allowed after the decimal point
    unit: str = ""

    def describe(self) -> str:
        """``0–10,000,000,000 元``, ``2000–2100``."""
        return f"{_plain(self.low)}–{_plain(self.high)}" + (f" {self.unit}" if self.unit else "")

    def check(self, value) -> Decimal:
        """``value`` (int, float or Decimal) as a Decimal, or ``ValueError`` with a Chinese message."""
        if value is None or isinstance(value, bool):
            raise ValueError(f"{self.label}应为数字")
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise ValueError(f"{self.label}应为数字") from None
        if not number.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
            raise ValueError(f"{self.label}应为有限的数字")
        if number < 0 <= self.low:
            raise ValueError(f"{self.label}不能为负数")
        if not self.low <= number <= self.high:
            raise ValueError(f"{self.label}应在 {self.describe()}{'' if self.unit else ' '}之间")
        if number != number.quantize(Decimal(1).scaleb(-self.places), rounding="ROUND_DOWN"):
            raise ValueError(f"{self.label}最多保留 {self.places} 位小数" if self.places else f"{self.label}应为整数")
        return number


def _plain(value: Decimal) -> str:
    """``10,000,000,000``, ``0.5``, ``2000``: thousands separated from five digits on, no trailing zeros."""
    text = f"{value:,f}" if abs(value) >= 10000 else f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_PLAIN_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")  # ASCII digits only

MONEY = Range("金额", Decimal(0), Decimal("10000000000"), places=2, unit="元")   # fits NUMERIC(14, 2)
YEAR = Range("年度", Decimal(2000), Decimal(2100))
SCORE = Range("得分", Decimal(0), Decimal(1000), places=1)
MAX_SCORE = Range("满分", Decimal("0.5"), Decimal(1000), places=1)
SEED = Range("随机种子", Decimal(0), Decimal(2**31 - 1))
ROW_ID = Range("编号", Decimal(1), Decimal(2**31 - 1))   # every integer primary key and page number


def parse(text: str, kind: Range) -> Decimal:
    """A number typed by a person or read from a file, checked against ``kind``; thousands
    separators (``1,234.5``) are accepted, anything else that is not a plain number is refused."""
    raw = (text or "").strip().replace(",", "").replace("，", "")
    if not _PLAIN_NUMBER.match(raw):
        raise ValueError(f"{kind.label}应为数字（如 1234.5），实际为“{(text or '').strip()[:40]}”")
    return kind.check(Decimal(raw))

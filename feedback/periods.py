"""Reporting periods of monitoring-point feedback: ``2026Q1`` (quarterly, the default),
``2026M03`` (monthly) or ``2026H1`` (half-yearly), set by ``INVESTENV_FEEDBACK_CADENCE``.

A person reads a period in words (:attr:`Period.label`, :func:`label`: 2026年第二季度); the code is
for files and addresses."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

CADENCES = {"quarter": ("Q", 4), "month": ("M", 12), "half": ("H", 2)}
KIND_NAMES = {"Q": "季度", "M": "月", "H": "半年"}
_PATTERN = re.compile(r"^(\d{4})(Q[1-4]|M(0[1-9]|1[0-2])|H[12])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # Q, M or H
    index: int

    @property
    def code(self) -> str:
        return f"{self.year}{self.kind}{self.index:02d}" if self.kind == "M" else f"{self.year}{self.kind}{self.index}"

    @property
    def label(self) -> str:
        """The period in words: 2026年第二季度, 2026年3月, 2026年上半年."""
        if self.kind == "Q":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        if self.kind == "H":
            return f"{self.year}年{('上半年', '下半年')[self.index - 1]}"
        return f"{self.year}年{self.index}月"

    @property
    def months(self) -> int:
        return 12 // {"Q": 4, "M": 12, "H": 2}[self.kind]

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * self.months + 1, 1)

    def previous(self) -> Period:
        per_year = 12 // self.months
        return Period(self.year - 1, self.kind, per_year) if self.index == 1 else Period(self.year, self.kind, self.index - 1)

    def next(self) -> Period:
        per_year = 12 // self.months
        return Period(self.year + 1, self.kind, 1) if self.index == per_year else Period(self.year, self.kind, self.index + 1)


def parse(code: str) -> Period:
    """``2026Q3`` → Period; raises ``ValueError`` with a Chinese message."""
    match = _PATTERN.match(code.strip().upper())
    if not match:
        raise ValueError(f"期间格式应为 2026Q1（季度）、2026M03（月）或 2026H1（半年），实际为“{code}”")
    year, rest = int(match.group(1)), match.group(2)
    return Period(year, rest[0], int(rest[1:]))


def label(code: str) -> str:
    """A stored period code in words (the code itself if it is not one)."""
    try:
        return parse(code).label
    except ValueError:
        return code


def day_label(day: dt.date) -> str:
    """A date as people write it: 2027年1月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def current(day: dt.date, cadence: str) -> Period:
    kind, per_year = CADENCES[cadence]
    return Period(day.year, kind, (day.month - 1) // (12 // per_year) + 1)


def of_year(year: int, cadence: str) -> list[Period]:
    kind, per_year = CADENCES[cadence]
    return [Period(year, kind, i) for i in range(1, per_year + 1)]


def reporting_closed(period: Period, day: dt.date, cadence: str) -> bool:
    """Whether no more reports for ``period`` can arrive on ``day``: a point reports for the
    current period or the one before it, so a period closes when the one after it has ended."""
    return current(day, cadence) > period.next()

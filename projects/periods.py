"""The period the ledger's KPIs and the 调度 report are counted for: a year up to today (the
default), up to the end of a chosen month (每月一调度), or up to the end of a quarter (每季一督查).
Every period starts on 1 January: the KPIs are the year's, counted at the period's last day."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from investenv import numbers

MONTH = numbers.Range("月份", Decimal(1), Decimal(12))
QUARTER = numbers.Range("季度", Decimal(1), Decimal(4))
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None     # up to the end of this month
    quarter: int | None = None   # up to the end of this quarter (a chosen quarter overrides a month)

    @classmethod
    def of(cls, year: int, month: int | None = None, quarter: int | None = None) -> Period:
        return cls(year, None, quarter) if quarter else cls(year, month, None)

    @property
    def last_month(self) -> int:
        return 3 * self.quarter if self.quarter else self.month or 12

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    def day(self, today: dt.date) -> dt.date:
        """The day the KPIs are counted at: the period's last day, or today if that is earlier."""
        return min(today, self.end)

    @property
    def label(self) -> str:
        if self.quarter:
            return f"{self.year}年{QUARTER_NAMES[self.quarter]}"
        if not self.month:
            return f"{self.year}年"
        return f"{self.year}年1月" if self.month == 1 else f"{self.year}年1—{self.month}月"

    @property
    def slug(self) -> str:
        """The period in a file name: 2026, 2026-03, 2026Q1."""
        if self.quarter:
            return f"{self.year}Q{self.quarter}"
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    def args(self) -> dict[str, int]:
        """The query-string arguments that choose this period beside the year."""
        return {"quarter": self.quarter} if self.quarter else {"month": self.month} if self.month else {}

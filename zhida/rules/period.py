"""Periods a policy is evaluated for: a year (``2025``) or a quarter (``2026-Q1``).

>>> Period.parse("2026-Q1")
Period(kind='quarter', year=2026, quarter=1)
>>> str(Period.parse("2025")), Period.parse("2025").start
('2025', datetime.date(2025, 1, 1))
>>> Period.parse("2026-Q2").start
datetime.date(2026, 4, 1)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from zhida.errors import PolicyError

PATTERN = re.compile(r"^(\d{4})(?:-?Q([1-4]))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    kind: str  # year | quarter
    year: int
    quarter: int | None = None

    @staticmethod
    def parse(text: str) -> Period:
        m = PATTERN.match(str(text).strip())
        if not m:
            raise PolicyError(f"期间「{text}」格式不对：年度写 2025，季度写 2026-Q1")
        year, q = int(m.group(1)), m.group(2)
        return Period("quarter", year, int(q)) if q else Period("year", year)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 + 3 * ((self.quarter or 1) - 1), 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    def chinese(self) -> str:
        return f"{self.year} 年第 {self.quarter} 季度" if self.quarter else f"{self.year} 年度"

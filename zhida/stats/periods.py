"""Statistical periods: a year, a quarter, a month, or cumulative months of one year.

The written forms are those of the ``indicators`` import format (data-formats.md):

>>> Period.parse("2026")
Period(year=2026, start=1, end=12, kind='year')
>>> str(Period.parse("2026-Q1")), str(Period.parse("2026-03")), str(Period.parse("2026-01~02"))
('2026-Q1', '2026-03', '2026-01~02')
>>> str(Period.parse("2026-01~02").previous_year())
'2025-01~02'
>>> Period.parse("2026-01~02").elapsed_share()
Fraction(1, 6)
>>> Period.parse("2026-Q2").months
3
>>> Period.parse("2026-01~02").label()
'2026年1—2月'
>>> Period.parse("2026-Q3").label(), Period.parse("2026-03").label(), Period.parse("2026").label()
('2026年三季度', '2026年3月', '2026年')
>>> Period.parse("2026-13")
Traceback (most recent call last):
...
ValueError: 期间 "2026-13" 格式不对：应为 2026（年）、2026-Q1（季度）、2026-03（月）或 2026-01~02（1—2月累计）
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

FORMS = "2026（年）、2026-Q1（季度）、2026-03（月）或 2026-01~02（1—2月累计）"
_QUARTER_CN = {1: "一", 2: "二", 3: "三", 4: "四"}
_PATTERNS = [
    ("year", re.compile(r"(\d{4})")),
    ("quarter", re.compile(r"(\d{4})-[Qq]([1-4])")),
    ("month", re.compile(r"(\d{4})-(\d{2})")),
    ("cumulative", re.compile(r"(\d{4})-(\d{2})\s*[~～]\s*(\d{2})")),
]


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole months inside one calendar year."""

    year: int
    start: int  # first month, 1–12
    end: int  # last month, 1–12
    kind: str  # 'year' | 'quarter' | 'month' | 'cumulative'

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read one of the accepted forms; anything else raises ValueError (Chinese)."""
        t = str(text).strip()
        for kind, pattern in _PATTERNS:
            m = pattern.fullmatch(t)
            if m:
                return cls._build(kind, [int(g) for g in m.groups()], t)
        raise ValueError(f"期间 \"{t}\" 格式不对：应为 {FORMS}")

    @classmethod
    def _build(cls, kind: str, parts: list[int], text: str) -> Period:
        year = parts[0]
        if not 1900 <= year <= 2100:
            raise ValueError(f"期间 \"{text}\" 的年份不合理：应在 1900–2100 之间")
        if kind == "year":
            return cls(year, 1, 12, kind)
        if kind == "quarter":
            q = parts[1]
            return cls(year, 3 * q - 2, 3 * q, kind)
        start, end = parts[1], parts[-1]
        if not (1 <= start <= 12 and 1 <= end <= 12 and start <= end):
            raise ValueError(f"期间 \"{text}\" 格式不对：应为 {FORMS}")
        return cls(year, start, end, kind)

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.end // 3}"
        if self.kind == "month":
            return f"{self.year}-{self.end:02d}"
        return f"{self.year}-{self.start:02d}~{self.end:02d}"

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    def previous_year(self) -> Period:
        """The same span one year earlier (the base of 同比)."""
        return Period(self.year - 1, self.start, self.end, self.kind)

    def elapsed_share(self) -> Fraction:
        """Share of the calendar year elapsed at the end of this period."""
        return Fraction(self.end, 12)

    def last_day(self) -> dt.date:
        """The last day of the period.

        >>> Period.parse("2024-01~02").last_day()
        datetime.date(2024, 2, 29)
        """
        if self.end == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.end + 1, 1) - dt.timedelta(days=1)

    def label(self) -> str:
        """Chinese name as printed in bulletins."""
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年{_QUARTER_CN[self.end // 3]}季度"
        if self.kind == "month":
            return f"{self.year}年{self.end}月"
        return f"{self.year}年{self.start}—{self.end}月"

    def span_label(self) -> str:
        """The span without the year, as a bulletin's opening says it.

        >>> Period.parse("2026-01~02").span_label(), Period.parse("2026-Q1").span_label()
        ('前2个月', '一季度')
        >>> Period.parse("2026-03~05").span_label(), Period.parse("2026").span_label()
        ('3—5月', '全年')
        """
        if self.kind == "year":
            return "全年"
        if self.kind == "quarter":
            return f"{_QUARTER_CN[self.end // 3]}季度"
        if self.kind == "month":
            return f"{self.end}月"
        if self.start == 1:
            return f"前{self.end}个月"
        return f"{self.start}—{self.end}月"


def canonical_period(text: str) -> str:
    """The period written in its canonical form.

    >>> canonical_period(" 2026-q1 "), canonical_period("2026-01～02")
    ('2026-Q1', '2026-01~02')
    """
    return str(Period.parse(text))

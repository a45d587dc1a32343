"""Working days: statutory holidays excluded, adjusted working weekends (调休) included.

Sources, in order: the override table (``calendar_days``, loaded by ``zhida calendar load``),
then the schedules shipped with zhida (``platform/calendars/<year>.yaml``, each transcribed
from the State Council notice it names — 2026: 国务院办公厅通知 of 2025-11-04, 248 working
days), then the ``chinese-calendar`` package (2004–2026), then the plain week for a year whose
schedule staff loaded. A year nobody loaded raises ``CalendarMissing`` naming the year
(fail closed: no deadline is ever computed on a guessed calendar).

Deadlines that stop for inspections or expert reviews are in ``zhida.platform.clock``.

>>> import datetime as dt
>>> add_working_days(dt.date(2025, 9, 30), 1)   # 国庆中秋 2025-10-01..08
datetime.date(2025, 10, 9)
>>> is_working_day(dt.date(2025, 9, 28))        # a Sunday worked in exchange (调休)
True
>>> add_working_days(dt.date(2026, 2, 13), 1)   # 春节 2026-02-15..23, Saturday 02-14 worked
datetime.date(2026, 2, 14)
>>> add_working_days(dt.date(2027, 1, 4), 3)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
zhida.errors.CalendarMissing: 2027 年的节假日安排尚未载入，无法计算工作日...用 `zhida calendar load 文件.yaml` 载入...
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhida.errors import CalendarMissing, ValidationFailed
from zhida.platform.models import CalendarDay, CalendarYear, now

LOAD_FORMAT = """\
year: 2027
source: 国务院办公厅关于2027年部分节假日安排的通知
holidays:            # 放假（含周末）
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
workdays:            # 调休上班的周末
  - 2027-02-07
"""


SHIPPED_DIR = Path(__file__).with_name("calendars")


def _shipped() -> dict[dt.date, bool]:
    """Every day the shipped schedules set (holidays False, adjusted working weekends True)."""
    global _SHIPPED
    if _SHIPPED is None:
        days: dict[dt.date, bool] = {}
        for f in sorted(SHIPPED_DIR.glob("*.yaml")):
            days.update(parse_schedule(f.read_text(encoding="utf-8"), f.name)[2])
        _SHIPPED = days
    return _SHIPPED


_SHIPPED: dict[dt.date, bool] | None = None


def shipped_years() -> set[int]:
    """Years whose schedule ships with zhida."""
    return {int(f.stem) for f in SHIPPED_DIR.glob("*.yaml") if f.stem.isdigit()}


def _package_says(d: dt.date) -> bool | None:
    if d.year in shipped_years():
        return _shipped().get(d, d.weekday() < 5)
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


class WorkingCalendar:
    """The package calendar plus overrides and loaded years (usually read from the database)."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None, loaded_years: set[int] | None = None):
        self.overrides = dict(overrides or {})
        self.loaded_years = set(loaded_years or ())

    @classmethod
    def from_session(cls, session: Session) -> WorkingCalendar:
        days = {d.day: d.working for d in session.scalars(select(CalendarDay))}
        years = set(session.scalars(select(CalendarYear.year)))
        return cls(days, years)

    def is_working_day(self, d: dt.date) -> bool:
        if d in self.overrides:
            return self.overrides[d]
        said = _package_says(d)
        if said is not None:
            return said
        if d.year in self.loaded_years:
            return d.weekday() < 5
        raise CalendarMissing(
            f"{d.year} 年的节假日安排尚未载入，无法计算工作日：请在国务院办公厅公布安排后，"
            f"用 `zhida calendar load 文件.yaml` 载入（格式见 zhida calendar load --help）"
        )

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (counting starts the next day); n = 0 gives ``start``."""
        if n < 0:
            raise ValueError("n must be >= 0")
        d = start
        while n:
            d += dt.timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def require(self, d: dt.date) -> None:
        """Raise ``CalendarMissing`` unless the schedule of ``d``'s year is known."""
        self.is_working_day(d)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]."""
        n, d = 0, start
        while d < end:
            d += dt.timedelta(days=1)
            n += self.is_working_day(d)
        return n


DEFAULT = WorkingCalendar()


def is_working_day(d: dt.date, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or DEFAULT).is_working_day(d)


def add_working_days(d: dt.date, n: int, calendar: WorkingCalendar | None = None) -> dt.date:
    return (calendar or DEFAULT).add_working_days(d, n)


def _date(value: object, file: str, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(f"{file}: {field} 的值 {value!r} 不是日期，应为 YYYY-MM-DD") from None


def parse_schedule(text: str, file: str = "日历文件") -> tuple[int, str, dict[dt.date, bool]]:
    """Read a schedule (see ``LOAD_FORMAT``) into (year, source, {day: working})."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"{file}: 不是合法的 YAML：{exc}") from exc
    except ValueError as exc:  # a date that does not exist, such as 2027-13-01
        raise ValidationFailed(f"{file}: 含有不存在的日期（{exc}），日期应为 YYYY-MM-DD") from exc
    if not isinstance(data, dict) or not isinstance(data.get("year"), int):
        raise ValidationFailed(f"{file}: 缺少整数字段 year，格式应为：\n{LOAD_FORMAT}")
    year, days = data["year"], {}
    for i, h in enumerate(data.get("holidays") or [], 1):
        if not isinstance(h, dict) or "from" not in h:
            raise ValidationFailed(f"{file}: holidays 第 {i} 项应含 from 与 to 日期")
        a = _date(h["from"], file, f"holidays 第 {i} 项 from")
        b = _date(h.get("to", h["from"]), file, f"holidays 第 {i} 项 to")
        if b < a or (b - a).days > 15:
            raise ValidationFailed(f"{file}: holidays 第 {i} 项 {a}..{b} 不是合理的假期区间")
        for k in range((b - a).days + 1):
            days[a + dt.timedelta(days=k)] = False
    for i, w in enumerate(data.get("workdays") or [], 1):
        days[_date(w, file, f"workdays 第 {i} 项")] = True
    outside = [d for d in days if abs(d.year - year) > 1]
    if outside:
        raise ValidationFailed(f"{file}: 日期 {outside[0]} 不属于 {year} 年的安排")
    return year, str(data.get("source") or file), days


def load_calendar(session: Session, text: str, file: str = "日历文件") -> tuple[int, int]:
    """Load (or replace) one year's schedule; returns (year, override days)."""
    year, source, days = parse_schedule(text, file)
    session.execute(delete(CalendarDay).where(CalendarDay.day.in_(list(days))))
    session.execute(
        delete(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))
    )
    session.add_all(CalendarDay(day=d, working=w, note=source[:60]) for d, w in sorted(days.items()))
    existing = session.get(CalendarYear, year)
    if existing:
        existing.source, existing.loaded_at = source, now()
    else:
        session.add(CalendarYear(year=year, source=source, loaded_at=now()))
    session.flush()
    return year, len(days)


def load_calendar_file(session: Session, path: Path) -> tuple[int, int]:
    path = Path(path)
    if not path.exists():
        raise ValidationFailed(f"日历文件 {path} 不存在")
    return load_calendar(session, path.read_text(encoding="utf-8"), path.name)

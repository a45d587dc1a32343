"""The clocks of one case: legal and promised deadlines, working days used and left, alerts.

Rules (each pinned from both sides in tests/approvals/test_clocks.py):

- 行政许可法 §82, 民法典 §201: working days, counted from the day after acceptance, on the
  platform calendar (statutory holidays out, adjusted working weekends in); a year with no
  table raises ``CalendarMissing`` (fail closed).
- §45: the days of 现场勘验, 专家评审, 听证, 检验检测 (and 补正 while waiting for materials after
  acceptance) are not counted; each pause carries its written notice.
- §42: +10 working days (+15 for joint handling) only with the approval of the head, decided
  no later than the legal deadline; one extension per case. The extension lengthens the legal
  and the promised clock alike.
- §32: a missing-materials notice is given on the spot or within 5 working days of receipt;
  later, the application counts as accepted on the day of receipt (flagged).
- Alerts on the promised clock: 黄色 when the used share reaches ``yellow_share`` (a parameter,
  default 0.8 — local choice, unconfirmed), 红色 at 2 working days left or fewer, 逾期 the day
  after the deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zhida.errors import ValidationFailed
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import NO_DAY, ClockArrays, Pause, check_pauses, deadline, used

PAUSE_REASONS = ("现场勘验", "专家评审", "听证", "检验检测", "补正")
NOTICE_DAYS = 5  # 行政许可法 §32
EXTENSION_DAYS = 10  # §42 ¶1
JOINT_EXTENSION_DAYS = 15  # §42 ¶2
RED_LEFT = 2  # 红色预警: 2 working days left or fewer
DEFAULT_YELLOW_SHARE = 0.8
LEVELS = ("正常", "黄色", "红色", "逾期")


def require_working_day(calendar: WorkingCalendar, day: dt.date, what: str) -> None:
    """``ValidationFailed`` unless ``day`` is a working day (``CalendarMissing`` for an unknown year)."""
    if not calendar.is_working_day(day):
        raise ValidationFailed(f"{what} {day} 不是工作日（法定节假日或休息日）：行政许可法第82条按工作日计算，"
                               "受理等办理日期应为工作日")


def notice_deadline(calendar: WorkingCalendar, received: dt.date) -> dt.date:
    """The last day to give the missing-materials notice: the 5th working day after receipt (§32)."""
    return calendar.add_working_days(received, NOTICE_DAYS)


def notice_in_time(calendar: WorkingCalendar, received: dt.date, notice_on: dt.date) -> bool:
    """True when a notice given on ``notice_on`` is within the §32 five working days."""
    if notice_on < received:
        raise ValidationFailed(f"补正告知日期 {notice_on} 早于收件日期 {received}")
    return notice_on <= notice_deadline(calendar, received)


def extension_cap(joint: bool) -> int:
    """The most working days one extension may add (§42: 10, joint handling 15)."""
    return JOINT_EXTENSION_DAYS if joint else EXTENSION_DAYS


def check_extension(days: int, joint: bool, approver: str | None, on: dt.date,
                    legal_due: dt.date | None, already: int) -> None:
    """Refuse an extension without an approver, beyond the cap, a second one, or after the deadline."""
    if not (approver or "").strip():
        raise ValidationFailed("延长办理期限须经负责人批准（行政许可法第42条）：请填写批准人")
    cap = extension_cap(joint)
    if already:
        raise ValidationFailed(f"本件已延长过 {already} 个工作日：行政许可法第42条只允许延长一次")
    if not 1 <= days <= cap:
        raise ValidationFailed(f"延长 {days} 个工作日不符合行政许可法第42条：{'联合办理' if joint else '一般事项'}"
                               f"最多延长 {cap} 个工作日")
    if legal_due is not None and on > legal_due:
        raise ValidationFailed(f"延长决定日期 {on} 已超过法定期限 {legal_due}：延长须在期限届满前决定")


def check_pause(reason: str, notice_no: str | None, new: Pause, existing: Sequence[Pause],
                accepted: dt.date) -> list[Pause]:
    """The case's pauses with ``new`` added, or ``ValidationFailed`` naming the rule."""
    if reason not in PAUSE_REASONS:
        raise ValidationFailed(f"中止计时事由「{reason}」不在行政许可法第45条所列之内：应为 {'、'.join(PAUSE_REASONS)}")
    if not (notice_no or "").strip():
        raise ValidationFailed("中止计时须书面告知申请人（行政许可法第45条）：请填写告知书文号")
    return check_pauses([*existing, new], accepted)


@dataclass(frozen=True)
class CaseClock:
    """A case's clocks on ``as_of`` (working days; dates; None while a pause runs)."""

    accepted: dt.date
    legal_limit: int
    promised_limit: int
    used: int
    legal_due: dt.date | None
    promised_due: dt.date | None
    paused: bool
    as_of: dt.date

    @property
    def legal_left(self) -> int:
        return self.legal_limit - self.used

    @property
    def promised_left(self) -> int:
        return self.promised_limit - self.used

    def level(self, yellow_share: float = DEFAULT_YELLOW_SHARE) -> str:
        return alert_level(self.used, self.promised_limit, self.promised_due, self.as_of, yellow_share)


def alert_level(used_days: int, limit: int, due: dt.date | None, as_of: dt.date,
                yellow_share: float = DEFAULT_YELLOW_SHARE) -> str:
    """正常 / 黄色 / 红色 / 逾期 (see module doc)."""
    if due is not None and as_of > due:
        return "逾期"
    if limit - used_days <= RED_LEFT:
        return "红色"
    if limit and used_days >= yellow_share * limit:
        return "黄色"
    return "正常"


def alert_levels(c: ClockArrays, yellow_share: float = DEFAULT_YELLOW_SHARE) -> np.ndarray:
    """``alert_level`` of many cases at once (``zhida.platform.clock.clock_arrays`` on the
    promised limits): per case an index into ``LEVELS``."""
    level = np.zeros(len(c.limit), dtype=np.int8)
    level[(c.limit > 0) & (c.used >= yellow_share * c.limit)] = 1
    level[c.left <= RED_LEFT] = 2
    level[(c.due != NO_DAY) & (c.now > c.due)] = 3
    return level


def case_clock(calendar: WorkingCalendar, accepted: dt.date, legal_limit: int, promised_limit: int,
               pauses: Sequence[Pause], as_of: dt.date) -> CaseClock:
    """Both clocks of a case (limits already including any extension)."""
    ps = check_pauses(pauses, accepted)
    running = any(p.start <= as_of and (p.end is None or as_of <= p.end) for p in ps)
    return CaseClock(accepted, legal_limit, promised_limit, used(accepted, as_of, ps, calendar),
                     deadline(accepted, legal_limit, ps, calendar), deadline(accepted, promised_limit, ps, calendar),
                     running, as_of)


def check_yellow_share(value: float) -> float:
    if not 0 < value < 1:
        raise ValidationFailed(f"黄色预警比例 {value} 不合理：应大于 0 且小于 1（例如 0.8 表示已用八成时限）")
    return value

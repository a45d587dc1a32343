"""Tables of 行政审批: departments and staff, matters (事项), cases (办件) and what hangs on them.

Field names follow GB/T 39046—2020 (政务服务平台基础数据规范) where it names them: 办件编号
(``case_no``), 办件类型 (``case_type``: 即办件/承诺件), acceptance (officer, time, 文号, promised
date), steps, 特别程序, completion. Dates are calendar dates; limits are in working days
(行政许可法 §82); money (fees) is integer fen. Lists (materials, stages, departments) are text
joined by ``；``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base


def now() -> dt.datetime:
    """Local wall-clock time without zone, as every timestamp of zhida is stored (the platform's
    ``models.now`` is not imported: programmes keep off the platform's tables)."""
    return dt.datetime.now()


class Department(Base):
    """A department of the approvals office (审批科室) or a co-handling bureau."""

    __tablename__ = "appr_departments"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))


class Staff(Base):
    """A staff member's place: which department a console user belongs to, and whether he may
    approve extensions (负责人). A step may only be taken by a member of the step's department."""

    __tablename__ = "appr_staff"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    department: Mapped[str] = mapped_column(String(20), ForeignKey("appr_departments.code"), index=True)
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    is_helper: Mapped[bool] = mapped_column(Boolean, default=False)  # 帮办员
    phone: Mapped[str | None] = mapped_column(String(20))


class Setting(Base):
    """Office parameters staff may change (e.g. ``yellow_share`` — 黄色预警 at this share used)."""

    __tablename__ = "appr_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Matter(Base):
    """事项: one approval matter of the catalogue with its limits in working days."""

    __tablename__ = "appr_matters"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    legal_days: Mapped[int] = mapped_column(Integer)  # 法定时限（工作日）
    promised_days: Mapped[int] = mapped_column(Integer)  # 承诺时限（工作日）≤ legal
    instant: Mapped[bool] = mapped_column(Boolean, default=False)  # 即办件
    joint: Mapped[bool] = mapped_column(Boolean, default=False)  # 联合办理（§42: 45 + 15）
    site_inspection: Mapped[bool] = mapped_column(Boolean, default=False)
    expert_review: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_promise: Mapped[bool] = mapped_column(Boolean, default=False)  # 告知承诺制
    tolerance: Mapped[bool] = mapped_column(Boolean, default=True)  # 容缺受理 allowed
    fee_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    departments: Mapped[str] = mapped_column(String(200))  # department codes, lead first
    stages: Mapped[str] = mapped_column(String(300))
    main_materials: Mapped[str] = mapped_column(Text)
    secondary_materials: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(String(300))  # 设定依据 / source of the limits
    local_parameter: Mapped[bool] = mapped_column(Boolean, default=False)  # limits are local choices
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Case(Base):
    """办件. ``state`` follows ``zhida.approvals.states.CASE``.

    Clock columns are kept up to date by the services: ``legal_due`` and ``promised_due`` are the
    deadlines (None while a pause runs), ``used_days`` is set at completion, ``month`` is the
    completion month ``YYYY-MM`` the dashboard groups by.
    """

    __tablename__ = "appr_cases"
    __table_args__ = (Index("ix_appr_cases_month_matter", "month", "matter_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_no: Mapped[str] = mapped_column(String(40), unique=True)
    case_type: Mapped[str] = mapped_column(String(6))  # 即办件 | 承诺件
    matter_code: Mapped[str] = mapped_column(String(30), ForeignKey("appr_matters.code"), index=True)
    department: Mapped[str] = mapped_column(String(20), index=True)  # lead department
    state: Mapped[str] = mapped_column(String(10), index=True)
    applicant_kind: Mapped[str] = mapped_column(String(4))  # 单位 | 个人
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id: Mapped[str] = mapped_column(String(18), index=True)  # USCC or 身份证号
    phone: Mapped[str | None] = mapped_column(String(20))
    project_ref: Mapped[str | None] = mapped_column(String(60), index=True)
    green_channel: Mapped[bool] = mapped_column(Boolean, default=False)
    helper: Mapped[str | None] = mapped_column(String(80))  # 帮办员 username
    proxy: Mapped[bool] = mapped_column(Boolean, default=False)  # 代办
    proxy_authorisation: Mapped[str | None] = mapped_column(String(100))  # 授权委托书 number
    guidance_on: Mapped[dt.date | None] = mapped_column(Date)  # 提前介入 (no clock)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    first_received_on: Mapped[dt.date | None] = mapped_column(Date)
    missing_notice_on: Mapped[dt.date | None] = mapped_column(Date)
    missing_items: Mapped[str | None] = mapped_column(Text)
    deemed_accepted: Mapped[bool] = mapped_column(Boolean, default=False)  # §32 five-day rule
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    acceptance_officer: Mapped[str | None] = mapped_column(String(80))
    acceptance_doc_no: Mapped[str | None] = mapped_column(String(60))
    tolerance: Mapped[bool] = mapped_column(Boolean, default=False)  # 容缺受理
    pledge_no: Mapped[str | None] = mapped_column(String(60))  # 承诺书 number
    notify_promise: Mapped[bool] = mapped_column(Boolean, default=False)  # decided on the promise
    legal_days: Mapped[int] = mapped_column(Integer, default=0)
    promised_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    legal_due: Mapped[dt.date | None] = mapped_column(Date)
    promised_due: Mapped[dt.date | None] = mapped_column(Date)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[str | None] = mapped_column(String(10))  # 准予 | 不予
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    used_days: Mapped[int | None] = mapped_column(Integer)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    month: Mapped[str | None] = mapped_column(String(7))
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    delivery_method: Mapped[str | None] = mapped_column(String(20))
    rating: Mapped[str | None] = mapped_column(String(10))  # 好差评
    rating_comment: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Step(Base):
    """One step of a case (环节): action 通过/退回/其他, officer, opinion, start, end."""

    __tablename__ = "appr_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("appr_cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    department: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(4))
    officer: Mapped[str] = mapped_column(String(80))
    opinion: Mapped[str | None] = mapped_column(String(1000))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Pause(Base):
    """中止计时 (§45): the clock stands still from ``start`` to ``end`` (inclusive) with the
    written notice (``notice_no``) given to the applicant."""

    __tablename__ = "appr_pauses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("appr_cases.id"), index=True)
    reason: Mapped[str] = mapped_column(String(10))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    notice_no: Mapped[str] = mapped_column(String(60))
    created_by: Mapped[str] = mapped_column(String(80))


class Special(Base):
    """特别程序: 1 延长 (days, approver) or 2 其他 (reason and result)."""

    __tablename__ = "appr_special"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("appr_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))  # 延长 | 其他
    days: Mapped[int] = mapped_column(Integer, default=0)
    approver: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(500))
    result: Mapped[str | None] = mapped_column(String(500))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(80))


class Promise(Base):
    """容缺 ledger: one secondary item the applicant promised to hand in by ``due``."""

    __tablename__ = "appr_promises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("appr_cases.id"), index=True)
    material: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(20))  # 原件 | 复印件 | 电子件
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    consequence: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(4), default="待补")  # 待补 | 已补 | 逾期
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)


class AfterCheck(Base):
    """事后核查 of a case decided on the applicant's promise (告知承诺制)."""

    __tablename__ = "appr_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("appr_cases.id"), index=True)
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    officer: Mapped[str | None] = mapped_column(String(80))
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(10))  # 属实 | 不实
    note: Mapped[str | None] = mapped_column(String(500))


class Task(Base):
    """A parallel branch (现场勘验, 材料审查, a co-handling department) with its own owner and limit."""

    __tablename__ = "appr_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("appr_cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    department: Mapped[str] = mapped_column(String(20), index=True)
    owner: Mapped[str] = mapped_column(String(80), index=True)
    limit_days: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(4))  # 通过 | 退回 | 其他
    opinion: Mapped[str | None] = mapped_column(String(1000))


class Service(Base):
    """帮办代办 timeline: 提前介入, 上门受理, 跟踪催办, 统一送达, 事后评价 by the named 帮办员."""

    __tablename__ = "appr_service"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("appr_cases.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    on: Mapped[dt.date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(500))

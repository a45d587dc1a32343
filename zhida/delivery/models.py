"""Tables of delivery: cycles, entitlements, objections, calls, payments, bank batches.

Money is integer fen. States and outcomes a clerk reads are stored in Chinese, exactly as
they are shown; the shared outbox uses short English codes because other packages use it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base
from zhida.delivery.states import CycleState
from zhida.platform.models import now


# --------------------------------------------------------------------------- cycles
class Cycle(Base):
    """发放批次: one delivery of one policy run."""

    __tablename__ = "delivery_cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(Integer, index=True)
    policy_id: Mapped[str] = mapped_column(String(80))
    policy_name: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default=CycleState.DRAFT)
    parent_id: Mapped[int | None] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    publicity_days: Mapped[int] = mapped_column(Integer, default=5)
    confirm_days: Mapped[int] = mapped_column(Integer, default=10)
    call_after_days: Mapped[int] = mapped_column(Integer, default=3)
    # a first call that did not get through is tried once more this many working days later
    recall_after_days: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    publicity_end: Mapped[dt.date | None] = mapped_column(Date)
    confirm_start: Mapped[dt.date | None] = mapped_column(Date)
    confirm_deadline: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    # 补发: a supplementary cycle of the same (policy, period), listing only units never paid,
    # pending or declined in an earlier cycle
    supplementary: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # compare-and-set: every ORM update checks and bumps it (a concurrent change fails the loser)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # the export in progress (a token) and since when; a stale claim (crashed export) expires
    export_claim: Mapped[str | None] = mapped_column(String(40))
    export_claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as declared)


class ReturnFile(Base):
    """A bank return file applied to a cycle, by content hash: the same file is applied once."""

    __tablename__ = "delivery_return_files"

    cycle_id: Mapped[int] = mapped_column(ForeignKey("delivery_cycles.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(200))
    imported_by: Mapped[str] = mapped_column(String(80))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class AccountChange(Base):
    """A requested change of a unit's bank account (户名, 账号, 开户行) and its review.

    status: 待审核 → 已生效 | 已驳回; 已生效 at once only for the unit's own authenticated
    confirmation whose 户名 equals its registered name. ``source``: 单位门户, 经办, 导入.
    """

    __tablename__ = "delivery_account_changes"
    __table_args__ = (Index("ix_delivery_account_changes_status", "status", "uscc"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(String(18))
    source: Mapped[str] = mapped_column(String(10))
    cycle_id: Mapped[int | None] = mapped_column(Integer)
    account_name: Mapped[str | None] = mapped_column(String(200))
    account_no: Mapped[str | None] = mapped_column(String(30))
    bank_name: Mapped[str | None] = mapped_column(String(100))
    name_exception: Mapped[str | None] = mapped_column(String(200))  # why 户名 may differ from the unit name
    status: Mapped[str] = mapped_column(String(4), default="待审核")
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_role: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_note: Mapped[str | None] = mapped_column(String(200))


class PaymentAccount(Base):
    """The account a unit is paid to: approved (or the registry's, adopted at first use)."""

    __tablename__ = "delivery_payment_accounts"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    account_name: Mapped[str | None] = mapped_column(String(200))
    bank_name: Mapped[str | None] = mapped_column(String(100))
    account_no: Mapped[str | None] = mapped_column(String(30))
    change_id: Mapped[int | None] = mapped_column(Integer)
    approved_by: Mapped[str] = mapped_column(String(80))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class CycleEvent(Base):
    """One state transition of a cycle: who, when, from and to."""

    __tablename__ = "delivery_cycle_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("delivery_cycles.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(10))
    to_state: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    note: Mapped[str | None] = mapped_column(Text)


class Entitlement(Base):
    """One eligible unit of a cycle, frozen at creation (name, amount, account, phone).

    confirmation: 待确认, 已确认, 已更正 (confirmed with a corrected account), 放弃 (declined),
    免审即享 (no answer by the deadline: granted without application).
    """

    __tablename__ = "delivery_entitlements"
    # the cycle page lists a cycle's entitlements by township, then code
    __table_args__ = (Index("ix_delivery_entitlements_cycle_township", "cycle_id", "township", "uscc"),)

    cycle_id: Mapped[int] = mapped_column(ForeignKey("delivery_cycles.id"), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    size_class: Mapped[str | None] = mapped_column(String(4))
    township: Mapped[str | None] = mapped_column(String(50))
    industry_section: Mapped[str | None] = mapped_column(String(1))
    insured: Mapped[int] = mapped_column(Integer, default=0)
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    bank_name: Mapped[str | None] = mapped_column(String(100))
    account_no: Mapped[str | None] = mapped_column(String(30))
    account_name: Mapped[str | None] = mapped_column(String(200))
    confirmation: Mapped[str] = mapped_column(String(8), default="待确认")
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    hold_reason: Mapped[str | None] = mapped_column(String(200))
    objection_open: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded: Mapped[str | None] = mapped_column(String(200))


class Objection(Base):
    """异议 against one unit of a cycle during or after 公示."""

    __tablename__ = "delivery_objections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("delivery_cycles.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18))
    content: Mapped[str] = mapped_column(Text)
    raised_by: Mapped[str] = mapped_column(String(80))
    # 来源: 单位 (the unit itself, on the portal), 群众来信来电 (a member of the public), 核查 (staff's own check)
    source: Mapped[str] = mapped_column(String(10), default="单位", server_default="单位")
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    status: Mapped[str] = mapped_column(String(6), default="待处理")
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(80))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CallTask(Base):
    """A phone call staff must make to a unit the SMS did not reach or that did not answer."""

    __tablename__ = "delivery_calls"
    __table_args__ = (UniqueConstraint("cycle_id", "uscc", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("delivery_cycles.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18))
    round: Mapped[int] = mapped_column(Integer, default=1)
    phone: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    outcome: Mapped[str | None] = mapped_column(String(6))
    called_on: Mapped[dt.date | None] = mapped_column(Date)  # the day the call was made
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


# --------------------------------------------------------------------------- payments
class Payment(Base):
    """Exactly one per entitlement: ``idem_key`` = policy|period|unit is unique.

    status: 待导出 → 已导出 → 已支付 | 失败; a failed one, once corrected, is 待导出 again.
    Staff cancel (已取消, with ``cancel_reason``) one that cannot go out (待导出 or 失败);
    an upheld objection cancels one not yet exported.
    """

    __tablename__ = "delivery_payments"
    __table_args__ = (Index("ix_delivery_payments_cycle_status", "cycle_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idem_key: Mapped[str] = mapped_column(String(140), unique=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("delivery_cycles.id"))
    uscc: Mapped[str] = mapped_column(String(18))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    account_name: Mapped[str | None] = mapped_column(String(200))
    account_no: Mapped[str | None] = mapped_column(String(30))
    bank_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(4), default="待导出")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    fail_reason: Mapped[str | None] = mapped_column(String(200))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))


class Batch(Base):
    """代发批次文件: one export of a cycle's payments, with its control total."""

    __tablename__ = "delivery_batches"
    __table_args__ = (UniqueConstraint("cycle_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("delivery_cycles.id"))
    seq: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    written_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    file_csv: Mapped[str | None] = mapped_column(String(400))
    file_xlsx: Mapped[str | None] = mapped_column(String(400))
    sha256: Mapped[str | None] = mapped_column(String(64))


class Transfer(Base):
    """One line of one bank file: an attempt to pay one payment, with its 业务参考号."""

    __tablename__ = "delivery_transfers"
    __table_args__ = (UniqueConstraint("payment_id", "attempt"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("delivery_payments.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("delivery_batches.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    line_no: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    account_name: Mapped[str | None] = mapped_column(String(200))
    account_no: Mapped[str | None] = mapped_column(String(30))
    bank_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(4), default="已导出")
    fail_reason: Mapped[str | None] = mapped_column(String(200))
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


def analyze(session, *tables: str) -> None:
    """Refresh PostgreSQL's statistics after a bulk write, so the next joins get sane plans.

    Without them, a table that just grew from 0 to 100,000 rows is planned as if empty and
    a set-based UPDATE turns into nested loops. SQLite needs nothing.
    """
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        for t in tables:
            session.execute(text(f"ANALYZE {t}"))

"""Tables of the guaranteed start-up loans (创业担保贷款).

Money is integer fen, rates integer units of 10⁻⁸ (``zhida.loans.rates``), dates ``Date``.
Other packages read these only through ``zhida.loans.queries``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base, now


class LoanBank(Base):
    """A handling bank (经办银行): a code, its name and the guarantee fund's agreement."""

    __tablename__ = "loan_banks"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    account_no: Mapped[str | None] = mapped_column(String(30))
    phone: Mapped[str | None] = mapped_column(String(20))  # 业务联系人手机，收办理提醒


class LoanContact(Base):
    """Who is reminded of a step's time limit for a role (经办、担保机构), by SMS."""

    __tablename__ = "loan_contacts"

    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))


class LoanScope(Base):
    """Which bank a console account of the 银行 role acts for (it sees only that bank's loans)."""

    __tablename__ = "loan_scopes"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    bank_code: Mapped[str] = mapped_column(String(20), ForeignKey("loan_banks.code"))


class Applicant(Base):
    """借款人: a person (个人, by 身份证号) or a small/micro enterprise (小微企业, by USCC)."""

    __tablename__ = "loan_applicants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # 个人 | 小微企业
    name: Mapped[str] = mapped_column(String(200), info={"label": "姓名或名称"})
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    sex: Mapped[str | None] = mapped_column(String(2))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    hukou: Mapped[str | None] = mapped_column(String(100), info={"label": "户籍所在地"})
    township: Mapped[str | None] = mapped_column(String(50), info={"label": "创业所在乡镇"})
    target_group: Mapped[str | None] = mapped_column(String(40), info={"label": "人员类别"})
    evidence_ref: Mapped[str | None] = mapped_column(String(100), info={"label": "证明材料编号"})
    graduated_on: Mapped[dt.date | None] = mapped_column(Date)
    spouse_id_number: Mapped[str | None] = mapped_column(String(18))
    staff_count: Mapped[int | None] = mapped_column(Integer)
    new_hires_12m: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Application(Base):
    """A loan application (贷款申请) with its number, channel and state in the process."""

    __tablename__ = "loan_applications"
    __table_args__ = (Index("ix_loan_applications_state", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # 个人 | 小微企业 | 合伙
    applicant_id: Mapped[int] = mapped_column(ForeignKey("loan_applicants.id"), index=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("loan_banks.code"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    months: Mapped[int] = mapped_column(Integer)
    rate: Mapped[int] = mapped_column(BigInteger)
    repayment: Mapped[str] = mapped_column(String(20), default="interest-quarterly")
    project: Mapped[str] = mapped_column(String(200), info={"label": "创业项目"})
    jobs_created: Mapped[int] = mapped_column(Integer, default=0)
    township: Mapped[str | None] = mapped_column(String(50), info={"label": "创业所在乡镇"})
    region: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))  # 网上 | 窗口 | 银行导入
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    state_since: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Intake(Base):
    """An application received by the handling bank (银行受理), imported and then taken in
    through ``intake.take_in``: 待处理 → 已受理 (with its application number) | 不予受理 (why)."""

    __tablename__ = "loan_intake"

    bank_ref: Mapped[str] = mapped_column(String(40), primary_key=True)
    bank_code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str] = mapped_column(String(20))
    hukou: Mapped[str | None] = mapped_column(String(100))
    township: Mapped[str | None] = mapped_column(String(50))
    target_group: Mapped[str] = mapped_column(String(40))
    evidence_ref: Mapped[str | None] = mapped_column(String(100))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    months: Mapped[int] = mapped_column(Integer)
    rate: Mapped[int] = mapped_column(BigInteger)
    project: Mapped[str] = mapped_column(String(200))
    jobs_created: Mapped[int | None] = mapped_column(Integer)
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="待处理", server_default="待处理")
    application_number: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)


class Partner(Base):
    """A partner of a partnership application (合伙创业), each an applicant of its own."""

    __tablename__ = "loan_partners"

    application_id: Mapped[int] = mapped_column(ForeignKey("loan_applications.id"), primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("loan_applicants.id"), primary_key=True)


class CreditCheck(Base):
    """征信查询结果 imported from the credit-check file: one person on one day."""

    __tablename__ = "loan_credit_checks"

    id_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    checked_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    other_loans_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    consumer_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    bad_record: Mapped[bool] = mapped_column(Boolean, default=False)


class LprRate(Base):
    """贷款市场报价利率 (LPR) published on a day (1-year and over-5-year), rate units."""

    __tablename__ = "loan_lpr"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    one_year: Mapped[int] = mapped_column(BigInteger)
    five_year: Mapped[int] = mapped_column(BigInteger)


class Loan(Base):
    """A disbursed loan (贷款台账) with its contract terms (as extended) and state."""

    __tablename__ = "loans"
    __table_args__ = (Index("ix_loans_bank_state", "bank_code", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("loan_applications.id"), unique=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("loan_applicants.id"), index=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("loan_banks.code"))
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[int] = mapped_column(BigInteger)
    lpr: Mapped[int] = mapped_column(BigInteger)
    start: Mapped[dt.date] = mapped_column(Date)
    maturity: Mapped[dt.date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(Integer)
    repayment: Mapped[str] = mapped_column(String(20))
    formula: Mapped[str] = mapped_column(String(12))
    day_count: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(30))
    township: Mapped[str | None] = mapped_column(String(50))
    target_group: Mapped[str | None] = mapped_column(String(40))
    jobs_created: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(10))
    overdue_since: Mapped[dt.date | None] = mapped_column(Date)
    settled_on: Mapped[dt.date | None] = mapped_column(Date)
    # 展期: how many times and by how many months in all (``months`` and ``maturity`` include them)
    extensions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extended_months: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LoanPeriod(Base):
    """One period of a loan's plan with its interest split (分); ``claim_id`` once claimed."""

    __tablename__ = "loan_periods"
    __table_args__ = (Index("ix_loan_periods_end", "end"),)

    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), primary_key=True)
    no: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    borrower_fen: Mapped[int] = mapped_column(BigInteger)
    subsidy_fen: Mapped[int] = mapped_column(BigInteger)
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    subsidised: Mapped[bool] = mapped_column(Boolean, default=True)
    claim_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Repayment(Base):
    """A repayment line of a bank file (还款流水), keyed by the bank's reference."""

    __tablename__ = "loan_repayments"

    bank_ref: Mapped[str] = mapped_column(String(40), primary_key=True)
    loan_number: Mapped[str] = mapped_column(String(20), index=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    batch_no: Mapped[str] = mapped_column(String(40))
    batch_count: Mapped[int] = mapped_column(Integer)
    batch_total_fen: Mapped[int] = mapped_column(BigInteger)


class SubsidyClaim(Base):
    """A bank's quarterly subsidy claim (贴息申请): 清单 = its periods, total, payment status."""

    __tablename__ = "loan_subsidy_claims"
    __table_args__ = (UniqueConstraint("bank_code", "quarter", name="uq_loan_claim_bank_quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("loan_banks.code"))
    quarter: Mapped[str] = mapped_column(String(7))  # 2026Q1
    lines: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    bank_ref: Mapped[str | None] = mapped_column(String(40), unique=True)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    fail_reason: Mapped[str | None] = mapped_column(Text)  # of the current transfer; earlier ones in the history
    attempt: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # retries after 拨付失败
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class FundEntry(Base):
    """A movement of the guarantee fund (担保基金): 注资, 代偿, 追偿, 核销 (分, signed)."""

    __tablename__ = "loan_fund_entries"
    __table_args__ = (UniqueConstraint("kind", "loan_id", "ref", name="uq_loan_fund_kind_loan_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(6))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # whole default / recovery / write-off
    fund_fen: Mapped[int] = mapped_column(BigInteger)  # effect on the fund's balance (+ in, − out)
    bank_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # share borne or recovered by the bank
    note: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(80))


class LoanTarget(Base):
    """Annual target of the programme (年度目标): amount and number of loans."""

    __tablename__ = "loan_targets"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)


class LoginCode(Base):
    """A one-time portal login code of an individual applicant (hashed; one valid at a time)."""

    __tablename__ = "loan_login_codes"

    id_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_in_window: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class NumberCounter(Base):
    """The last number given of one series (``CD2026``, ``DK2026`` …): taken by an UPDATE that
    holds the row until commit, so two submissions at once get different numbers."""

    __tablename__ = "loan_number_counters"

    series: Mapped[str] = mapped_column(String(12), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)

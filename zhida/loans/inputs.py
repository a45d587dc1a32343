"""The input frame of the eligibility rules: one row per application (资格审查输入).

``COLUMNS`` names every column and its meaning; ``frame_of`` builds the frame from plain
dicts (the tests and the benchmark use it directly), ``load`` reads applications from the
database. For a partnership the personal columns are those that bind: the youngest partner's
age, the earliest retirement, every partner's group, the sum of credit balances.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.errors import ValidationFailed
from zhida.loans.models import Applicant, Application, CreditCheck, Loan, LprRate, Partner
from zhida.loans.retirement import age_on, retirement_date
from zhida.loans.schedule import add_months

COLUMNS: dict[str, pl.DataType] = {
    "number": pl.Utf8, "name": pl.Utf8, "kind": pl.Utf8, "region": pl.Utf8,
    "submitted_on": pl.Date, "maturity": pl.Date,  # 申请日、按申请期限计算的到期日
    "amount_fen": pl.Int64, "months": pl.Int64, "rate": pl.Int64, "lpr": pl.Int64,  # 分、月、10⁻⁸
    "groups": pl.List(pl.Utf8), "graduate_on": pl.Date,  # 人员类别；高校毕业生的毕业日
    "age": pl.Int64, "retire_on": pl.Date,  # 申请时周岁；法定退休日
    "staff": pl.Int64, "new_hires": pl.Int64,  # 小微企业在职职工、近 12 个月新招用符合条件人员
    "loans_before": pl.Int64, "partners": pl.Int64,
    "credit_known": pl.Boolean, "other_loans_fen": pl.Int64, "consumer_fen": pl.Int64, "bad_record": pl.Boolean,
}


def frame_of(rows: list[dict]) -> pl.DataFrame:
    """A typed input frame from dicts with the keys of ``COLUMNS`` (missing ones are null)."""
    return pl.DataFrame([{k: r.get(k) for k in COLUMNS} for r in rows], schema=COLUMNS)


def lpr_on(session: Session, day: dt.date) -> int:
    """The 1-year LPR in force on ``day`` (the latest published on or before it)."""
    rate = session.scalar(select(LprRate.one_year).where(LprRate.day <= day).order_by(LprRate.day.desc()).limit(1))
    if rate is None:
        raise ValidationFailed(f"没有 {day} 当日适用的贷款市场报价利率（LPR）：请先导入 LPR 表（zhida import loan-lpr）")
    return rate


def _credit(session: Session, numbers: list[str]) -> dict[str, CreditCheck]:
    latest: dict[str, CreditCheck] = {}
    for c in session.scalars(select(CreditCheck).where(CreditCheck.id_number.in_(numbers))
                             .order_by(CreditCheck.checked_on)):
        latest[c.id_number] = c
    return latest


def person_row(people: list[Applicant], day: dt.date, maturity: dt.date, credit: dict[str, CreditCheck]) -> dict:
    """The binding personal columns of one or more people (a partnership's partners)."""
    ids = [p.id_number for p in people] + [p.spouse_id_number for p in people if p.spouse_id_number]
    checks = [credit.get(i) for i in ids]
    known = all(c is not None for c in checks)
    grads = [p.graduated_on for p in people if p.target_group == "高校毕业生" and p.graduated_on]
    return {"groups": [p.target_group or "" for p in people], "graduate_on": min(grads) if grads else None,
            "age": min(age_on(p.birth_date, day) for p in people),
            "retire_on": min(retirement_date(p.birth_date, p.sex) for p in people),
            "credit_known": known,
            "other_loans_fen": sum(c.other_loans_fen for c in checks if c) if known else None,
            "consumer_fen": sum(c.consumer_fen for c in checks if c) if known else None,
            "bad_record": any(c.bad_record for c in checks if c) if known else None}


def loans_before(session: Session, applicant_ids: list[int]) -> dict[int, int]:
    stmt = select(Loan.applicant_id, func.count()).where(Loan.applicant_id.in_(applicant_ids)).group_by(Loan.applicant_id)
    return dict(session.execute(stmt).all())


def row_of(session: Session, app: Application, applicant: Applicant, partners: list[Applicant]) -> dict:
    """The input row of one application (stored or about to be stored)."""
    maturity = add_months(app.submitted_on, app.months)
    people = partners if app.kind == "合伙" else ([applicant] if app.kind == "个人" else [])
    numbers = [p.id_number for p in people] + [p.spouse_id_number for p in people if p.spouse_id_number]
    ids = [p.id for p in people] or [applicant.id]
    counts = loans_before(session, [i for i in ids if i is not None])
    row = {"number": app.number, "name": applicant.name, "kind": app.kind, "region": app.region,
           "submitted_on": app.submitted_on, "maturity": maturity, "amount_fen": app.amount_fen,
           "months": app.months, "rate": app.rate, "lpr": lpr_on(session, app.submitted_on),
           "loans_before": max(counts.get(i, 0) for i in ids), "partners": len(partners) or None}
    if people:
        row.update(person_row(people, app.submitted_on, maturity, _credit(session, numbers)))
    else:
        row.update({"staff": applicant.staff_count, "new_hires": applicant.new_hires_12m, "groups": [],
                    "credit_known": True, "other_loans_fen": 0, "consumer_fen": 0, "bad_record": False})
        row.update(_enterprise_credit(session, applicant))
    return row


def _enterprise_credit(session: Session, applicant: Applicant) -> dict:
    check = _credit(session, [applicant.uscc]).get(applicant.uscc)
    if check is None:
        return {"credit_known": False}
    return {"credit_known": True, "other_loans_fen": check.other_loans_fen, "consumer_fen": check.consumer_fen,
            "bad_record": check.bad_record}


def load(session: Session, application_ids: list[int]) -> pl.DataFrame:
    """The input frame of stored applications."""
    rows = []
    for app in session.scalars(select(Application).where(Application.id.in_(application_ids)).order_by(Application.id)):
        applicant = session.get(Applicant, app.applicant_id)
        partners = list(session.scalars(select(Applicant).join(Partner, Partner.applicant_id == Applicant.id)
                                        .where(Partner.application_id == app.id).order_by(Applicant.id)))
        rows.append(row_of(session, app, applicant, partners))
    return frame_of(rows)

"""What the loans programme gives the rules engine: the entity 贷款申请 and its input sources.

- ``loan_applications`` (base): one row per application submitted in the period (or the one
  asked for by number) with every value the eligibility policy judges, computed from the
  stored applicant(s), the 征信 checks and the LPR table (``rows``). Dates are turned into the
  numbers the rules compare: age at submission (周岁), days from maturity to statutory
  retirement (negative = retires within the term), whole years since graduation;
- ``loan_people``: the target group (人员类别) of each borrower of an application (each partner
  of a partnership); joined as the group that binds — the first not in the policy's list.

Rates are numbers of 10⁻⁸ (``zhida.loans.rates``), shown as percent.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.loans.models import Applicant, Application, CreditCheck, Loan, LprRate, Partner
from zhida.loans.retirement import age_on, retirement_date
from zhida.loans.schedule import add_months
from zhida.rules.entities import (
    Entity,
    FieldSpec,
    InputSource,
    SourceQuery,
    frame_from_rows,
    register_entity,
    register_source,
)

S, I, B = pl.String, pl.Int64, pl.Boolean
APPLICATION = register_entity(Entity("loan_application", "贷款申请", key="number", title="name",
                                     base="loan_applications", aliases=("loan application", "贷款申请")))

SCHEMA = {"number": S, "name": S, "kind": S, "amount": I, "months": I, "rate": I, "lpr": I, "partners": I,
          "age": I, "retire_margin_days": I, "graduate_years": I, "staff": I, "new_hires": I, "loans_before": I,
          "other_loans": I, "consumer": I, "bad_record": B}
PEOPLE_SCHEMA = {"number": S, "seq": I, "target_group": S}


def _period(q: SourceQuery) -> tuple[dt.date, dt.date]:
    if q.quarter:
        start = dt.date(q.year, 3 * q.quarter - 2, 1)
        return start, add_months(start, 3) - dt.timedelta(days=1)
    return dt.date(q.year, 1, 1), dt.date(q.year, 12, 31)


def _applications(session: Session, q: SourceQuery) -> list[Application]:
    stmt = select(Application)
    if q.key:
        stmt = stmt.where(Application.number == q.key)
    else:
        a, b = _period(q)
        stmt = stmt.where(Application.submitted_on.between(a, b))
    return list(session.scalars(stmt.order_by(Application.id)))


def _people(session: Session, apps: list[Application]) -> dict[int, list[Applicant]]:
    """The borrowers of each application: its partners, or its one applicant."""
    ids = [a.id for a in apps]
    partners: dict[int, list[int]] = {}
    for app_id, person in session.execute(select(Partner.application_id, Partner.applicant_id)
                                          .where(Partner.application_id.in_(ids)).order_by(Partner.applicant_id)):
        partners.setdefault(app_id, []).append(person)
    wanted = {p for ps in partners.values() for p in ps} | {a.applicant_id for a in apps}
    people = {p.id: p for p in session.scalars(select(Applicant).where(Applicant.id.in_(wanted)))}
    return {a.id: [people[p] for p in partners.get(a.id, [a.applicant_id])] for a in apps}


def _credit(session: Session, numbers: set[str]) -> dict[str, CreditCheck]:
    latest: dict[str, CreditCheck] = {}
    for c in session.scalars(select(CreditCheck).where(CreditCheck.id_number.in_(numbers)).order_by(CreditCheck.checked_on)):
        latest[c.id_number] = c
    return latest


def _lpr(session: Session):
    table = sorted(session.execute(select(LprRate.day, LprRate.one_year)).all())

    def on(day: dt.date) -> int | None:
        found = [r for d, r in table if d <= day]
        return found[-1] if found else None

    return on


def row(app: Application, people: list[Applicant], credit: dict, counts: dict, lpr) -> dict:
    """The input row of one application (see the module doc)."""
    day, maturity = app.submitted_on, add_months(app.submitted_on, app.months)
    personal = [p for p in people if p.kind == "个人"]
    ids = [p.id_number for p in personal] + [p.spouse_id_number for p in personal if p.spouse_id_number]
    ids += [p.uscc for p in people if p.kind != "个人"]
    checks = [credit.get(i) for i in ids]
    known = all(checks)
    grads = [age_on(p.graduated_on, day) for p in personal if p.target_group == "高校毕业生" and p.graduated_on]
    ent = people[0] if people[0].kind != "个人" else None
    return {"number": app.number, "name": people[0].name, "kind": app.kind, "amount": app.amount_fen,
            "months": app.months, "rate": app.rate, "lpr": lpr(day), "partners": len(people),
            "age": min((age_on(p.birth_date, day) for p in personal), default=None),
            "retire_margin_days": min(((retirement_date(p.birth_date, p.sex) - maturity).days for p in personal),
                                      default=None),
            "graduate_years": max(grads) if grads else None,
            "staff": ent.staff_count if ent else None, "new_hires": ent.new_hires_12m if ent else None,
            "loans_before": max(counts.get(p.id, 0) for p in people),
            "other_loans": sum(c.other_loans_fen for c in checks) if known else None,
            "consumer": sum(c.consumer_fen for c in checks) if known else None,
            "bad_record": any(c.bad_record for c in checks) if known else None}


def rows(session: Session, apps: list[Application]) -> tuple[list[dict], list[tuple]]:
    """Input rows and (number, seq, group) rows of many applications, read in a few statements."""
    people = _people(session, apps)
    everyone = [p for ps in people.values() for p in ps]
    numbers = {p.id_number for p in everyone if p.id_number} | {p.spouse_id_number for p in everyone
                                                                 if p.spouse_id_number} | {p.uscc for p in everyone if p.uscc}
    credit = _credit(session, numbers)
    counts = dict(session.execute(select(Loan.applicant_id, func.count()).where(
        Loan.applicant_id.in_([p.id for p in everyone])).group_by(Loan.applicant_id)).all())
    lpr = _lpr(session)
    groups = [(a.number, i, p.target_group) for a in apps for i, p in enumerate(people[a.id]) if p.kind == "个人"]
    return [row(a, people[a.id], credit, counts, lpr) for a in apps], groups


def _read(session: Session, q: SourceQuery) -> pl.DataFrame:
    data, _ = rows(session, _applications(session, q))
    return pl.DataFrame(data, schema=SCHEMA)


def _read_people(session: Session, q: SourceQuery) -> pl.DataFrame:
    _, groups = rows(session, _applications(session, q))
    return frame_from_rows(PEOPLE_SCHEMA, groups)


def _join_people(policy, period, as_of: dt.date, raw: pl.DataFrame) -> pl.DataFrame:
    """One group per application: the first borrower's group that is not in the policy's list
    (``groups`` in force), else the first borrower's group."""
    from zhida.rules.evaluate import resolve_parameters

    listed = list(resolve_parameters(policy, period.start)["groups"].value)
    ordered = raw.with_columns((~pl.col("target_group").is_in(listed).fill_null(False)).alias("_out")).sort(
        ["number", "_out", "seq"], descending=[False, True, False])
    return ordered.group_by("number", maintain_order=True).first().select("number", "target_group")


register_source(InputSource("loan_applications", "loan_application", "贷款申请", (
    FieldSpec("number", "申请编号"), FieldSpec("name", "借款人"), FieldSpec("kind", "申请类型"),
    FieldSpec("amount", "申请金额", "money", "yuan"), FieldSpec("months", "贷款期限", "number", "month"),
    FieldSpec("rate", "合同利率", "number", "percent", 8), FieldSpec("lpr", "申请时 1 年期 LPR", "number", "percent", 8),
    FieldSpec("partners", "借款人（合伙人）人数", "number", "person"),
    FieldSpec("age", "申请时年龄", "number", "year"),
    FieldSpec("retire_margin_days", "贷款到期日距法定退休日天数", "number", "day"),
    FieldSpec("graduate_years", "毕业周年数", "number", "year"),
    FieldSpec("staff", "在职职工人数", "number", "person"), FieldSpec("new_hires", "近 12 个月新招用符合条件人员", "number", "person"),
    FieldSpec("loans_before", "已获创业担保贷款次数", "number", "plain"),
    FieldSpec("other_loans", "借款人及配偶非豁免贷款余额", "money", "yuan"),
    FieldSpec("consumer", "借款人及配偶消费贷款（含信用卡）余额", "money", "yuan"),
    FieldSpec("bad_record", "有不良信用记录", "bool"),
), SCHEMA, _read, case_defaults=lambda period, offset: {"kind": "个人"}))

register_source(InputSource("loan_people", "loan_application", "借款人人员类别", (
    FieldSpec("target_group", "人员类别"),
), PEOPLE_SCHEMA, _read_people, _join_people, case_defaults=lambda period, offset: {"seq": 0}))

"""What the loans programme gives the rules engine: the entity 贷款申请 and its input sources.

- ``loan_applications`` (base): one row per application submitted in the period (or the one
  asked for by number) with every value the eligibility policy judges, computed from the
  stored applicant(s), the 征信 checks and the LPR table (``read_inputs``). Dates are turned
  into the numbers the rules compare: age at submission (周岁), days from maturity to
  statutory retirement (negative = retires within the term), whole years since graduation;
- ``loan_people``: the target group (人员类别) of each borrower of an application (each partner
  of a partnership); joined as the group that binds — the first not in the policy's list.

Rates are numbers of 10⁻⁸ (``zhida.loans.rates``), shown as percent. Everything is read set-based
— a few statements through ``bulk.read_frame`` into Polars, the values computed column-wise —
so a quarter of 100,000 applications takes about a second (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import polars as pl
from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from zhida.loans.bulk import read_frame
from zhida.loans.models import Applicant, Application, CreditCheck, LprRate, Partner
from zhida.loans.retirement import age_between, retirement_dates
from zhida.loans.schedule import add_months
from zhida.rules.entities import (
    Entity,
    FieldSpec,
    InputSource,
    SourceQuery,
    register_entity,
    register_source,
)

S, INT, B, D = pl.String, pl.Int64, pl.Boolean, pl.Date
C = pl.col
PERSONAL = "个人"
DISBURSED, REJECTED = "已放款", "已拒绝"  # the application states of zhida.loans.process
FEW = 1000  # credit checks are read by id up to this many ids, else all of them
APPLICATION = register_entity(Entity("loan_application", "贷款申请", key="number", title="name",
                                     base="loan_applications", aliases=("loan application", "贷款申请")))

SCHEMA = {"number": S, "name": S, "kind": S, "amount": INT, "months": INT, "rate": INT, "lpr": INT, "partners": INT,
          "age": INT, "retire_margin_days": INT, "graduate_years": INT, "staff": INT, "new_hires": INT,
          "loans_before": INT, "other_loans": INT, "consumer": INT, "bad_record": B}
PEOPLE_SCHEMA = {"number": S, "seq": INT, "target_group": S}
BORROWERS = {"app_id": INT, "number": S, "kind": S, "amount": INT, "months": INT, "rate": INT, "day": D,
             "person_id": INT, "person_kind": S, "person_name": S, "id_number": S, "uscc": S, "sex": S,
             "birth_date": D, "target_group": S, "graduated_on": D, "spouse": S, "staff": INT, "new_hires": INT,
             "loans": INT}


def _period(q: SourceQuery) -> tuple[dt.date, dt.date]:
    if q.quarter:
        start = dt.date(q.year, 3 * q.quarter - 2, 1)
        return start, add_months(start, 3) - dt.timedelta(days=1)
    return dt.date(q.year, 1, 1), dt.date(q.year, 12, 31)


def _borrowers(q: SourceQuery) -> Any:
    """(application, borrower) of the applications asked for — one number, or those submitted
    in the period: each partner of a partnership, else its one applicant."""
    wanted = Application.number == q.key if q.key else Application.submitted_on.between(*_period(q))
    person = func.coalesce(Partner.applicant_id, Application.applicant_id)
    return (select(Application.id.label("app_id"), person.label("person_id"))
            .outerjoin(Partner, Partner.application_id == Application.id).where(wanted).subquery())


def _held(session: Session, people: pl.DataFrame) -> pl.DataFrame:
    """Per (application, borrower): how many other loans the borrower has, or is applying for
    (已获及在办) — every other application of theirs (as applicant or partner) that was
    disbursed, and every one still in progress that came in before this one, so two
    applications sent at once cannot both take the last of the 3 loans. Refused ones do not
    count. One statement for the borrowers' applications, the counting in Polars."""
    persons = people["person_id"].unique().to_list()
    main = select(Application.id, Application.applicant_id, Application.state)
    partnered = (select(Partner.application_id, Partner.applicant_id, Application.state)
                 .join(Application, Application.id == Partner.application_id))
    if len(persons) <= FEW:
        main = main.where(Application.applicant_id.in_(persons))
        partnered = partnered.where(Partner.applicant_id.in_(persons))
    theirs = read_frame(session, select(union(main, partnered).subquery()), {"aid": INT, "person_id": INT, "state": S})
    counted = (C("aid") != C("app_id")) & ((C("state") == DISBURSED)
                                          | ((C("state") != REJECTED) & (C("aid") < C("app_id"))))
    held = (people.select("app_id", "person_id").join(theirs, on="person_id").filter(counted)
            .group_by("app_id", "person_id").agg(pl.len().cast(INT).alias("loans")))
    return (people.join(held, on=["app_id", "person_id"], how="left")
            .with_columns(C("loans").fill_null(0)))


def _people(session: Session, q: SourceQuery) -> pl.DataFrame:
    """One row per borrower (``BORROWERS``): the application's values, the borrower's, and how
    many loans the borrower has or is applying for (``_held``); ``seq`` numbers the borrowers
    of an application by id."""
    b, a, p = _borrowers(q), Application, Applicant
    stmt = (select(a.id, a.number, a.kind, a.amount_fen, a.months, a.rate, a.submitted_on, p.id, p.kind, p.name,
                   p.id_number, p.uscc, p.sex, p.birth_date, p.target_group, p.graduated_on, p.spouse_id_number,
                   p.staff_count, p.new_hires_12m)
            .select_from(b).join(a, a.id == b.c.app_id).join(p, p.id == b.c.person_id))
    people = read_frame(session, stmt, {k: v for k, v in BORROWERS.items() if k != "loans"})
    return (_held(session, people).select(list(BORROWERS)).sort("app_id", "person_id")
            .with_columns(pl.int_range(pl.len(), dtype=INT).over("app_id").alias("seq")))


def read_inputs(session: Session, q: SourceQuery) -> pl.DataFrame:
    """The base frame (``SCHEMA``) of the applications asked for: three statements (borrowers
    with their applications, their credit checks, the LPR table) put together in Polars."""
    people = _people(session, q)
    apps = people.filter(C("seq") == 0).select("app_id", "number", "kind", "amount", "months", "rate", "day")
    apps = apps.join(_credit(session, people), on="app_id", how="left").join(_person_values(people), on="app_id",
                                                                                   how="left")
    apps = apps.sort("day").join_asof(_lpr(session), left_on="day", right_on="lpr_day", strategy="backward")
    return apps.sort("app_id").select(list(SCHEMA)).cast(pl.Schema(SCHEMA))


def _person_values(people: pl.DataFrame) -> pl.DataFrame:
    """Per application: name, partners, youngest age, least margin to retirement, years since
    graduation, the enterprise's staff and hires, the most loans any borrower had."""
    personal = C("person_kind") == PERSONAL
    maturity = C("day").dt.offset_by(pl.format("{}mo", C("months")))
    margin = (retirement_dates(C("birth_date"), C("sex")) - maturity).dt.total_days()
    graduate = personal & (C("target_group") == "高校毕业生") & C("graduated_on").is_not_null()
    first = C("seq") == 0
    firm = first & ~personal
    return people.group_by("app_id").agg(
        C("person_name").filter(first).first().alias("name"), pl.len().cast(INT).alias("partners"),
        age_between(C("birth_date"), C("day")).filter(personal).min().alias("age"),
        margin.filter(personal).min().alias("retire_margin_days"),
        age_between(C("graduated_on"), C("day")).filter(graduate).max().alias("graduate_years"),
        C("staff").filter(firm).first().alias("staff"), C("new_hires").filter(firm).first().alias("new_hires"),
        C("loans").max().alias("loans_before"))


def _credit(session: Session, people: pl.DataFrame) -> pl.DataFrame:
    """Per application, from the latest 征信 check of each borrower, spouse and enterprise:
    other loans and consumer balances summed, any bad record — null unless all were checked."""
    personal = C("person_kind") == PERSONAL
    ids = pl.concat([people.filter(personal).select("app_id", C("id_number").alias("cid")),
                     people.filter(personal & C("spouse").is_not_null() & (C("spouse") != ""))
                     .select("app_id", C("spouse").alias("cid")),
                     people.filter(~personal).select("app_id", C("uscc").alias("cid"))])
    wanted = ids["cid"].drop_nulls().unique().to_list()
    stmt = select(CreditCheck.id_number, CreditCheck.checked_on, CreditCheck.other_loans_fen, CreditCheck.consumer_fen,
                  CreditCheck.bad_record)
    if len(wanted) <= FEW:  # one application or a few; for many, the whole table costs less than a long list
        stmt = stmt.where(CreditCheck.id_number.in_(wanted))
    checks = (read_frame(session, stmt, {"cid": S, "checked_on": D, "other": INT, "consumer": INT, "bad": B})
              .sort("checked_on").group_by("cid").last().with_columns(pl.lit(True).alias("checked")))
    known = C("checked").is_not_null().all()
    return (ids.join(checks, on="cid", how="left").group_by("app_id")
            .agg(pl.when(known).then(C("other").sum()).alias("other_loans"),
                 pl.when(known).then(C("consumer").sum()).alias("consumer"),
                 pl.when(known).then(C("bad").any()).alias("bad_record")))


def _lpr(session: Session) -> pl.DataFrame:
    """The LPR table (day published, 1-year rate), for the rate in force on each submission day."""
    return read_frame(session, select(LprRate.day, LprRate.one_year).order_by(LprRate.day), {"lpr_day": D, "lpr": INT})


def _read(session: Session, q: SourceQuery) -> pl.DataFrame:
    return read_inputs(session, q)


def _read_people(session: Session, q: SourceQuery) -> pl.DataFrame:
    """(number, seq, target group) of each individual borrower of the applications asked for."""
    b = _borrowers(q)
    seq = func.row_number().over(partition_by=b.c.app_id, order_by=b.c.person_id) - 1
    numbered = (select(Application.number, seq.label("seq"), Applicant.target_group, Applicant.kind, b.c.app_id)
                .select_from(b).join(Application, Application.id == b.c.app_id)
                .join(Applicant, Applicant.id == b.c.person_id).subquery())
    stmt = (select(numbered.c.number, numbered.c.seq, numbered.c.target_group).where(numbered.c.kind == PERSONAL)
            .order_by(numbered.c.app_id, numbered.c.seq))
    return read_frame(session, stmt, PEOPLE_SCHEMA)


def _join_people(policy: Any, period: Any, as_of: dt.date, raw: pl.DataFrame) -> pl.DataFrame:
    """One group per application: the first borrower's group that is not in the policy's list
    (``groups`` in force), else the first borrower's group."""
    from zhida.rules.evaluate import resolve_parameters

    listed = list(cast("Iterable[str]", resolve_parameters(policy, period.start)["groups"].value))
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
    FieldSpec("loans_before", "已获及在办的其他创业担保贷款笔数", "number", "plain"),
    FieldSpec("other_loans", "借款人及配偶非豁免贷款余额", "money", "yuan"),
    FieldSpec("consumer", "借款人及配偶消费贷款（含信用卡）余额", "money", "yuan"),
    FieldSpec("bad_record", "有不良信用记录", "bool"),
), SCHEMA, _read, case_defaults=lambda period, offset: {"kind": "个人"}))

register_source(InputSource("loan_people", "loan_application", "借款人人员类别", (
    FieldSpec("target_group", "人员类别"),
), PEOPLE_SCHEMA, _read_people, _join_people, case_defaults=lambda period, offset: {"seq": 0}))

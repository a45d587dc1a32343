"""The set-based reader of the eligibility inputs equals, value for value, the application-by-
application reading it replaced (kept here as the oracle), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
from sqlalchemy import select

from tests.loans.conftest import BANK_CODE, D, id_of
from zhida.db import session_scope
from zhida.identifiers import make_uscc
from zhida.loans.models import Applicant, Application, CreditCheck, Loan, LprRate, Partner
from zhida.loans.retirement import age_on, birth_of, retirement_date, sex_of
from zhida.loans.rule_inputs import SCHEMA, _read_people, read_inputs
from zhida.loans.schedule import add_months
from zhida.rules.entities import SourceQuery


def _person(rnd: random.Random, i: int) -> Applicant:
    number = id_of(f"{rnd.randint(1962, 2008)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}", f"{i:03d}")
    grad = rnd.choice([None, dt.date(2019, 6, 30), dt.date(2021, 7, 1), dt.date(2022, 1, 5)])
    return Applicant(kind="个人", name=f"人{i}", id_number=number, birth_date=birth_of(number), sex=sex_of(number),
                     target_group=rnd.choice(["退役军人", "高校毕业生", "个体户", None]), graduated_on=grad,
                     spouse_id_number=rnd.choice([None, None, "", id_of("19880808", f"{i + 500:03d}")]))


def _application(i: int, kind: str, applicant: Applicant, day: dt.date, rnd: random.Random) -> Application:
    return Application(number=f"CD{day.year}-{i:06d}", kind=kind, applicant_id=applicant.id, bank_code=BANK_CODE,
                       amount_fen=rnd.randint(1, 40) * 1_000_000, months=rnd.choice([12, 24, 36]),
                       rate=rnd.choice([3_850_000, 4_500_000]), project="项目", region="茌平区", channel="窗口",
                       submitted_on=day, state="待初审", state_since=day, created_by="test")


def world(engine, seed: int = 5) -> None:
    """Individuals, partnerships and enterprises over two quarters, some with credit checks
    (some of several dates), spouses, graduates and earlier loans."""
    rnd = random.Random(seed)
    with session_scope(engine) as s:
        s.add_all([LprRate(day=D(2025, 12, 22), one_year=3_000_000, five_year=3_500_000),
                   LprRate(day=D(2026, 2, 20), one_year=2_900_000, five_year=3_400_000)])
        people = [_person(rnd, i) for i in range(90)]
        firms = [Applicant(kind="小微企业", name=f"企业{i}", uscc=make_uscc(f"91371523MA3C{i:04d}X"),
                           staff_count=rnd.choice([5, 100, 101, 300]), new_hires_12m=rnd.randint(0, 20))
                 for i in range(6)]
        s.add_all(people + firms)
        s.flush()
        n = 0
        for p in people[:60]:
            day = D(2026, 1, 1) + dt.timedelta(days=rnd.randint(0, 120))  # 2026Q1 and Q2
            s.add(_application(n := n + 1, "个人", p, day, rnd))
        for p in people[::4]:  # an earlier loan of some borrowers (partners too), on an application of 2024
            old = _application(n := n + 1, "个人", p, D(2024, 3, 1), rnd)
            old.state = "已放款"
            s.add(old)
            s.flush()
            s.add(Loan(number=f"DK2024-{n:06d}", application_id=old.id, applicant_id=p.id, bank_code=BANK_CODE,
                       principal_fen=1, rate=1, lpr=1, start=D(2024, 3, 1), maturity=D(2025, 3, 1), months=12,
                       repayment="interest-quarterly", formula="lpr-150bp", day_count="act/360", region="茌平区",
                       state="结清"))
        for j in range(8):  # partnerships of 2 or 3 among the remaining people
            lead = people[60 + 3 * j % 30]
            app = _application(n := n + 1, "合伙", lead, D(2026, 2, 1) + dt.timedelta(days=j), rnd)
            s.add(app)
            s.flush()
            for k in range(2 + j % 2):
                s.add(Partner(application_id=app.id, applicant_id=people[60 + (3 * j + k) % 30].id))
        for firm in firms:
            s.add(_application(n := n + 1, "小微企业", firm, D(2026, 3, 3), rnd))
        for p in people[1:70:3]:  # later applications in progress or refused: count for those after them
            late = _application(n := n + 1, "个人", p, D(2026, 3, 20), rnd)
            late.state = rnd.choice(["待担保审核", "已拒绝", "退回补正"])
            s.add(late)
        for a in [*people, *firms]:
            for cid in (a.id_number, a.spouse_id_number, a.uscc):
                if cid and rnd.random() < 0.8:
                    for day in rnd.sample([D(2025, 6, 1), D(2025, 12, 1), D(2026, 1, 2)], rnd.randint(1, 2)):
                        s.add(CreditCheck(id_number=cid, checked_on=day, other_loans_fen=rnd.choice([0, 0, 500]),
                                          consumer_fen=rnd.randint(0, 60_000), bad_record=rnd.random() < 0.1))


def oracle(session, q: SourceQuery) -> list[dict]:
    """The reading this replaced: one application at a time, from ORM objects."""
    a0, a1 = (D(q.year, 1, 1), D(q.year, 3, 31)) if q.quarter == 1 else (D(q.year, 1, 1), D(q.year, 12, 31))
    stmt = select(Application).where(Application.number == q.key if q.key else Application.submitted_on.between(a0, a1))
    apps = list(session.scalars(stmt.order_by(Application.id)))
    lpr = sorted(session.execute(select(LprRate.day, LprRate.one_year)).all())
    latest = {c.id_number: c for c in session.scalars(select(CreditCheck).order_by(CreditCheck.checked_on))}
    out = []
    for app in apps:
        ids = [p for (p,) in session.execute(select(Partner.applicant_id).where(Partner.application_id == app.id)
                                             .order_by(Partner.applicant_id))] or [app.applicant_id]
        people = [session.get(Applicant, i) for i in ids]
        day, maturity = app.submitted_on, add_months(app.submitted_on, app.months)
        personal = [p for p in people if p.kind == "个人"]
        cids = [p.id_number for p in personal] + [p.spouse_id_number for p in personal if p.spouse_id_number]
        cids += [p.uscc for p in people if p.kind != "个人"]
        checks = [latest.get(i) for i in cids]
        known = all(checks)
        grads = [age_on(p.graduated_on, day) for p in personal if p.target_group == "高校毕业生" and p.graduated_on]
        ent = people[0] if people[0].kind != "个人" else None
        loans = [_held(session, app, p) for p in people]
        rates = [r for d, r in lpr if d <= day]
        out.append({"number": app.number, "name": people[0].name, "kind": app.kind, "amount": app.amount_fen,
                    "months": app.months, "rate": app.rate, "lpr": rates[-1] if rates else None,
                    "partners": len(people), "age": min((age_on(p.birth_date, day) for p in personal), default=None),
                    "retire_margin_days": min(((retirement_date(p.birth_date, p.sex) - maturity).days for p in personal),
                                              default=None),
                    "graduate_years": max(grads) if grads else None,
                    "staff": ent.staff_count if ent else None, "new_hires": ent.new_hires_12m if ent else None,
                    "loans_before": max(loans),
                    "other_loans": sum(c.other_loans_fen for c in checks) if known else None,
                    "consumer": sum(c.consumer_fen for c in checks) if known else None,
                    "bad_record": any(c.bad_record for c in checks) if known else None})
    return out


def _held(session, app: Application, person: Applicant) -> int:
    """The other applications of ``person`` disbursed, or in progress and earlier than ``app``."""
    partnered = {a for (a,) in session.execute(select(Partner.application_id).where(Partner.applicant_id == person.id))}
    theirs = [a for a in session.scalars(select(Application)) if a.id != app.id
              and (a.applicant_id == person.id or a.id in partnered)]
    return sum(a.state == "已放款" or (a.state != "已拒绝" and a.id < app.id) for a in theirs)


def test_the_set_based_reader_equals_the_one_by_one_reading(loans_db):
    world(loans_db)
    with session_scope(loans_db) as s:
        for q in (SourceQuery(2026, 1), SourceQuery(2026, None)):
            frame = read_inputs(s, q)
            expected = oracle(s, q)
            assert frame.schema == pl.Schema(SCHEMA) and len(expected) > 20
            assert frame.to_dicts() == expected
        kinds = set(frame["kind"])
        assert kinds == {"个人", "合伙", "小微企业"}
        assert frame["other_loans"].null_count() > 0 and frame["other_loans"].drop_nulls().len() > 0
        assert frame["graduate_years"].drop_nulls().len() > 0
        partnerships = frame.filter(pl.col("kind") == "合伙")
        assert set(partnerships["loans_before"]) >= {0, 1} and set(frame["loans_before"]) >= {0, 1, 2}


def test_one_application_is_read_alone_with_its_partners(loans_db):
    world(loans_db)
    with session_scope(loans_db) as s:
        number = s.scalars(select(Application.number).where(Application.kind == "合伙")).first()
        frame = read_inputs(s, SourceQuery(2026, 1, number))
        assert frame.to_dicts() == oracle(s, SourceQuery(2026, 1, number))
        people = _read_people(s, SourceQuery(2026, 1, number))
        assert people["number"].to_list() == [number] * frame["partners"][0]
        assert people["seq"].to_list() == list(range(frame["partners"][0]))

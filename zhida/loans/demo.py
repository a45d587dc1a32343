"""``make demo`` step of the loans programme: a district with ~460 loans over two years.

Banks, accounts (担保机构, 银行, 财政), the LPR table and credit checks imported through the
import kinds; applications submitted at the counter and online and taken through the whole
process; repayments imported from bank files; the sweep finds the arrears; 代偿, 追偿 and a
write-off; quarterly subsidy claims paid through bank files and returns; the annual bulletin.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from sqlalchemy import select

from zhida.db import get_engine, session_scope
from zhida.errors import ZhidaError
from zhida.imports.engine import run_import
from zhida.loans import admin, fund, subsidy
from zhida.loans.applications import submit
from zhida.loans.book import get_loan, periods_of
from zhida.loans.demo_data import BANKS, DEMO_DAY, LPR, cases, write_csv
from zhida.loans.models import Application, Loan
from zhida.loans.process import APPLICATION, LOAN, AppState, LoanState
from zhida.loans.rates import days_between
from zhida.loans.reports import set_target, year_report
from zhida.loans.roles import BANK, FINANCE, GUARANTOR
from zhida.loans.schedule import split
from zhida.loans.sweep import sweep
from zhida.roles import Actor, Role

CLERK, GUARANTEE, FIN = Actor("jingban", Role.OPERATOR), Actor("danbao", GUARANTOR), Actor("caizheng", FINANCE)
PASSWORD = "loans-demo-2026"
LEADER = Actor("lingdao", Role.LEADER)


def banker(code: str) -> Actor:
    return Actor(code.lower(), BANK)


def setup(out: Path) -> None:
    engine = get_engine()
    with session_scope(engine) as s:
        for code, name, account, phone in BANKS:
            admin.add_bank(s, code, name, account, phone)
        for code, *_ in BANKS:
            admin.add_account(s, code.lower(), PASSWORD, "loan_bank", code)
        admin.add_account(s, "danbao", PASSWORD, "loan_guarantor")
        admin.add_account(s, "caizheng", PASSWORD, "loan_finance")
        admin.add_contact(s, "operator", "13963500010")
        admin.add_contact(s, "loan_guarantor", "13963500011")
        for year in (2025, 2026):
            set_target(s, year, 60_000_000_00, 250)
        fund.inject(s, LEADER, 30_000_000_00, dt.date(2025, 1, 2), "ZJ-2025-001", "区财政注资担保基金")
    months = [dt.date(y, m, 20) for y in (2024, 2025, 2026) for m in range(1, 13) if dt.date(y, m, 20) <= DEMO_DAY]
    rows = []
    for day in months:
        one, five = [(a, b) for d, a, b in LPR if d <= day + dt.timedelta(days=2)][-1]
        rows.append([day.isoformat(), one, five])
    run_import("loan-lpr", write_csv(out / "LPR.csv", ["公布日期", "1年期LPR", "5年期以上LPR"], rows), engine=engine)


def enterprises() -> list[tuple[str, int]]:
    from zhida.registry.service import search_units

    with session_scope(get_engine()) as s:
        _, units = search_units(s, size_class="小型", limit=8)
        return [(u.uscc, max(u.employees or 10, 5)) for u in units]


def credit_file(out: Path, demo) -> None:
    rows, seen = [], set()
    for i, c in enumerate(demo):
        ids = [p.id_number for p in c.people] + [p.spouse_id_number for p in c.people if p.spouse_id_number]
        ids += [c.data.uscc] if c.data.uscc else []
        for n in ids:
            if n in seen:
                continue
            seen.add(n)
            bad = i % 97 == 5
            rows.append([n, (c.data.submitted_on + dt.timedelta(days=1)).isoformat(), "0", "60000" if i % 89 == 7 else
                         str((i * 1370) % 20000), "是" if bad else "否"])
    run_import("loan-credit-checks", write_csv(out / "征信查询结果.csv", ["证件号码", "查询日期", "非豁免贷款余额(元)",
                                                                      "消费贷款余额(元)", "不良记录"], rows),
               engine=get_engine())


def take(demo, console: Console) -> dict[str, int]:
    """Submit and process every application; returns counts by outcome."""
    counts: dict[str, int] = {}
    engine = get_engine()
    for c in demo:
        try:
            with session_scope(engine) as s:
                app = submit(s, CLERK if c.data.channel == "窗口" else Actor(c.people[0].id_number if c.people else "bank",
                                                                            Role.OPERATOR), c.data)
                number = app.number
        except ZhidaError as err:
            counts["不予受理"] = counts.get("不予受理", 0) + 1
            if counts["不予受理"] <= 3:
                console.print(f"  不予受理示例：{err.message[:160]}", highlight=False)
            continue
        outcome = advance(number, c)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def advance(number: str, c) -> str:
    day, last = c.data.submitted_on, DEMO_DAY - dt.timedelta(days=20)
    with session_scope(get_engine()) as s:
        app = s.scalars(select(Application).where(Application.number == number)).one()
        try:
            APPLICATION.fire(s, app, AppState.GUARANTEE, CLERK, on=day + dt.timedelta(days=2))
        except ZhidaError as err:
            APPLICATION.fire(s, app, AppState.REJECTED, CLERK, comment=str(err)[:200], on=day + dt.timedelta(days=2))
            return "初审拒绝"
        if day > last:
            return "在办"
        APPLICATION.fire(s, app, AppState.BANK, GUARANTEE, on=day + dt.timedelta(days=5))
        bank = banker(app.bank_code)
        APPLICATION.fire(s, app, AppState.DISBURSE, bank, on=day + dt.timedelta(days=8))
        APPLICATION.fire(s, app, AppState.DISBURSED, bank, on=c.disburse_on)
        return "已放款"


def repayment_files(out: Path, demo) -> None:
    """Each bank's repayment file: every period due before the demo day, as the borrowers paid."""
    by_bank: dict[str, list[list]] = {}
    with session_scope(get_engine()) as s:
        loans = {ln.number: ln for ln in s.scalars(select(Loan))}
        apps = {a.id: a.submitted_on for a in s.scalars(select(Application))}
        plan = {ln.id: periods_of(s, ln.id) for ln in loans.values()}
    for loan in loans.values():
        c = next((x for x in demo if x.data.submitted_on == apps[loan.application_id] and x.disburse_on == loan.start), None)
        for p in plan[loan.id]:
            if p.end >= DEMO_DAY or (c and c.stop_after is not None and p.no > c.stop_after):
                break
            if c and c.early_on and p.end > c.early_on:
                rest = p.balance_fen + p.principal_fen
                days = days_between(p.start, c.early_on, loan.day_count)
                _, borrower, _ = split(rest, loan.rate, loan.lpr, days, loan.formula, loan.day_count)
                by_bank.setdefault(loan.bank_code, []).append([f"{loan.number}-E", loan.number, c.early_on, rest, borrower])
                break
            by_bank.setdefault(loan.bank_code, []).append(
                [f"{loan.number}-{p.no:02d}", loan.number, p.end, p.principal_fen, p.borrower_fen])
    for code, lines in by_bank.items():
        total = sum(r[3] + r[4] for r in lines)
        rows = [[r[0], r[1], r[2].isoformat(), f"{r[3] / 100:.2f}", f"{r[4] / 100:.2f}", f"{code}-2026", len(lines),
                 f"{total / 100:.2f}"] for r in sorted(lines, key=lambda r: r[2])]
        path = write_csv(out / f"还款流水-{code}.csv", ["业务流水号", "贷款编号", "还款日期", "归还本金(元)", "归还利息(元)",
                                                        "批次号", "批次笔数", "批次合计(元)"], rows)
        run_import("loan-repayments", path, engine=get_engine(), actor=banker(code))


def months() -> list[dt.date]:
    out, day = [], dt.date(2025, 2, 1)
    while day <= DEMO_DAY:
        out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return [*out, DEMO_DAY]


def pay_claim(out: Path, claim_id: int, day: dt.date) -> None:
    with session_scope(get_engine()) as s:
        claim = subsidy.get_claim(s, claim_id)
        subsidy.CLAIM.fire(s, claim, subsidy.ClaimState.APPROVED, FIN)
        subsidy.export(s, FIN, claim_id, out / "贴息拨付")
        ret = write_csv(out / "贴息拨付" / f"回盘-{claim.bank_code}-{claim.quarter}.csv",
                        ["业务参考号", "状态", "失败原因"], [[claim.bank_ref, "成功", ""]])
        subsidy.import_return(s, FIN, claim_id, ret, day)


def run_book(out: Path, console: Console) -> None:
    """Month by month: the sweep, and after each quarter the banks' subsidy claims."""
    last_quarter = None
    for day in months():
        with session_scope(get_engine()) as s:
            sweep(s, day)
        if day.month in (1, 4, 7, 10) and day.day == 1:
            quarter = f"{day.year - (day.month == 1)}Q{4 if day.month == 1 else (day.month - 1) // 3}"
            for code, *_ in BANKS:
                try:
                    with session_scope(get_engine()) as s:
                        claim_id = subsidy.build_claim(s, banker(code), code, quarter).id
                except ZhidaError:
                    continue
                if day < dt.date(2026, 10, 1):
                    pay_claim(out, claim_id, day + dt.timedelta(days=20))
            last_quarter = quarter
    console.print(f"  贴息：已申请至 {last_quarter}，最近一季待财政审核", highlight=False)


def defaults(console: Console) -> None:
    """代偿 for loans overdue more than 90 days; recovery and a write-off for some."""
    done = []
    with session_scope(get_engine()) as s:
        overdue = list(s.scalars(select(Loan).where(Loan.state == LoanState.OVERDUE.value).order_by(Loan.id)))
        for loan in overdue:
            try:
                LOAN.fire(s, loan, LoanState.COMPENSATED, GUARANTEE, on=DEMO_DAY - dt.timedelta(days=10))
                done.append(loan.number)
            except ZhidaError:
                continue
        for i, number in enumerate(done[:3]):
            loan = get_loan(s, number)
            LOAN.fire(s, loan, LoanState.RECOVERING, GUARANTEE, on=DEMO_DAY - dt.timedelta(days=8))
            fund.recover(s, GUARANTEE, loan, 2_000_000 * (i + 1), DEMO_DAY - dt.timedelta(days=5), f"ZC-{number}")
            if i == 0:
                LOAN.fire(s, loan, LoanState.WRITTEN_OFF, GUARANTEE, comment="借款人无可执行财产，经审批核销",
                          on=DEMO_DAY - dt.timedelta(days=2))
        console.print(f"  逾期 {len(overdue)} 笔，代偿 {len(done)} 笔；{fund.status(s, DEMO_DAY).summary()}", highlight=False)
        for r in fund.payout_rates(s, DEMO_DAY.year):
            console.print(f"  {r.bank_name} 代偿率 {'—' if r.rate is None else f'{r.rate * 100:.2f}%'}"
                          f"{'（超过预警线）' if r.warning else ''}", highlight=False)


def demo_step(out: Path, console: Console) -> None:
    """The loans programme on the demo district (see the module doc)."""
    out = Path(out) / "loans"
    console.rule("创业担保贷款")
    setup(out)
    demo = cases(enterprises())
    credit_file(out, demo)
    counts = take(demo, console)
    console.print("  申请：" + "，".join(f"{k} {v} 笔" for k, v in counts.items()), highlight=False)
    repayment_files(out, demo)
    run_book(out, console)
    defaults(console)
    with session_scope(get_engine()) as s:
        for year in (2025, 2026):
            console.print("  " + year_report(s, year).bulletin(), highlight=False)
    console.print(f"  账号：nsyh、ycyh、jsyh（银行）、danbao（担保机构）、caizheng（财政），密码 {PASSWORD}", highlight=False)

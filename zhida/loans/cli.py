"""``zhida loans …``: the schedule calculator, applications, the book, subsidy claims, the fund,
reports. Thin: options are parsed and handed to the services of ``zhida.loans``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, FormatOpt, actor_of, db_session, emit, parse_date

ROLE_HELP = "办理人角色：operator（经办）、loan_guarantor（担保机构）、loan_bank（银行）、loan_finance（财政）、admin"
RoleOpt = typer.Option("admin", "--role", help=ROLE_HELP)
OnOpt = typer.Option(None, "--on", help="业务日期 YYYY-MM-DD（默认今天）")



def _actor(name: str, role: str):
    import zhida.loans.roles  # noqa: F401  (registers the programme's roles)

    return actor_of(name, role)


def schedule(principal: str = typer.Option(..., "--principal", help="本金（元）"),
             rate: str = typer.Option(..., "--rate", help="合同年利率，如 3.5%"),
             lpr: str = typer.Option(..., "--lpr", help="签约时 1 年期 LPR，如 3.0%"),
             start: str = typer.Option(..., "--start", help="放款日 YYYY-MM-DD"),
             months: int = typer.Option(..., "--months", help="期限（月）"),
             repayment: str = typer.Option("interest-quarterly", "--repayment",
                                           help="interest-quarterly（按季付息到期还本）或 equal-instalments（等额本息）"),
             formula: str = typer.Option("lpr-150bp", "--formula", help="lpr-150bp 或 half-rate"),
             day_count: str = typer.Option("act/360", "--day-count", help="act/360、30/360 或 act/365"),
             fmt: str = FormatOpt) -> None:
    """贷款计划试算（不需要数据库）：每期起止、天数、利息、借款人承担与财政贴息，以及合计。"""
    from zhida.loans.calculator import calculate

    emit(calculate(principal, rate, lpr, start, months, repayment, formula, day_count), fmt)


def apply(name: str = typer.Option(..., "--name", help="借款人姓名"),
          id_number: str = typer.Option(..., "--id-number", help="身份证号"),
          phone: str = typer.Option(..., "--phone", help="手机号"),
          group: str = typer.Option(..., "--group", help="人员类别，如 退役军人"),
          evidence: str = typer.Option("", "--evidence", help="人员类别证明材料编号"),
          hukou: str = typer.Option("", "--hukou", help="户籍所在地"),
          township: str = typer.Option("", "--township", help="创业所在乡镇（街道）"),
          graduated: str = typer.Option(None, "--graduated", help="高校毕业生的毕业日期"),
          spouse: str = typer.Option(None, "--spouse-id", help="配偶身份证号"),
          bank: str = typer.Option(..., "--bank", help="经办银行代码"),
          amount: str = typer.Option(..., "--amount", help="申请金额（元）"),
          months: int = typer.Option(36, "--months"), rate: str = typer.Option(..., "--rate"),
          project: str = typer.Option(..., "--project", help="创业项目"),
          jobs: int = typer.Option(0, "--jobs", help="带动就业人数"),
          on: str = OnOpt, actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
    """窗口受理个人创业担保贷款申请（不符合条件的当场不予受理并说明依据）。"""
    from zhida.loans.applications import ApplicationIn, PersonIn, submit
    from zhida.loans.queries import application_view

    who = PersonIn(name, id_number, phone, hukou, township, group, evidence, parse_date(graduated, "毕业日期"), spouse)
    data = ApplicationIn(kind="个人", bank_code=bank, amount=amount, months=months, rate=rate, project=project,
                         jobs_created=jobs, township=township, submitted_on=parse_date(on), person=who)
    with db_session() as s:
        view = application_view(s, submit(s, _actor(actor, role), data).id)
    emit(view, fmt)


def advance(number: str = typer.Argument(..., help="申请编号，如 CD2026-000001"),
            to: str = typer.Argument(..., help="目标状态，如 待担保审核、退回补正、已拒绝、已放款"),
            comment: str = typer.Option(None, "--comment", help="意见或理由（退回、拒绝时必填）"),
            on: str = OnOpt, actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
    """办理贷款申请的下一步（人社初审、担保审核、银行审批、放款、退回补正、拒绝）。"""
    from zhida.loans.applications import get_application
    from zhida.loans.process import APPLICATION
    from zhida.loans.queries import application_view

    with db_session() as s:
        app_ = get_application(s, number)
        APPLICATION.fire(s, app_, to, _actor(actor, role), comment=comment, on=parse_date(on) or dt.date.today())
        view = application_view(s, app_.id)
    emit(view, fmt)


def extend(number: str = typer.Argument(..., help="贷款编号，如 DK2026-000001"),
           months: int = typer.Option(..., "--months", help="展期月数"),
           comment: str = typer.Option(..., "--comment", help="展期协议编号或理由"),
           on: str = OnOpt, actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
    """贷款展期（经办银行办理，到期日前；展期后的计息期不再贴息）。"""
    from zhida.loans.book import get_loan
    from zhida.loans.process import LOAN, LoanState
    from zhida.loans.queries import loan_view

    day = parse_date(on) or dt.date.today()
    with db_session() as s:
        loan = get_loan(s, number)
        LOAN.fire(s, loan, LoanState.REPAYING, _actor(actor, role), comment=comment, on=day, months=months)
        view = loan_view(s, loan.number, day)
    emit(view, fmt)


def show(number: str = typer.Argument(..., help="申请编号或贷款编号"), fmt: str = FormatOpt) -> None:
    """查看一笔申请（含资格审查说明与办理记录）或一笔贷款（含还款计划）。"""
    from zhida.loans.queries import application_by_number, loan_view

    with db_session() as s:
        view = loan_view(s, number) if number.upper().startswith("DK") else application_by_number(s, number)
    emit(view, fmt)


def explain(number: str = typer.Argument(...)) -> None:
    """逐条说明一笔申请是否符合创业担保贷款条件及依据（策略 loans-eligibility）。"""
    from zhida.loans.applications import get_application
    from zhida.loans.eligibility import judge

    with db_session() as s:
        app_ = get_application(s, number)
        typer.echo(judge(s, app_.number, app_.submitted_on).text())


def sweep(on: str = OnOpt, actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
    """逾期检查：按已导入的还款流水结清、认定逾期、解除逾期。"""
    from zhida.loans.sweep import sweep as run

    with db_session() as s:
        emit(run(s, parse_date(on) or dt.date.today(), _actor(actor, role)), fmt)


def intake(actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
    """处理银行导入的申请（先 zhida import loan-bank-applications 文件）：逐笔受理或说明不予受理的原因。"""
    from zhida.loans.intake import take_in

    with db_session() as s:
        emit(take_in(s, _actor(actor, role)), fmt)


def remind(on: str = OnOpt, fmt: str = FormatOpt) -> None:
    """办理时限提醒：即将到期或已超时的申请，经短信提醒经办、担保机构或银行。"""
    from zhida.loans.reminders import due
    from zhida.loans.reminders import remind as queue

    day = parse_date(on) or dt.date.today()
    with db_session() as s:
        items, n = due(s, day), queue(s, day)
    emit({"due": [d.text() for d in items], "queued": n}, fmt, "\n".join([d.text() for d in items] + [f"新排队短信 {n} 条"]))


def report(year: int = typer.Argument(..., help="年度"), fmt: str = FormatOpt) -> None:
    """年度发放统计与简报语句（金额、笔数、平均、按人员类别、按乡镇、带动就业、目标完成）。"""
    from zhida.loans.reports import year_report

    with db_session() as s:
        r = year_report(s, year)
    emit(r, fmt)


def bank_add(code: str = typer.Argument(...), name: str = typer.Argument(...),
             account: str = typer.Option(None, "--account", help="收取贴息的账号"),
             phone: str = typer.Option(None, "--phone", help="业务联系人手机")) -> None:
    """登记经办银行。"""
    from zhida.loans.admin import add_bank

    with db_session() as s:
        add_bank(s, code, name, account, phone)
    typer.echo(f"已登记经办银行 {code} {name}")


def account_add(username: str = typer.Argument(...), password: str = typer.Option(..., "--password"),
                role: str = typer.Option(..., "--role", help="loan_bank、loan_guarantor 或 loan_finance"),
                bank: str = typer.Option(None, "--bank", help="银行账号绑定的经办银行代码")) -> None:
    """开通担保机构、银行、财政的控制台账号（银行账号只能看到本行的贷款）。"""
    from zhida.loans.admin import add_account

    with db_session() as s:
        add_account(s, username, password, role, bank)
    typer.echo(f"已开通账号 {username}")


def claim_build(bank: str = typer.Argument(...), quarter: str = typer.Argument(..., help="如 2026Q1"),
                actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
    """生成一家银行一个季度的贴息清单。"""
    from zhida.loans import subsidy
    from zhida.loans.queries import claim_view

    with db_session() as s:
        emit(claim_view(subsidy.build_claim(s, _actor(actor, role), bank, quarter)), fmt)


def claim_approve(claim_id: int = typer.Argument(...), actor: str = ActorOpt, role: str = RoleOpt,
                  fmt: str = FormatOpt) -> None:
    """财政审核通过贴息申请。"""
    from zhida.loans import subsidy
    from zhida.loans.queries import claim_view

    with db_session() as s:
        claim = subsidy.get_claim(s, claim_id)
        subsidy.CLAIM.fire(s, claim, subsidy.ClaimState.APPROVED, _actor(actor, role))
        emit(claim_view(claim), fmt)


def claim_export(claim_id: int = typer.Argument(...), out: Path = typer.Option(Path("var/loans"), "--out"),
                 actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """导出贴息拨付文件（代发格式）。"""
    from zhida.loans import subsidy

    with db_session() as s:
        path = subsidy.export(s, _actor(actor, role), claim_id, out)
    typer.echo(f"已导出 {path}")


def claim_return(claim_id: int = typer.Argument(...), file: Path = typer.Argument(...),
                 paid_on: str = typer.Option(None, "--paid-on"), actor: str = ActorOpt, role: str = RoleOpt,
                 fmt: str = FormatOpt) -> None:
    """导入银行回盘：成功则已拨付，失败则记录原因。"""
    from zhida.loans import subsidy
    from zhida.loans.queries import claim_view

    with db_session() as s:
        claim = subsidy.import_return(s, _actor(actor, role), claim_id, file, parse_date(paid_on) or dt.date.today())
        emit(claim_view(claim), fmt)


def claim_reconcile(quarter: str = typer.Option(None, "--quarter"), fmt: str = FormatOpt) -> None:
    """贴息对账：应拨 = 清单合计 = 已拨付 + 待拨付 + 失败。"""
    from zhida.loans import subsidy

    with db_session() as s:
        emit(subsidy.reconcile(s, quarter), fmt)


def fund_status(on: str = OnOpt, fmt: str = FormatOpt) -> None:
    """担保基金余额、在保余额与放大倍数。"""
    from zhida.loans import fund

    with db_session() as s:
        emit(fund.status(s, parse_date(on) or dt.date.today()), fmt)


def fund_inject(amount: str = typer.Argument(..., help="注资金额（元）"), ref: str = typer.Option(..., "--ref"),
                on: str = OnOpt, actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """登记担保基金注资。"""
    from zhida.loans import fund
    from zhida.loans.calculator import _principal

    with db_session() as s:
        fund.inject(s, _actor(actor, role), _principal(amount, "注资金额"), parse_date(on) or dt.date.today(), ref)
    typer.echo(f"已登记注资 {amount} 元（{ref}）")


def fund_rates(year: int = typer.Argument(...), fmt: str = FormatOpt) -> None:
    """各经办银行的代偿率（超过预警线的标出）。"""
    from zhida.loans import fund

    with db_session() as s:
        rates = fund.payout_rates(s, year)
    text = "\n".join(f"{r.bank_name}：代偿 {r.paid_fen / 100:,.2f} 元 ÷ 累计放款 {r.lent_fen / 100:,.2f} 元 = "
                     f"{'—' if r.rate is None else f'{r.rate * 100:.2f}%'}{' ⚠ 超过预警线' if r.warning else ''}"
                     for r in rates)
    emit(rates, fmt, text or "没有经办银行")


def register(root: typer.Typer) -> None:
    """Add ``zhida loans …`` (fresh command groups on every call)."""
    app = typer.Typer(help="创业担保贷款：申请、审批、贷款台账、贴息、担保基金、统计", no_args_is_help=True)
    claims_app = typer.Typer(help="季度贴息申请：生成清单、审核、导出拨付文件、导入回盘、对账", no_args_is_help=True)
    fund_app = typer.Typer(help="担保基金：余额与放大倍数、注资、追偿、代偿率", no_args_is_help=True)
    groups: list[tuple[typer.Typer, list[tuple[Callable[..., None], str]]]] = [
        (app, [(schedule, "schedule"), (apply, "apply"), (advance, "advance"), (extend, "extend"), (show, "show"),
               (explain, "explain"), (sweep, "sweep"), (intake, "intake"), (remind, "remind"), (report, "report"),
               (bank_add, "bank-add"), (account_add, "account-add")]),
        (claims_app, [(claim_build, "build"), (claim_approve, "approve"), (claim_export, "export"),
                      (claim_return, "return"), (claim_reconcile, "reconcile")]),
        (fund_app, [(fund_status, "status"), (fund_inject, "inject"), (fund_rates, "payout-rates")])]
    for group, commands in groups:
        for fn, name in commands:
            group.command(name)(fn)
    app.add_typer(claims_app, name="claims")
    app.add_typer(fund_app, name="fund")
    root.add_typer(app, name="loans")

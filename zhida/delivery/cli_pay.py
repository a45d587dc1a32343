"""``zhida pay …`` (bank files, the bank's return, reconciliation, accounts) and ``zhida report cycle``."""

from __future__ import annotations

from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, FormatOpt, RoleOpt, actor_of, command_group, db_session, emit


def pay_export(
    cycle: int,
    out_dir: Path = typer.Option(None, "--out-dir", help="输出目录（默认 数据目录/bank）"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """导出代发文件（CSV 与 XLSX）及控制总额；已导出的款项不会再导出。"""
    from zhida.db import get_engine
    from zhida.delivery.bankfiles import export

    emit(export(get_engine(), actor_of(actor, role), cycle, out_dir), fmt)


def pay_import_return(cycle: int, file: Path, actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
    """导入银行回盘（业务参考号、状态 成功/失败、失败原因）。"""
    from zhida.delivery import service

    with db_session() as s:
        emit(service.import_return(s, actor_of(actor, role), cycle, file), fmt)


def pay_reconcile(cycle: int, fmt: str = FormatOpt) -> None:
    """对账：应发、导出、成功、失败，分毫不差。"""
    from zhida.delivery import service

    with db_session() as s:
        res = service.reconcile(s, cycle)
    emit(res, fmt)
    if not res.balanced:
        raise typer.Exit(3)


def pay_correct(
    cycle: int,
    uscc: str,
    account: str = typer.Option(..., help="正确的对公账号"),
    bank: str = typer.Option("", help="开户行"),
    account_name: str = typer.Option("", help="户名"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
) -> None:
    """更正支付失败款项的账号，或为待导出款项补充账号；下次导出时发出。"""
    from zhida.delivery import service

    with db_session() as s:
        p = service.correct_payment(
            s,
            actor_of(actor, role),
            cycle,
            uscc,
            account_no=account,
            bank_name=bank or None,
            account_name=account_name or None,
        )
        if p.account_no and p.account_no == account.replace(" ", "").replace("-", ""):
            typer.echo(f"{uscc} 的账号已更正，待下一批导出")
        else:
            typer.echo(f"{uscc} 的账号变更已提交，须由另一名审核人员审核（zhida pay account-review）后才会导出")


def pay_account_changes(fmt: str = FormatOpt) -> None:
    """待审核的单位对公账号变更（账号只显示首尾各 4 位）。"""
    from zhida.delivery import service
    from zhida.delivery.bankaccounts import mask_account

    with db_session() as s:
        rows = [
            dict(
                id=c.id,
                uscc=c.uscc,
                source=c.source,
                account_name=c.account_name,
                bank_name=c.bank_name,
                account_no=mask_account(c.account_no),
                requested_by=c.requested_by,
            )
            for c in service.pending_account_changes(s)
        ]
    lines = [
        f"#{r['id']} {r['uscc']} {r['source']} {r['account_name']} {r['bank_name']} "
        f"{r['account_no']}（{r['requested_by']} 申请）"
        for r in rows
    ]
    emit(rows, fmt, "\n".join(lines) or "没有待审核的变更")


def pay_account_review(
    change: int,
    approve: bool = typer.Option(..., "--approve/--refuse", help="通过或驳回"),
    note: str = typer.Option("", "--note", help="理由（驳回必填）"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
) -> None:
    """审核单位对公账号变更：须由申请人以外的审核人员办理。"""
    from zhida.delivery import service

    with db_session() as s:
        c = service.review_account_change(s, actor_of(actor, role), change, approve=approve, note=note)
        typer.echo(f"对公账号变更 #{c.id}（{c.uscc}）{c.status}")


def pay_cancel(
    cycle: int,
    uscc: str,
    reason: str = typer.Option(..., "--reason", help="取消原因（必填）"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """取消无法发出的款项（待导出或支付失败），写明原因；批次结束前每笔款项须已支付或已取消。"""
    from zhida.delivery import service
    from zhida.money import format_yuan

    with db_session() as s:
        p = service.cancel_payment(s, actor_of(actor, role), cycle, uscc, reason)
        out = {"cycle_id": cycle, "uscc": uscc, "status": p.status, "amount_fen": p.amount_fen, "reason": reason}
        emit(out, fmt, f"已取消单位 {uscc} 的款项 {format_yuan(p.amount_fen)} 元：{reason}")


def report_cycle(cycle: int, out: Path = typer.Option(None, "--out", help="写出 XLSX"), fmt: str = FormatOpt) -> None:
    """发放情况：户数、金额、稳岗岗位数，按规模、镇街、行业。"""
    from zhida.delivery import service

    with db_session() as s:
        rep = service.cycle_report(s, cycle)
    if out:
        service.write_report(rep, out)
    emit(rep, fmt, rep.summary() + (f"\n报表已写入 {out}" if out else ""))


PAY_COMMANDS = (
    ("export", pay_export),
    ("import-return", pay_import_return),
    ("reconcile", pay_reconcile),
    ("correct", pay_correct),
    ("account-changes", pay_account_changes),
    ("account-review", pay_account_review),
    ("cancel", pay_cancel),
)
REPORT_COMMANDS = (("cycle", report_cycle),)


def register_pay(app: typer.Typer) -> None:
    """Add ``zhida pay …``."""
    app.add_typer(command_group("发放：代发文件、银行回盘、对账", PAY_COMMANDS), name="pay")


def register_report(app: typer.Typer) -> None:
    """Add ``zhida report …``."""
    app.add_typer(command_group("报表", REPORT_COMMANDS), name="report")

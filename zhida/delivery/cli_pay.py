"""``zhida pay …``, ``zhida report cycle`` and ``zhida calendar …``."""

from __future__ import annotations

from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, FormatOpt, RoleOpt, actor_of, emit
from zhida.delivery.cli_cycle import _scope


def register_pay(app: typer.Typer) -> None:
    pay = typer.Typer(help="发放：代发文件、银行回盘、对账", no_args_is_help=True)

    @pay.command("export")
    def export_cmd(cycle: int, out_dir: Path = typer.Option(None, "--out-dir", help="输出目录（默认 数据目录/bank）"),
                   actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """导出代发文件（CSV 与 XLSX）及控制总额；已导出的款项不会再导出。"""
        from zhida.db import get_engine
        from zhida.delivery.bankfiles import export

        emit(export(get_engine(), actor_of(actor, role), cycle, out_dir), fmt)

    @pay.command("import-return")
    def import_return_cmd(cycle: int, file: Path, actor: str = ActorOpt, role: str = RoleOpt,
                          fmt: str = FormatOpt) -> None:
        """导入银行回盘（业务参考号、状态 成功/失败、失败原因）。"""
        from zhida.delivery import service

        with _scope() as s:
            emit(service.import_return(s, actor_of(actor, role), cycle, file), fmt)

    @pay.command("reconcile")
    def reconcile_cmd(cycle: int, fmt: str = FormatOpt) -> None:
        """对账：应发、导出、成功、失败，分毫不差。"""
        from zhida.delivery import service

        with _scope() as s:
            res = service.reconcile(s, cycle)
        emit(res, fmt)
        if not res.balanced:
            raise typer.Exit(3)

    @pay.command("correct")
    def correct_cmd(cycle: int, uscc: str, account: str = typer.Option(..., help="正确的对公账号"),
                    bank: str = typer.Option("", help="开户行"), account_name: str = typer.Option("", help="户名"),
                    actor: str = ActorOpt, role: str = RoleOpt) -> None:
        """更正支付失败款项的账号，或为待导出款项补充账号；下次导出时发出。"""
        from zhida.delivery import service

        with _scope() as s:
            p = service.correct_payment(s, actor_of(actor, role), cycle, uscc, account_no=account,
                                        bank_name=bank or None, account_name=account_name or None)
            typer.echo(f"{uscc} 的账号已更正为 {p.account_no}，待下一批导出")

    @pay.command("cancel")
    def cancel_cmd(cycle: int, uscc: str, reason: str = typer.Option(..., "--reason", help="取消原因（必填）"),
                   actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """取消无法发出的款项（待导出或支付失败），写明原因；批次结束前每笔款项须已支付或已取消。"""
        from zhida.delivery import service
        from zhida.money import format_yuan

        with _scope() as s:
            p = service.cancel_payment(s, actor_of(actor, role), cycle, uscc, reason)
            out = {"cycle_id": cycle, "uscc": uscc, "status": p.status, "amount_fen": p.amount_fen, "reason": reason}
            emit(out, fmt, f"已取消单位 {uscc} 的款项 {format_yuan(p.amount_fen)} 元：{reason}")

    app.add_typer(pay, name="pay")


def register_report(app: typer.Typer) -> None:
    rp = typer.Typer(help="报表", no_args_is_help=True)

    @rp.command("cycle")
    def cycle_cmd(cycle: int, out: Path = typer.Option(None, "--out", help="写出 XLSX"), fmt: str = FormatOpt) -> None:
        """发放情况：户数、金额、稳岗岗位数，按规模、镇街、行业。"""
        from zhida.delivery import service

        with _scope() as s:
            rep = service.cycle_report(s, cycle)
        if out:
            service.write_report(rep, out)
        emit(rep, fmt, rep.summary() + (f"\n报表已写入 {out}" if out else ""))

    app.add_typer(rp, name="report")

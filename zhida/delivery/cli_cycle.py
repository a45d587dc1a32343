"""``zhida cycle …``: create and move 发放批次, 公示, 异议, 确认, 电话提醒."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, FormatOpt, RoleOpt, actor_of, emit


def _scope():
    from zhida.db import get_engine, session_scope

    return session_scope(get_engine())


def _date(value: str | None) -> dt.date | None:
    from zhida.errors import ValidationFailed

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"日期 {value!r} 格式不对：应为 YYYY-MM-DD") from None


DateOpt = typer.Option("", "--date", help="办理日期 YYYY-MM-DD（默认今天）")


def register_cycle(app: typer.Typer) -> None:
    cy = typer.Typer(help="发放批次：公示、确认、提醒、审核与发放", no_args_is_help=True)
    ob = typer.Typer(help="异议：登记、处理、查看", no_args_is_help=True)
    ca = typer.Typer(help="电话提醒任务", no_args_is_help=True)

    @cy.command("create")
    def create(run: int = typer.Option(..., "--run", help="测算编号（policy run）"),
               publicity_days: int = typer.Option(5, help="公示期（工作日）"),
               confirm_days: int = typer.Option(10, help="确认期（工作日）"),
               call_after_days: int = typer.Option(3, help="短信后几个工作日转电话提醒"),
               recall_after_days: int = typer.Option(2, help="首次电话未接通后几个工作日再打一次（最多两轮）"),
               supplementary: bool = typer.Option(False, "--supplementary",
                                                  help="补发批次：只列入同一政策同一期间此前未发放、未在办理、未放弃的单位"),
               actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """由测算结果创建发放批次（名单就此冻结）；同一政策同一期间只能有一个批次，另需补发时用 --supplementary。"""
        from zhida.delivery import service

        with _scope() as s:
            c = service.create_cycle(s, actor_of(actor, role), run, publicity_days=publicity_days,
                                     confirm_days=confirm_days, call_after_days=call_after_days,
                                     recall_after_days=recall_after_days, supplementary=supplementary)
            view = service.show(s, c.id)
        emit(view, fmt)

    @cy.command("list")
    def list_cmd(fmt: str = FormatOpt) -> None:
        """列出发放批次。"""
        from zhida.delivery import service

        with _scope() as s:
            views = service.list_cycles(s)
        emit(views, fmt, "\n".join(f"{v.id:>5} {v.state:<4} {v.policy_name}（{v.period}）{v.units} 户" for v in views)
             or "还没有发放批次")

    @cy.command("show")
    def show(cycle: int, fmt: str = FormatOpt) -> None:
        """查看发放批次。"""
        from zhida.delivery import service

        with _scope() as s:
            emit(service.show(s, cycle), fmt)

    @cy.command("advance")
    def advance(cycle: int, to: str = typer.Option("", "--to", help="目标状态（默认下一状态）"),
                date: str = DateOpt, note: str = typer.Option("", help="办理意见"),
                actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """推进发放批次到下一状态（按角色与日期检查）。"""
        from zhida.delivery import service

        with _scope() as s:
            c = service.advance(s, actor_of(actor, role), cycle, to or None, today=_date(date), note=note or None)
            view = service.show(s, c.id)
        emit(view, fmt)

    @cy.command("revoke")
    def revoke(cycle: int, reason: str = typer.Option(..., help="撤销原因"),
               actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """撤销发放批次（开始发放前）。"""
        from zhida.delivery import service

        with _scope() as s:
            service.revoke(s, actor_of(actor, role), cycle, reason)
            emit(service.show(s, cycle), fmt)

    @cy.command("recompute")
    def recompute(cycle: int, run: int = typer.Option(0, "--run", help="用已有测算（默认重新测算）"),
                  actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """重新测算：生成新批次并列出差异，原批次撤销。"""
        from zhida.delivery import service

        with _scope() as s:
            _new, diff = service.recompute(s, actor_of(actor, role), cycle, run_id=run or None)
        emit(diff, fmt)

    @cy.command("diff")
    def diff(old: int, new: int, fmt: str = FormatOpt) -> None:
        """比较两个发放批次的名单。"""
        from zhida.delivery import service

        with _scope() as s:
            d = service.diff_cycles(s, old, new)
        emit(d, fmt, "\n".join([d.summary()] + [f"  {k} {r.uscc} {r.name} {r.old_fen} → {r.new_fen}"
                                                for k, rows in (("新增", d.added), ("减少", d.removed), ("变化", d.changed))
                                                for r in rows]))

    @cy.command("publicity")
    def publicity(cycle: int, out: Path = typer.Option(..., "--out", help="公示名单 XLSX 文件")) -> None:
        """生成公示名单（单位名称与代码已隐去部分）。"""
        from zhida.delivery import service

        with _scope() as s:
            path = service.write_publicity(s, cycle, out)
        typer.echo(f"公示名单已写入 {path}")

    @cy.command("confirm")
    def confirm(cycle: int, uscc: str, decline: bool = typer.Option(False, "--decline", help="单位放弃"),
                account: str = typer.Option("", help="更正后的对公账号"), bank: str = typer.Option("", help="开户行"),
                account_name: str = typer.Option("", help="户名"),
                actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """登记单位的确认、更正账号或放弃。"""
        from zhida.delivery import service

        with _scope() as s:
            e = service.answer(s, actor_of(actor, role), cycle, uscc, decline=decline, account_no=account or None,
                               bank_name=bank or None, account_name=account_name or None)
            data = {"uscc": e.uscc, "name": e.name, "confirmation": e.confirmation}
        emit(data, fmt, f"{data['name']}：{data['confirmation']}")

    @cy.command("hold")
    def hold(cycle: int, uscc: str, reason: str = typer.Option("", help="暂缓原因；不填则解除暂缓"),
             actor: str = ActorOpt, role: str = RoleOpt) -> None:
        """暂缓某单位（不自动确认、不发放），或解除暂缓。"""
        from zhida.delivery import service

        with _scope() as s:
            e = service.set_held(s, actor_of(actor, role), cycle, uscc, reason or None)
            typer.echo(f"{e.name}：{'暂缓（' + reason + '）' if reason else '已解除暂缓'}")

    @ob.command("add")
    def ob_add(cycle: int, uscc: str, content: str = typer.Option(..., help="异议内容"),
               actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """登记对某单位的异议。"""
        from zhida.delivery import service

        with _scope() as s:
            emit(service.raise_objection(s, actor_of(actor, role), cycle, uscc, content), fmt)

    @ob.command("resolve")
    def ob_resolve(objection: int, upheld: bool = typer.Option(..., "--uphold/--dismiss", help="异议成立或不成立"),
                   reason: str = typer.Option(..., help="处理理由"),
                   actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """处理异议：成立则不予发放，不成立则继续。"""
        from zhida.delivery import service

        with _scope() as s:
            emit(service.resolve_objection(s, actor_of(actor, role), objection, upheld=upheld, reason=reason), fmt)

    @ob.command("list")
    def ob_list(cycle: int, fmt: str = FormatOpt) -> None:
        """查看异议。"""
        from zhida.delivery import service

        with _scope() as s:
            rows = service.list_objections(s, cycle)
        emit(rows, fmt, "\n".join(r.summary() for r in rows) or "没有异议")

    @ca.command("make")
    def ca_make(cycle: int, date: str = DateOpt, actor: str = ActorOpt, role: str = RoleOpt,
                fmt: str = FormatOpt) -> None:
        """把短信未送达或未确认的单位转为电话提醒任务；首次未接通且仍未确认的，再打一轮。"""
        from zhida.delivery import service

        with _scope() as s:
            emit(service.make_calls(s, actor_of(actor, role), cycle, today=_date(date)), fmt)

    @ca.command("list")
    def ca_list(cycle: int, open_only: bool = typer.Option(False, "--open", help="只看未拨打的"),
                fmt: str = FormatOpt) -> None:
        """查看电话提醒任务。"""
        from zhida.delivery import service

        with _scope() as s:
            rows = service.list_calls(s, cycle, open_only=open_only)
        emit(rows, fmt, "\n".join(r.summary() for r in rows) or "没有电话任务")

    @ca.command("record")
    def ca_record(call: int, outcome: str = typer.Option(..., help="接通、未接通、号码错误、拒绝"),
                  note: str = typer.Option("", help="备注"), date: str = DateOpt,
                  actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt) -> None:
        """登记通话结果（--date 为通话日期）。"""
        from zhida.delivery import service

        with _scope() as s:
            emit(service.record_call(s, actor_of(actor, role), call, outcome, note or None, on=_date(date)), fmt)

    cy.add_typer(ob, name="objection")
    cy.add_typer(ca, name="calls")
    app.add_typer(cy, name="cycle")

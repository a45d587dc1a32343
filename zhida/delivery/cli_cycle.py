"""``zhida cycle …``: create and move 发放批次, 公示, 异议, 确认, 电话提醒.

The delivery service is imported inside each command: loading it (Polars, the rules engine)
would slow every ``zhida`` call down, ``--help`` included.
"""

from __future__ import annotations

from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, DateOpt, FormatOpt, RoleOpt, actor_of, command_group, db_session, emit, parse_date


def cycle_create(
    run: int = typer.Option(..., "--run", help="测算编号（policy run）"),
    publicity_days: int = typer.Option(5, help="公示期（工作日）"),
    confirm_days: int = typer.Option(10, help="确认期（工作日）"),
    call_after_days: int = typer.Option(3, help="短信后几个工作日转电话提醒"),
    recall_after_days: int = typer.Option(2, help="首次电话未接通后几个工作日再打一次（最多两轮）"),
    supplementary: bool = typer.Option(
        False, "--supplementary", help="补发批次：只列入同一政策同一期间此前未发放、未在办理、未放弃的单位"
    ),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """由测算结果创建发放批次（名单就此冻结）；同一政策同一期间只能有一个批次，另需补发时用 --supplementary。"""
    from zhida.delivery import service

    with db_session() as s:
        c = service.create_cycle(
            s,
            actor_of(actor, role),
            run,
            publicity_days=publicity_days,
            confirm_days=confirm_days,
            call_after_days=call_after_days,
            recall_after_days=recall_after_days,
            supplementary=supplementary,
        )
        view = service.show(s, c.id)
    emit(view, fmt)


def cycle_list(fmt: str = FormatOpt) -> None:
    """列出发放批次。"""
    from zhida.delivery import service

    with db_session() as s:
        views = service.list_cycles(s)
    lines = [f"{v.id:>5} {v.state:<4} {v.policy_name}（{v.period}）{v.units} 户" for v in views]
    emit(views, fmt, "\n".join(lines) or "还没有发放批次")


def cycle_show(cycle: int, fmt: str = FormatOpt) -> None:
    """查看发放批次。"""
    from zhida.delivery import service

    with db_session() as s:
        emit(service.show(s, cycle), fmt)


def cycle_advance(
    cycle: int,
    to: str = typer.Option("", "--to", help="目标状态（默认下一状态）"),
    date: str | None = DateOpt,
    note: str = typer.Option("", help="办理意见"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """推进发放批次到下一状态（按角色与日期检查）。"""
    from zhida.delivery import service

    with db_session() as s:
        c = service.advance(s, actor_of(actor, role), cycle, to or None, today=parse_date(date), note=note or None)
        view = service.show(s, c.id)
    emit(view, fmt)


def cycle_revoke(
    cycle: int,
    reason: str = typer.Option(..., help="撤销原因"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """撤销发放批次（开始发放前）。"""
    from zhida.delivery import service

    with db_session() as s:
        service.revoke(s, actor_of(actor, role), cycle, reason)
        emit(service.show(s, cycle), fmt)


def cycle_recompute(
    cycle: int,
    run: int = typer.Option(0, "--run", help="用已有测算（默认重新测算）"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """重新测算：生成新批次并列出差异，原批次撤销。"""
    from zhida.delivery import service

    with db_session() as s:
        _new, diff = service.recompute(s, actor_of(actor, role), cycle, run_id=run or None)
    emit(diff, fmt)


def cycle_diff(old: int, new: int, fmt: str = FormatOpt) -> None:
    """比较两个发放批次的名单。"""
    from zhida.delivery import service

    with db_session() as s:
        d = service.diff_cycles(s, old, new)
    changes = (("新增", d.added), ("减少", d.removed), ("变化", d.changed))
    lines = [f"  {k} {r.uscc} {r.name} {r.old_fen} → {r.new_fen}" for k, rows in changes for r in rows]
    emit(d, fmt, "\n".join([d.summary(), *lines]))


def cycle_publicity(cycle: int, out: Path = typer.Option(..., "--out", help="公示名单 XLSX 文件")) -> None:
    """生成公示名单（单位名称与代码已隐去部分）。"""
    from zhida.delivery import service

    with db_session() as s:
        path = service.write_publicity(s, cycle, out)
    typer.echo(f"公示名单已写入 {path}")


def cycle_confirm(
    cycle: int,
    uscc: str,
    decline: bool = typer.Option(False, "--decline", help="单位放弃"),
    account: str = typer.Option("", help="更正后的对公账号"),
    bank: str = typer.Option("", help="开户行"),
    account_name: str = typer.Option("", help="户名"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """登记单位的确认、更正账号或放弃。"""
    from zhida.delivery import service

    with db_session() as s:
        e = service.answer(
            s,
            actor_of(actor, role),
            cycle,
            uscc,
            decline=decline,
            account_no=account or None,
            bank_name=bank or None,
            account_name=account_name or None,
        )
        data = {"uscc": e.uscc, "name": e.name, "confirmation": e.confirmation}
    emit(data, fmt, f"{data['name']}：{data['confirmation']}")


def cycle_hold(
    cycle: int,
    uscc: str,
    reason: str = typer.Option("", help="暂缓原因；不填则解除暂缓"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
) -> None:
    """暂缓某单位（不自动确认、不发放），或解除暂缓。"""
    from zhida.delivery import service

    with db_session() as s:
        e = service.set_held(s, actor_of(actor, role), cycle, uscc, reason or None)
        typer.echo(f"{e.name}：{'暂缓（' + reason + '）' if reason else '已解除暂缓'}")


def objection_add(
    cycle: int,
    uscc: str,
    content: str = typer.Option(..., help="异议内容"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """登记对某单位的异议。"""
    from zhida.delivery import service

    with db_session() as s:
        emit(service.raise_objection(s, actor_of(actor, role), cycle, uscc, content), fmt)


def objection_resolve(
    objection: int,
    upheld: bool = typer.Option(..., "--uphold/--dismiss", help="异议成立或不成立"),
    reason: str = typer.Option(..., help="处理理由"),
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """处理异议：成立则不予发放，不成立则继续。"""
    from zhida.delivery import service

    with db_session() as s:
        emit(service.resolve_objection(s, actor_of(actor, role), objection, upheld=upheld, reason=reason), fmt)


def objection_list(cycle: int, fmt: str = FormatOpt) -> None:
    """查看异议。"""
    from zhida.delivery import service

    with db_session() as s:
        rows = service.list_objections(s, cycle)
    emit(rows, fmt, "\n".join(r.summary() for r in rows) or "没有异议")


def calls_make(
    cycle: int, date: str | None = DateOpt, actor: str = ActorOpt, role: str = RoleOpt, fmt: str = FormatOpt
) -> None:
    """把短信未送达或未确认的单位转为电话提醒任务；首次未接通且仍未确认的，再打一轮。"""
    from zhida.delivery import service

    with db_session() as s:
        emit(service.make_calls(s, actor_of(actor, role), cycle, today=parse_date(date)), fmt)


def calls_list(
    cycle: int, open_only: bool = typer.Option(False, "--open", help="只看未拨打的"), fmt: str = FormatOpt
) -> None:
    """查看电话提醒任务。"""
    from zhida.delivery import service

    with db_session() as s:
        rows = service.list_calls(s, cycle, open_only=open_only)
    emit(rows, fmt, "\n".join(r.summary() for r in rows) or "没有电话任务")


def calls_record(
    call: int,
    outcome: str = typer.Option(..., help="接通、未接通、号码错误、拒绝"),
    note: str = typer.Option("", help="备注"),
    date: str | None = DateOpt,
    actor: str = ActorOpt,
    role: str = RoleOpt,
    fmt: str = FormatOpt,
) -> None:
    """登记通话结果（--date 为通话日期）。"""
    from zhida.delivery import service

    with db_session() as s:
        emit(service.record_call(s, actor_of(actor, role), call, outcome, note or None, on=parse_date(date)), fmt)


CYCLE_COMMANDS = (
    ("create", cycle_create),
    ("list", cycle_list),
    ("show", cycle_show),
    ("advance", cycle_advance),
    ("revoke", cycle_revoke),
    ("recompute", cycle_recompute),
    ("diff", cycle_diff),
    ("publicity", cycle_publicity),
    ("confirm", cycle_confirm),
    ("hold", cycle_hold),
)
OBJECTION_COMMANDS = (("add", objection_add), ("resolve", objection_resolve), ("list", objection_list))
CALLS_COMMANDS = (("make", calls_make), ("list", calls_list), ("record", calls_record))


def register_cycle(app: typer.Typer) -> None:
    """Add ``zhida cycle …`` with its ``objection`` and ``calls`` groups (fresh groups on every call)."""
    cycle = command_group("发放批次：公示、确认、提醒、审核与发放", CYCLE_COMMANDS)
    cycle.add_typer(command_group("异议：登记、处理、查看", OBJECTION_COMMANDS), name="objection")
    cycle.add_typer(command_group("电话提醒任务", CALLS_COMMANDS), name="calls")
    app.add_typer(cycle, name="cycle")

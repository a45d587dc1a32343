"""Commands of the platform: ``zhida outbox …``, ``zhida audit …`` and ``zhida calendar …``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from zhida.cliutil import FormatOpt, command_group, db_session, emit, required_date
from zhida.platform.calendar import LOAD_FORMAT


def outbox_work(
    once: bool = typer.Option(False, "--once", help="发完当前到期的消息即退出"),
    batch: int = typer.Option(100, help="每次领取的消息数"),
    sender: str = typer.Option("", help="发送方式 file/smtp/http（默认取 ZHIDA_SENDER）"),
    fmt: str = FormatOpt,
) -> None:
    """运行发送进程。"""
    from zhida.db import get_engine
    from zhida.platform.outbox import work
    from zhida.platform.senders import get_sender

    emit(work(get_engine(), get_sender(sender or None), once=once, batch=batch), fmt)


def outbox_status(fmt: str = FormatOpt) -> None:
    """各状态的消息数。"""
    from zhida.platform.outbox import counts

    with db_session() as s:
        c = counts(s)
    emit(c, fmt, "  ".join(f"{k} {v}" for k, v in sorted(c.items())) or "发件箱为空")


def outbox_release(
    msg_id: int, resend: bool = typer.Option(..., "--resend/--mark-sent", help="重新发送，或确认已送达")
) -> None:
    """人工处理状态不明或失败的消息。"""
    from zhida.platform.outbox import release

    with db_session() as s:
        m = release(s, msg_id, resend=resend)
        typer.echo(f"消息 {m.id} 现为 {m.status}")


def audit_verify(
    anchor: Path = typer.Option(None, "--anchor", help="此前用 zhida audit anchor 保存的锚点文件"),
    fmt: str = FormatOpt,
) -> None:
    """校验审计日志的密钥哈希链与链尾封签；给出锚点时还核对锚点所记的记录与条数。发现问题时退出码为 3。"""
    from zhida.platform.audit import read_anchor, verify

    mark = read_anchor(anchor) if anchor else None
    with db_session() as s:
        res = verify(s, anchor=mark)
    lines = [res.summary(), *res.problems]
    if mark:
        lines.insert(1, f"已核对锚点（{mark['at']}，共 {mark['count']} 条，第 {mark['seq']} 条）")
    emit(res, fmt, "\n".join(lines))
    if not res.ok:
        raise typer.Exit(3)


def audit_anchor(out: Path = typer.Option(None, "--out", help="写入文件（默认打印）")) -> None:
    """导出审计日志锚点（条数、最后一条的序号与哈希，带封签），由领导另行保存，用于日后核验整体重写。"""
    from zhida.platform.audit import export_anchor, write_anchor

    with db_session() as s:
        anchor = write_anchor(s, out) if out else export_anchor(s)
    if out:
        typer.echo(f"锚点已写入 {out}：共 {anchor['count']} 条，第 {anchor['seq']} 条哈希 {anchor['hash'][:16]}…")
    else:
        typer.echo(json.dumps(anchor, ensure_ascii=False, indent=2))


def audit_log(
    entity: str = typer.Option("", help="对象类型，如 cycle、payment"),
    entity_id: str = typer.Option("", "--id", help="对象编号"),
    limit: int = 50,
    fmt: str = FormatOpt,
) -> None:
    """查看最新的审计记录。"""
    from zhida.platform.audit import entries

    with db_session() as s:
        rows = [
            dict(
                seq=e.seq,
                at=e.at.isoformat(" ", "seconds"),
                actor=e.actor,
                role=e.role,
                action=e.action,
                entity=e.entity,
                entity_id=e.entity_id,
                before=e.before,
                after=e.after,
            )
            for e in entries(s, entity=entity or None, entity_id=entity_id or None, limit=limit)
        ]
    lines = [
        f"{r['seq']:>6} {r['at']} {r['actor']}({r['role']}) {r['action']} {r['entity']} {r['entity_id']}" for r in rows
    ]
    emit(rows, fmt, "\n".join(lines) or "没有审计记录")


def calendar_load(file: Path) -> None:
    # the help (the docstring) is set below: it shows the file format
    from zhida.platform.calendar import load_calendar_file

    with db_session() as s:
        year, n = load_calendar_file(s, file)
    typer.echo(f"已载入 {year} 年节假日安排：{n} 个调整日")


calendar_load.__doc__ = "载入一年的节假日安排（YAML），格式：\n\n" + LOAD_FORMAT.replace("\n", "\n\n")


def calendar_add(start: str, days: int) -> None:
    """从某日起数 N 个工作日（次日起算）。"""
    from zhida.platform.calendar import WorkingCalendar

    with db_session() as s:
        end = WorkingCalendar.from_session(s).add_working_days(required_date(start), days)
    typer.echo(f"{start} 起 {days} 个工作日：{end}")


OUTBOX_COMMANDS = (("work", outbox_work), ("status", outbox_status), ("release", outbox_release))
AUDIT_COMMANDS = (("verify", audit_verify), ("anchor", audit_anchor), ("log", audit_log))
CALENDAR_COMMANDS = (("load", calendar_load), ("add", calendar_add))


def register(app: typer.Typer) -> None:
    """Add ``zhida outbox …``, ``zhida audit …`` and ``zhida calendar …``."""
    app.add_typer(command_group("消息发件箱：短信与邮件的发送", OUTBOX_COMMANDS), name="outbox")
    app.add_typer(command_group("审计日志", AUDIT_COMMANDS), name="audit")
    app.add_typer(command_group("工作日日历：节假日与调休", CALENDAR_COMMANDS), name="calendar")

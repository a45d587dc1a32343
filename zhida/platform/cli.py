"""Commands of the platform: ``zhida outbox …``, ``zhida audit …`` and ``zhida calendar …``."""

from __future__ import annotations

from pathlib import Path

import typer

from zhida.cliutil import FormatOpt, db_session, emit, parse_date


def register_outbox(app: typer.Typer) -> None:
    ob = typer.Typer(help="消息发件箱：短信与邮件的发送", no_args_is_help=True)

    @ob.command("work")
    def work_cmd(
        once: bool = typer.Option(False, "--once", help="发完当前到期的消息即退出"),
        batch: int = typer.Option(100, help="每次领取的消息数"),
        sender: str = typer.Option("", help="发送方式 file/smtp/http（默认取 ZHIDA_SENDER）"),
        fmt: str = FormatOpt,
    ) -> None:
        """运行发送进程。"""
        from zhida.db import get_engine
        from zhida.platform.outbox import work
        from zhida.platform.senders import get_sender

        stats = work(get_engine(), get_sender(sender or None), once=once, batch=batch)
        emit(stats, fmt)

    @ob.command("status")
    def status_cmd(fmt: str = FormatOpt) -> None:
        """各状态的消息数。"""
        from zhida.db import get_engine, session_scope
        from zhida.platform.outbox import counts

        with session_scope(get_engine()) as s:
            c = counts(s)
        emit(c, fmt, "  ".join(f"{k} {v}" for k, v in sorted(c.items())) or "发件箱为空")

    @ob.command("release")
    def release_cmd(
        msg_id: int, resend: bool = typer.Option(..., "--resend/--mark-sent", help="重新发送，或确认已送达")
    ) -> None:
        """人工处理状态不明或失败的消息。"""
        from zhida.db import get_engine, session_scope
        from zhida.platform.outbox import release

        with session_scope(get_engine()) as s:
            m = release(s, msg_id, resend=resend)
            typer.echo(f"消息 {m.id} 现为 {m.status}")

    app.add_typer(ob, name="outbox")


def register_audit(app: typer.Typer) -> None:
    au = typer.Typer(help="审计日志", no_args_is_help=True)

    @au.command("verify")
    def verify_cmd(
        anchor: Path = typer.Option(None, "--anchor", help="此前用 zhida audit anchor 保存的锚点文件"),
        fmt: str = FormatOpt,
    ) -> None:
        """校验审计日志的密钥哈希链与链尾封签；给出锚点时还核对锚点所记的记录与条数。发现问题时退出码为 3。"""
        from zhida.db import get_engine, session_scope
        from zhida.platform.audit import read_anchor, verify

        mark = read_anchor(anchor) if anchor else None
        with session_scope(get_engine()) as s:
            res = verify(s, anchor=mark)
        lines = [res.summary(), *res.problems]
        if mark:
            lines.insert(1, f"已核对锚点（{mark['at']}，共 {mark['count']} 条，第 {mark['seq']} 条）")
        emit(res, fmt, "\n".join(lines))
        if not res.ok:
            raise typer.Exit(3)

    @au.command("anchor")
    def anchor_cmd(out: Path = typer.Option(None, "--out", help="写入文件（默认打印）")) -> None:
        """导出审计日志锚点（条数、最后一条的序号与哈希，带封签），由领导另行保存，用于日后核验整体重写。"""
        import json

        from zhida.db import get_engine, session_scope
        from zhida.platform.audit import export_anchor, write_anchor

        with session_scope(get_engine()) as s:
            anchor = write_anchor(s, out) if out else export_anchor(s)
        if out:
            typer.echo(f"锚点已写入 {out}：共 {anchor['count']} 条，第 {anchor['seq']} 条哈希 {anchor['hash'][:16]}…")
        else:
            typer.echo(json.dumps(anchor, ensure_ascii=False, indent=2))

    @au.command("log")
    def log_cmd(
        entity: str = typer.Option("", help="对象类型，如 cycle、payment"),
        entity_id: str = typer.Option("", "--id", help="对象编号"),
        limit: int = 50,
        fmt: str = FormatOpt,
    ) -> None:
        """查看最新的审计记录。"""
        from zhida.db import get_engine, session_scope
        from zhida.platform.audit import entries

        with session_scope(get_engine()) as s:
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
        emit(
            rows,
            fmt,
            "\n".join(
                f"{r['seq']:>6} {r['at']} {r['actor']}({r['role']}) {r['action']} {r['entity']} {r['entity_id']}"
                for r in rows
            )
            or "没有审计记录",
        )

    app.add_typer(au, name="audit")


def register_calendar(app: typer.Typer) -> None:
    from zhida.platform.calendar import LOAD_FORMAT

    cal = typer.Typer(help="工作日日历：节假日与调休", no_args_is_help=True)

    @cal.command("load", help="载入一年的节假日安排（YAML），格式：\n\n" + LOAD_FORMAT.replace("\n", "\n\n"))
    def load_cmd(file: Path) -> None:
        from zhida.platform.calendar import load_calendar_file

        with db_session() as s:
            year, n = load_calendar_file(s, file)
        typer.echo(f"已载入 {year} 年节假日安排：{n} 个调整日")

    @cal.command("add")
    def add_cmd(start: str, days: int) -> None:
        """从某日起数 N 个工作日（次日起算）。"""
        from zhida.platform.calendar import WorkingCalendar

        with db_session() as s:
            end = WorkingCalendar.from_session(s).add_working_days(parse_date(start), days)
        typer.echo(f"{start} 起 {days} 个工作日：{end}")

    app.add_typer(cal, name="calendar")


def register(app: typer.Typer) -> None:
    register_outbox(app)
    register_audit(app)
    register_calendar(app)

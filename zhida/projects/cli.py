"""``zhida projects …``: the monthly report and bulletin, the ledger export, task forces,
targets and the daily reminders. Imports go through ``zhida import projects|project-reports|
project-fields FILE``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from zhida.cliutil import ActorOpt, FormatOpt, RoleOpt, actor_of, db_session, emit, parse_date
from zhida.errors import ValidationFailed
from zhida.projects import bulletin as bulletins
from zhida.projects import ledger, reminders, targets
from zhida.projects.export import write_ledger
from zhida.projects.progress import SLOW_POINTS, month_progress, report_json
from zhida.projects.reports import parse_month

MonthOpt = typer.Option(..., "--month", help="月份 YYYY-MM")
TodayOpt = typer.Option(None, "--today", help="办理日期 YYYY-MM-DD（默认今天）")
SlowOpt = typer.Option(str(SLOW_POINTS), "--slow", help="慢于时间进度超过多少个百分点列入滞后项目")


def _decimal(text: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(f"{what}「{text}」不是数字") from None


def _text(data: dict) -> str:
    lines = [f"{data['month']} 时间进度 {data['schedule_pct']}%"]
    for p in data["projects"]:
        lines.append(f"{p['code']} {p['name']} 完成率 {p['completion_pct'] or '—'}% 快慢 {p['ahead_pp'] or '—'} 个百分点"
                     + ("" if p["reported"] else "（未报）"))
    t = data["total"]
    lines.append(f"合计 完成率 {t['completion_pct'] or '—'}% 快慢 {t['ahead_pp'] or '—'} 个百分点")
    return "\n".join(lines)


def report(month: str = MonthOpt, fmt: str = FormatOpt, actor: str = ActorOpt, role: str = RoleOpt,
           slow: str = SlowOpt) -> None:
    """每个项目的年度计划完成率、时间进度与快慢百分点（精确值与一次四舍五入值）。"""
    with db_session() as s:
        data = report_json(month_progress(s, actor_of(actor, role), parse_month(month), _decimal(slow, "参数")))
    emit(data, fmt, _text(data))


def bulletin(month: str = MonthOpt, out: Path = typer.Option(None, "--out", help="写入文本文件"),
             today: str = TodayOpt, slow: str = SlowOpt, region: str = typer.Option("经开区", "--region")) -> None:
    """生成月度重点项目推进情况通报。"""
    with db_session() as s:
        text = bulletins.monthly_bulletin(s, actor_of("system", "admin"), parse_month(month),
                                          parse_date(today) or dt.date.today(), _decimal(slow, "参数"), region)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"已写入 {out}")
    else:
        typer.echo(text)


def export(month: str = MonthOpt, out: Path = typer.Option(..., "--out", help="输出 .xlsx 路径")) -> None:
    """按台账格式导出 Excel。"""
    with db_session() as s:
        system = actor_of("system", "admin")
        path = write_ledger(s, system, month_progress(s, system, parse_month(month)), out)
    typer.echo(f"已写入 {path}")


def taskforce(name: str = typer.Argument(..., help="专班名称"), head_name: str = typer.Option(None, "--head"),
              head_user: str = typer.Option(None, "--head-user"),
              member: list[str] = typer.Option([], "--member", help="成员账号，可重复"),
              actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """设立专班（或更新负责人、增加成员）。"""
    with db_session() as s:
        ledger.add_task_force(s, actor_of(actor, role), name, head_name, head_user, member)
    typer.echo(f"专班「{name}」已设立")


def target(year: int = typer.Argument(...), indicator: str = typer.Argument(..., help="过亿元项目、完成投资、到位资金、新增高新技术企业"),
           value: str = typer.Argument(..., help="目标值（“以上”即不少于）"),
           actual: str = typer.Option(None, "--actual", help="不能由台账计算的指标的完成值"),
           actor: str = ActorOpt, role: str = RoleOpt) -> None:
    """设定年度目标。"""
    with db_session() as s:
        targets.set_target(s, actor_of(actor, role), year, indicator, _decimal(value, "目标值"),
                           None if actual is None else _decimal(actual, "完成值"))
    typer.echo(f"{year} 年目标「{indicator}」{value} 以上已设定")


def progress(month: str = MonthOpt, fmt: str = FormatOpt) -> None:
    """年度目标完成情况。"""
    with db_session() as s:
        rows = targets.progress(s, parse_month(month))
    text = "\n".join(f"{t.indicator} 目标 {t.target}{t.unit}以上 完成 {t.actual if t.actual is not None else '—'} "
                     f"{'已完成' if t.met else '未完成'} 完成率 {t.completion_pct or '—'}%" for t in rows)
    emit(rows, fmt, text or "尚未设定年度目标")


def remind(today: str = TodayOpt) -> None:
    """到期提醒与逾期升级（写入消息队列，由 zhida outbox 发送）。"""
    with db_session() as s:
        result = reminders.remind(s, parse_date(today) or dt.date.today())
    typer.echo(result.summary())


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="重点项目与招商：月报、通报、台账导出、专班、目标、提醒", no_args_is_help=True)
    for name, fn in (("report", report), ("bulletin", bulletin), ("export", export), ("taskforce", taskforce),
                     ("target", target), ("targets", progress), ("remind", remind)):
        sub.command(name)(fn)
    app.add_typer(sub, name="projects")

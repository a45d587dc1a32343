"""``zhida stats …``: compute indicators, render bulletins, follow targets."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from zhida.db import get_engine, session_scope
from zhida.errors import ValidationFailed
from zhida.stats import output, service

console = Console()
err_console = Console(stderr=True)


class Format(str, Enum):
    json = "json"
    table = "table"
    xlsx = "xlsx"


def _compute(indicator: str = typer.Option(..., "--indicator", help="指标，如 进出口总值"),
             region: str = typer.Option(..., "--region", help="地区，如 聊城市"),
             period: str = typer.Option(..., "--period", help="期间：2026、2026-Q1、2026-03、2026-01~02"),
             dimension: str = typer.Option(None, "--dimension", help="维度，如 贸易方式"),
             fmt: Format = typer.Option(Format.table, "--format", help="json、table 或 xlsx"),
             out: Path = typer.Option(None, "--out", help="xlsx 输出路径")) -> None:
    """计算合计及各维度值的数值、同比、占比、贡献率、拉动与增长面。"""
    with session_scope(get_engine()) as s:
        result = service.compute_result(s, indicator, region, period, dimension)
    if fmt is Format.json:
        typer.echo(output.to_json(result))
    elif fmt is Format.xlsx:
        path = output.to_xlsx(result, out or Path(f"{indicator}-{region}-{period.replace('~', '至')}.xlsx"))
        console.print(f"已写入 {path}", highlight=False)
    else:
        console.print(output.to_table(result))
    for line in output.footer_lines(result):
        err_console.print(line, highlight=False, markup=False)


def _bulletin(template: str = typer.Argument(..., help="模板名：customs（海关进出口公报）、industry（规上工业公报），或 .j2 文件路径"),
              region: str = typer.Option(..., "--region", help="地区"),
              period: str = typer.Option(..., "--period", help="期间"),
              out: Path = typer.Option(None, "--out", help="写入文本文件")) -> None:
    """按模板生成中文公报段落。"""
    with session_scope(get_engine()) as s:
        text = service.render_bulletin(s, template, region, period)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"已写入 {out}", highlight=False)
    else:
        typer.echo(text)


def _targets(region: str = typer.Option(..., "--region", help="地区"),
             year: int = typer.Option(..., "--year", help="年度"),
             as_of: str = typer.Option(None, "--as-of", help="截至日期 YYYY-MM-DD（默认今天）"),
             fmt: Format = typer.Option(Format.table, "--format", help="json 或 table")) -> None:
    """年度目标完成进度：数值、目标、完成率、是否跟上时间进度。"""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise ValidationFailed(f"截至日期 \"{as_of}\" 格式不对：应为 YYYY-MM-DD") from None
    with session_scope(get_engine()) as s:
        rows = service.target_progress(s, region, year, day)
    if fmt is Format.json:
        typer.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{region} {year}年目标进度")
    for h in ("指标", "数值", "目标", "单位", "累计方式", "数据期间", "完成率(%)", "时间进度(%)", "进度"):
        table.add_column(h)
    for r in rows:
        j = r.to_json()
        state = {True: "跟上", False: "落后", None: "无数据"}[r.on_track]
        table.add_row(r.indicator, *[("—" if j[k] is None else str(j[k])) for k in ("value", "target")],
                      r.unit or "", r.mode, r.period or "—", *[("—" if j[k] is None else str(j[k]))
                                                       for k in ("completion_pct", "elapsed_pct")], state)
    console.print(table)


def _target_set(indicator: str = typer.Option(..., "--indicator"), region: str = typer.Option(..., "--region"),
                year: int = typer.Option(..., "--year"), target: str = typer.Option(..., "--target", help="目标值"),
                unit: str = typer.Option(None, "--unit", help="单位"),
                mode: str = typer.Option(None, "--mode", help="累计方式：累计（流量，按年初至今累计值）或 时点（存量，取最新值）；"
                                                               "默认单位为 % 时为时点，否则为累计")) -> None:
    """设置（或修改）一个年度目标。"""
    try:
        value = Decimal(target)
    except InvalidOperation:
        raise ValidationFailed(f"目标值 \"{target}\" 不是数字") from None
    with session_scope(get_engine()) as s:
        service.set_target(s, indicator, region, year, value, unit, mode)
    console.print(f"已设置：{region} {year}年 {indicator} 目标 {value}{unit or ''}", highlight=False)


def _indicators() -> None:
    """列出已导入的指标、地区、期间和维度。"""
    with session_scope(get_engine()) as s:
        infos = service.list_indicators(s)
    table = Table(title="已导入的统计指标")
    for h in ("指标", "地区", "单位", "期间", "维度"):
        table.add_column(h)
    for i in infos:
        table.add_row(i.indicator, i.region, i.unit or "", "、".join(i.periods), "、".join(i.dimensions))
    console.print(table)


def _load_demo() -> None:
    """导入演示统计数据（聊城 2026年1—2月 海关与规上工业，及年度目标）。"""
    for r in service.load_demo(get_engine()):
        console.print(r.summary(), highlight=False)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="经济运行：指标计算、公报、目标进度", no_args_is_help=True)
    sub.command("compute")(_compute)
    sub.command("bulletin")(_bulletin)
    sub.command("targets")(_targets)
    sub.command("target-set")(_target_set)
    sub.command("indicators")(_indicators)
    sub.command("load-demo")(_load_demo)
    app.add_typer(sub, name="stats")

"""``zhida demo``: the synthetic district, generated, imported, and taken through every step."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from zhida.cliutil import command_group

console = Console(soft_wrap=True)

UnitsOpt = typer.Option(3000, "--units", help="单位数")
SeedOpt = typer.Option(42, "--seed", help="随机种子")


def demo_default(
    ctx: typer.Context,
    units: int = UnitsOpt,
    seed: int = SeedOpt,
    out: Path = typer.Option(Path("var/demo"), "--out", help="导入文件目录"),
) -> None:
    """不带子命令时：生成演示区县的四个导入文件并导入当前数据库。"""
    if ctx.invoked_subcommand is None:
        from zhida.demo.run import load_district

        load_district(out, units, seed, console)


def demo_generate(
    units: int = UnitsOpt,
    seed: int = SeedOpt,
    out: Path = typer.Option(Path("var/demo"), "--out", help="输出目录"),
) -> None:
    """只生成四个导入文件（单位、失业保险缴费、信用名单、规上工业产值）。"""
    from zhida.demo.generate import generate

    for kind, path in generate(out, units, seed).items():
        console.print(f"{kind:<18} {path}", highlight=False)


def demo_run(
    units: int = UnitsOpt,
    seed: int = SeedOpt,
    out: Path = typer.Option(Path("var/demo"), "--out", help="工作目录"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="最后启动网页控制台"),
) -> None:
    """全流程：迁移数据库、导入演示区县、运行政策、走完发放批次、载入经济指标，然后启动控制台。"""
    from zhida.demo.run import run_all

    run_all(out, units, seed, console, serve=serve)


COMMANDS = (("generate", demo_generate), ("run", demo_run))


def register(app: typer.Typer) -> None:
    """Add ``zhida demo [generate|run]``: without a subcommand, ``demo_default`` loads the district."""
    demo = command_group(
        "演示区县（合成数据）：生成、导入并走完全流程", COMMANDS, invoke_without_command=True, no_args_is_help=False
    )
    demo.callback()(demo_default)
    app.add_typer(demo, name="demo")

"""The demo, step by step: each step prints what it did in Chinese."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from zhida.config import get_settings
from zhida.db import get_engine, migrate, session_scope

IMPORT_ORDER = ["enterprises", "ui-payments", "credit-list", "industrial-output"]


def load_district(out: Path, units: int, seed: int, console: Console) -> None:
    """Migrate, generate the synthetic district, import its four files, print a summary."""
    from zhida.demo.generate import generate
    from zhida.imports.engine import run_import

    migrate()
    console.print(f"[bold]演示区县[/]（合成数据，种子 {seed}）→ {get_settings().database_url}", highlight=False)
    files = generate(out, units, seed)
    for kind in IMPORT_ORDER:
        result = run_import(kind, files[kind])
        console.print("  " + result.summary(), highlight=False)
    print_registry_summary(console)


def print_registry_summary(console: Console) -> None:
    from zhida.registry.models import CreditEntry, IndustrialOutput, UiPayment, Unit

    with session_scope(get_engine()) as s:
        sizes = Counter(dict(s.execute(select(Unit.size_class, func.count()).group_by(Unit.size_class)).all()))
        types = Counter(dict(s.execute(select(Unit.unit_type, func.count()).group_by(Unit.unit_type)).all()))
        counts = {
            "单位": s.scalar(select(func.count()).select_from(Unit)),
            "失业保险缴费记录": s.scalar(select(func.count()).select_from(UiPayment)),
            "信用名单记录": s.scalar(select(func.count()).select_from(CreditEntry)),
            "规上工业产值记录": s.scalar(select(func.count()).select_from(IndustrialOutput)),
        }
    table = Table(title="登记概况", show_header=True)
    table.add_column("项目")
    table.add_column("数量", justify="right")
    for k, v in counts.items():
        table.add_row(k, f"{v:,}")
    for k in ("大型", "中型", "小型", "微型"):
        table.add_row(f"  {k}企业", f"{sizes.get(k, 0):,}")
    if sizes.get(None):
        table.add_row("  规模未能划分", f"{sizes[None]:,}")
    for k, v in types.most_common():
        table.add_row(f"  单位类型：{k}", f"{v:,}")
    console.print(table)


def run_all(out: Path, units: int, seed: int, console: Console, serve: bool = True) -> None:
    load_district(out, units, seed, console)
    for step in DEMO_STEPS:
        step(out, console)
    if serve:
        serve_console(console)


def serve_console(console: Console) -> None:
    import importlib.util

    if importlib.util.find_spec("zhida.web.server") is None:
        return
    from zhida.web.server import serve

    settings = get_settings()
    console.print(f"控制台：http://{settings.host}:{settings.port}/  （Ctrl+C 退出）", highlight=False)
    serve(settings.host, settings.port)


# further steps (policies, a payment cycle, statistics, accounts) in the order they run
DEMO_STEPS: list = []

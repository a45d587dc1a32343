"""The demo, step by step: each step prints what it did in Chinese."""

from __future__ import annotations

import datetime as dt
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
    for step in programme_demo_steps():
        step(out, console)
    if serve:
        serve_console(console)


def programme_demo_steps() -> list:
    """``demo_step(out, console)`` of every programme's ``demo`` module (loans, approvals …)."""
    from zhida.programmes import modules, programme_names

    found = [m for m in modules("demo") if m.__name__.split(".")[1] in programme_names()]
    return [m.demo_step for m in found if hasattr(m, "demo_step")]


def serve_console(console: Console) -> None:
    import importlib.util

    if importlib.util.find_spec("zhida.web.server") is None:
        return
    from zhida.web.server import serve

    settings = get_settings()
    console.print(f"控制台：http://{settings.host}:{settings.port}/  （Ctrl+C 退出）", highlight=False)
    serve(settings.host, settings.port)


DEMO_POLICIES = [  # (policy, period, the date credit lists and arrears are judged at)
    ("wengang-fanhuan", "2025", dt.date(2025, 6, 30)),
    ("yanggu-wenfazhan", "2026-Q1", dt.date(2026, 4, 15)),
]
RUN_IDS: dict[str, int] = {}


def step_policies(out: Path, console: Console) -> None:
    """Run the policies whose 适用地域 covers the district's county and print their summaries."""
    from zhida.registry.regions import home_county
    from zhida.rules.entities import entity
    from zhida.rules.jurisdiction import describe, prefix
    from zhida.rules.service import get_policy, run_policy, summarise_run

    county = home_county()
    for policy_id, period, as_of in DEMO_POLICIES:
        policy = get_policy(policy_id)
        if policy.jurisdiction and not any(county.code.startswith(prefix(c)) for c in policy.jurisdiction):
            console.rule(f"政策运行：{policy.name}")
            where = describe(entity(policy.target), policy.jurisdiction)
            console.print(f"适用地域为{where}，演示区县{county.name}不在其中，不运行。", highlight=False)
            continue
        with session_scope(get_engine()) as s:
            run = run_policy(s, policy_id, period, as_of)
            RUN_IDS[policy_id] = run.id
            console.rule(f"政策运行：{run.policy_name}")
            console.print(summarise_run(run, s), highlight=False)


def step_statistics(out: Path, console: Console) -> None:
    """Load the 聊城 customs and industry figures (published, bases derived) and print the bulletins."""
    from zhida.stats.service import load_demo, render_bulletin

    console.rule("经济运行")
    for result in load_demo(get_engine()):
        console.print("  " + result.summary(), highlight=False)
    with session_scope(get_engine()) as s:
        for template in ("customs", "industry"):
            console.print(render_bulletin(s, template, "聊城市", "2026-01~02"), highlight=False)


def step_cycle(out: Path, console: Console) -> None:
    """Take the refund run through a whole payment cycle with a simulated bank return."""
    from zhida.demo.cycle import run_demo_cycle

    console.rule("免申即享发放批次")
    console.print(run_demo_cycle(get_engine(), RUN_IDS["wengang-fanhuan"], out / "delivery"), highlight=False)


def step_accounts(out: Path, console: Console) -> None:
    """Demo logins for each staff role and two units (fixed passwords: demo only)."""
    from zhida.web.accounts import create_demo_accounts

    console.rule("演示账号（仅供演示）")
    table = Table(show_header=True)
    for col in ("用户名", "密码", "角色"):
        table.add_column(col)
    from zhida.rules.models import PolicyResult

    with session_scope(get_engine()) as s:
        units = list(s.scalars(select(PolicyResult.uscc).where(
            PolicyResult.run_id == RUN_IDS["wengang-fanhuan"], PolicyResult.status == "eligible")
            .order_by(PolicyResult.uscc).limit(2)))
    for username, password, role in create_demo_accounts(get_engine(), units):
        table.add_row(username, password, role)
    console.print(table)


def step_jobs(out: Path, console: Console) -> None:
    """Jobs, seekers, a job fair and a hired seeker, so that 就业服务 has content."""
    from zhida.demo.jobs import fill_jobs

    console.rule("就业服务")
    with session_scope(get_engine()) as s:
        got = fill_jobs(s, dt.date.today())
    console.print(f"发布岗位 {got['jobs']} 个，登记求职者 {got['seekers']} 人，招聘会 #{got['fair']}，"
                  f"匹配并录用求职者 #{got['hired']}", highlight=False)


# further steps in the order they run
DEMO_STEPS: list = [step_policies, step_cycle, step_statistics, step_jobs, step_accounts]

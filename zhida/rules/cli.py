"""``zhida policy …``: run, explain, test and simulate policies. Thin: parse, call, print."""

from __future__ import annotations

from pathlib import Path

import typer

from zhida.cliutil import FormatOpt, command_group, db_session, emit, parse_date
from zhida.errors import ValidationFailed


def _sets(items: list[str] | None) -> dict[str, str]:
    """``["rate.sme=0.9", …]`` → ``{"rate.sme": "0.9", …}`` (``ValidationFailed`` for an item without ``=``)."""
    out = {}
    for item in items or []:
        if "=" not in item:
            raise ValidationFailed(f"--set「{item}」格式不对，应为 参数名=取值，例如 rate.sme=0.9")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


PERIOD = typer.Option(..., "--period", help="期间：年度 2025 或季度 2026-Q1")
AS_OF = typer.Option(
    None,
    "--as-of",
    help="判定日期 YYYY-MM-DD（默认今天）：信用名单按此日判定；欠费按缴费年度年末欠费金额判定，与此日无关",
)
SET = typer.Option(None, "--set", help="参数取值，例如 rate.sme=0.9（可重复）")
DIR = typer.Option(None, "--policy-dir", help="另行加载该目录下的策略文件")
POLICY = typer.Argument(..., metavar="POLICY")


def policy_list(policy_dir: str = DIR) -> None:
    """列出可用的政策。"""
    from zhida.rules.service import list_policies

    for p in list_policies(policy_dir):
        basis = "；".join(b.doc_no for b in p.legal_basis)
        typer.echo(f"{p.id:<20} {p.name}（{'年度' if p.period_type == 'year' else '季度'}）  {basis}")


def policy_run(
    policy_id: str = POLICY,
    period: str = PERIOD,
    as_of: str = AS_OF,
    out: Path = typer.Option(None, "--out", help="导出结果到 .xlsx"),
    fmt: str = FormatOpt,
    sets: list[str] = SET,
    policy_dir: str = DIR,
) -> None:
    """对所有单位计算一个政策，保存本次计算并输出汇总。"""
    from zhida.rules.export import json_results, write_xlsx
    from zhida.rules.service import run_and_evaluate, summarise_run

    with db_session() as session:
        run, ev = run_and_evaluate(session, policy_id, period, parse_date(as_of), _sets(sets), policy_dir)
        if out:
            write_xlsx(ev, out)
        if fmt == "json":
            emit(json_results(ev), fmt)
        else:
            emit(run, fmt, summarise_run(run, session) + (f"\n结果已导出：{out}" if out else ""))


def policy_explain(
    policy_id: str = POLICY,
    uscc: str = typer.Argument(...),
    period: str = PERIOD,
    as_of: str = AS_OF,
    sets: list[str] = SET,
    policy_dir: str = DIR,
) -> None:
    """用中文逐条说明一个单位的判定结果与金额。"""
    from zhida.rules.service import explain

    with db_session() as session:
        typer.echo(explain(session, policy_id, uscc, period, parse_date(as_of), _sets(sets), policy_dir).text())


def policy_test(policy_id: str = typer.Argument(None, metavar="[POLICY]"), policy_dir: str = DIR) -> None:
    """运行政策文件中的测试用例。"""
    from zhida.rules.service import test_policy

    results = test_policy(policy_id, policy_dir)
    failed = [r for r in results if not r.passed]
    for r in results:
        mark = "通过" if r.passed else "失败"
        tail = f"：{r.message}" if not r.passed else ""
        typer.echo(f"{mark}  {r.policy_id} 第 {r.line} 行 {r.name}{tail}")
    typer.echo(f"共 {len(results)} 个用例，通过 {len(results) - len(failed)} 个，失败 {len(failed)} 个")
    if failed:
        raise typer.Exit(1)


def policy_simulate(
    policy_id: str = POLICY,
    period: str = PERIOD,
    sets: list[str] = SET,
    as_of: str = AS_OF,
    limit: int = typer.Option(20, "--limit", help="列出变化单位的个数"),
    policy_dir: str = DIR,
) -> None:
    """模拟调整参数（--set），与基线比较总额、户数和变化的单位（不保存）。"""
    from zhida.rules.service import simulate

    overrides = _sets(sets)
    if not overrides:
        raise ValidationFailed("请用 --set 给出至少一个模拟参数，例如 --set rate.sme=0.9")
    with db_session() as session:
        result = simulate(session, policy_id, period, overrides, parse_date(as_of), policy_dir)
    typer.echo("\n".join(result.lines(limit)))


COMMANDS = (
    ("list", policy_list),
    ("run", policy_run),
    ("explain", policy_explain),
    ("test", policy_test),
    ("simulate", policy_simulate),
)


def register(app: typer.Typer) -> None:
    """Add ``zhida policy …``."""
    app.add_typer(command_group("政策计算：运行、解释、测试、模拟", COMMANDS), name="policy")

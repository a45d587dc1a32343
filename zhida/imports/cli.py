"""``zhida import KIND FILE`` and ``zhida import template KIND``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zhida.config import get_settings
from zhida.imports.engine import Progress as ImportProgress
from zhida.imports.engine import run_import
from zhida.imports.spec import all_kinds, get_kind
from zhida.imports.template import write_template

console = Console()


def _rich_progress(bar: Progress) -> ImportProgress:
    state = {"task": None}

    def step(message: str) -> None:
        if state["task"] is None:
            state["task"] = bar.add_task(message, total=None)
        else:
            bar.update(state["task"], description=message)

    def start_writing(total: int) -> None:
        if state["task"] is not None:
            bar.update(state["task"], description="写入数据库", total=total, completed=0)

    def advance(n: int) -> None:
        if state["task"] is not None:
            bar.advance(state["task"], n)

    return ImportProgress(step, start_writing, advance)


def _count_lines(path: Path) -> int:
    if path.suffix.lower() != ".csv" or not path.exists():
        return 0 if not path.exists() else (path.stat().st_size // 100)
    with path.open("rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))


def import_file(kind: str, file: Path, dry_run: bool, errors_out: Path | None, ignore_unknown: bool,
                sheet: str | None = None) -> None:
    big = _count_lines(file) > get_settings().progress_threshold
    options = dict(dry_run=dry_run, errors_out=errors_out, ignore_unknown=ignore_unknown, sheet=sheet)
    if big:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as bar:
            result = run_import(kind, file, progress=_rich_progress(bar), **options)
    else:
        result = run_import(kind, file, **options)
    console.print(result.summary(), highlight=False)


def register(app: typer.Typer) -> None:
    kinds_help = "、".join(f"{k.title}（{k.name}）" for k in all_kinds().values())

    imp = typer.Typer(help=f"导入数据文件（CSV/XLSX）。类型：{kinds_help}", no_args_is_help=True)

    @imp.command("template")
    def template(kind: str = typer.Argument(..., help="导入类型的代码，如 enterprises（单位基本信息）；全部类型见 zhida import --help"),
                 out: Path = typer.Option(None, "--out", help="输出 XLSX 路径")) -> None:
        """生成空白导入模板（表头 + 填写说明）。"""
        k = get_kind(kind)
        path = write_template(k, out or Path(f"{k.name}-模板.xlsx"))
        console.print(f"已生成模板：{path}", highlight=False)

    @imp.command("formats")
    def formats() -> None:
        """以 Markdown 输出全部导入格式（表头、必填、说明）。"""
        from zhida.imports.template import formats_markdown

        typer.echo(formats_markdown(all_kinds()[k] for k in sorted(all_kinds())))

    def make_command(kind_name: str):
        def command(
            file: Path = typer.Argument(..., help="CSV、XLSX、XLSM 或 XLS 文件"),
            dry_run: bool = typer.Option(False, "--dry-run", help="只校验不写入"),
            errors_out: Path = typer.Option(None, "--errors-out", help="把错误写成 XLSX 报告"),
            ignore_unknown: bool = typer.Option(False, "--ignore-unknown", help="忽略未知的列"),
            sheet: str = typer.Option(None, "--sheet", help="读取工作簿中的这个工作表（默认：第一个可见的）"),
        ) -> None:
            import_file(kind_name, file, dry_run, errors_out, ignore_unknown, sheet)

        command.__doc__ = f"导入{all_kinds()[kind_name].title}（{kind_name}）。"
        return command

    for name in all_kinds():
        imp.command(name)(make_command(name))

    app.add_typer(imp, name="import")

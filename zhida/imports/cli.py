"""``zhida import KIND FILE``, ``zhida import template KIND`` and ``zhida import formats``.

One command per import kind, made by ``kind_command`` from the kinds the packages declare.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from zhida.cliutil import command_group
from zhida.config import get_settings
from zhida.imports.engine import Progress as ImportProgress
from zhida.imports.engine import run_import
from zhida.imports.spec import all_kinds, get_kind
from zhida.imports.template import write_template

console = Console()


def _rich_progress(bar: Progress) -> ImportProgress:
    """The import's progress callbacks drawing one Rich task: its steps, then the rows written."""
    task: TaskID | None = None

    def step(message: str) -> None:
        nonlocal task
        if task is None:
            task = bar.add_task(message, total=None)
        else:
            bar.update(task, description=message)

    def start_writing(total: int) -> None:
        if task is not None:
            bar.update(task, description="写入数据库", total=total, completed=0)

    def advance(n: int) -> None:
        if task is not None:
            bar.advance(task, n)

    return ImportProgress(step, start_writing, advance)


def _count_lines(path: Path) -> int:
    """About how many rows ``path`` holds: its lines for a CSV, its size / 100 for a workbook, 0 if missing."""
    if path.suffix.lower() != ".csv" or not path.exists():
        return 0 if not path.exists() else (path.stat().st_size // 100)
    with path.open("rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))


def import_file(
    kind: str, file: Path, dry_run: bool, errors_out: Path | None, ignore_unknown: bool, sheet: str | None = None
) -> None:
    """Import ``file`` as ``kind`` and print the summary; a progress bar for a big file.

    Raises ``ImportRefused`` (nothing written) on any bad row, like ``run_import``.
    """
    big = _count_lines(file) > get_settings().progress_threshold
    if big:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            result = run_import(
                kind,
                file,
                dry_run=dry_run,
                errors_out=errors_out,
                ignore_unknown=ignore_unknown,
                sheet=sheet,
                progress=_rich_progress(bar),
            )
    else:
        result = run_import(
            kind, file, dry_run=dry_run, errors_out=errors_out, ignore_unknown=ignore_unknown, sheet=sheet
        )
    console.print(result.summary(), highlight=False)


def import_template(
    kind: str = typer.Argument(
        ..., help="导入类型的代码，如 enterprises（单位基本信息）；全部类型见 zhida import --help"
    ),
    out: Path = typer.Option(None, "--out", help="输出 XLSX 路径"),
) -> None:
    """生成空白导入模板（表头 + 填写说明）。"""
    k = get_kind(kind)
    path = write_template(k, out or Path(f"{k.name}-模板.xlsx"))
    console.print(f"已生成模板：{path}", highlight=False)


def import_formats() -> None:
    """以 Markdown 输出全部导入格式（表头、必填、说明）。"""
    from zhida.imports.template import formats_markdown

    typer.echo(formats_markdown(all_kinds()[k] for k in sorted(all_kinds())))


def kind_command(kind_name: str) -> Callable[..., None]:
    """The command ``zhida import <kind_name> FILE``, its help naming the kind by its Chinese title."""

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


def register(app: typer.Typer) -> None:
    """Add ``zhida import …``: the template and formats commands, then one command per import kind."""
    kinds = all_kinds()
    kinds_help = "、".join(f"{k.title}（{k.name}）" for k in kinds.values())
    commands = [("template", import_template), ("formats", import_formats)]
    commands += [(name, kind_command(name)) for name in kinds]
    app.add_typer(command_group(f"导入数据文件（CSV/XLSX）。类型：{kinds_help}", commands), name="import")

"""Command line: ``zhida …``. Thin: it parses arguments, calls the domain, prints.

Each domain package that has commands exposes ``register(app)`` in its ``cli`` module;
they are collected here so the packages stay independent of each other.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.rich_utils
from rich.console import Console

from zhida import __version__
from zhida.errors import ValidationFailed, ZhidaError

app = typer.Typer(
    help="直达 zhida：政策直达、免申即享、就业服务与经济运行分析",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)

# the command modules: ``zhida.<pkg>.cli`` of every package, found by ``zhida.programmes``
COMMAND_MODULES_EXTRA = ["zhida.db_cli"]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zhida {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    """直达 zhida"""


def _register_all() -> None:
    import importlib

    from zhida.programmes import modules

    for module in [*modules("cli"), *map(importlib.import_module, COMMAND_MODULES_EXTRA)]:
        module.register(app)


HELP_OPTION_TEXT = "显示帮助并退出"
RICH_TEXTS = {"OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令", "ARGUMENTS_PANEL_TITLE": "参数",
              "ERRORS_PANEL_TITLE": "错误", "DEFAULT_STRING": "[默认：{}]", "REQUIRED_LONG_STRING": "[必填]",
              "ENVVAR_STRING": "[环境变量：{}]", "DEPRECATED_STRING": "（已停用）", "ABORTED_TEXT": "已取消"}


def _chinese_builtins(command: Any) -> None:
    """Typer's and click's built-in help texts in Chinese: the help panels' titles, the
    default/required marks, and the ``--help`` option's own line on every (sub)command."""
    for name, text in RICH_TEXTS.items():
        setattr(typer.rich_utils, name, text)
    stack = [command]
    while stack:
        cmd = stack.pop()
        option = cmd.get_help_option(typer.Context(cmd))  # cached on the command: parsing uses it
        if option is not None:
            option.help = HELP_OPTION_TEXT
        stack.extend(getattr(cmd, "commands", {}).values())


def cli_command() -> Any:  # Typer's own click command (Typer ships its click)
    """The whole ``zhida`` command tree, every package's commands registered, texts in Chinese."""
    _register_all()
    command = typer.main.get_command(app)
    _chinese_builtins(command)
    return command


def report_error(err: ZhidaError) -> int:
    """Print a domain error in Chinese on stderr; return the exit code."""
    err_console.print(f"[bold red]错误：[/]{err.message}", highlight=False)
    if isinstance(err, ValidationFailed):
        for e in err.errors[:200]:
            err_console.print("  " + e.message(), highlight=False, markup=False)
        if len(err.errors) > 200:
            err_console.print(f"  …… 另有 {len(err.errors) - 200} 处错误，请用 --errors-out 导出完整报告")
    return err.exit_code


def main(argv: list[str] | None = None) -> None:
    command = cli_command()
    try:
        # without standalone mode click *returns* the code of ``typer.Exit(n)`` instead of exiting:
        # a command that found a problem must still end the process with that code
        code = command(args=argv, standalone_mode=False)
    except ZhidaError as err:
        sys.exit(report_error(err))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("已取消")
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors: missing argument, bad option value …
        sys.exit(report_usage_error(exc))
    if isinstance(code, int) and code:
        sys.exit(code)


def report_usage_error(exc: Exception) -> int:
    """A usage mistake in Chinese, with where to find the right usage; exit code 2."""
    kind = type(exc).__name__
    hint = getattr(exc, "param_hint", None) or getattr(getattr(exc, "param", None), "name", None)
    option = getattr(exc, "option_name", None)
    detail = getattr(exc, "message", "") or ""
    if kind == "MissingParameter":
        text = f"缺少参数 {hint}" if hint else "缺少必需的参数"
    elif kind == "NoSuchOption":
        text = f"没有这个选项：{option}"
    elif kind == "BadParameter":
        text = f"参数 {hint} 的值不对：{detail}" if hint else f"参数的值不对：{detail}"
    elif kind == "NoArgsIsHelpError":
        return 0
    else:
        text = f"用法错误：{detail or exc}"
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "zhida"
    err_console.print(f"[bold red]错误：[/]{text}", highlight=False)
    err_console.print(f"运行 {path} --help 查看用法", highlight=False)
    return int(getattr(exc, "exit_code", 2) or 2)

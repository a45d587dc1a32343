"""Command line: ``zhida …``. Thin: it parses arguments, calls the domain, prints.

Each domain package that has commands exposes ``register(app)`` in its ``cli`` module;
they are collected here so the packages stay independent of each other.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import typer
import typer.rich_utils
from rich.console import Console
from rich.text import Text
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from typer._click import HelpFormatter  # Typer ships its own click: its formatter is named only there

from zhida import __version__
from zhida.errors import DB_RACE_HINTS, ValidationFailed, ZhidaError
from zhida.pydantic_text import EXPECTED, expected_of

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
USAGE_PREFIX = "用法："
RICH_TEXTS = {"OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令", "ARGUMENTS_PANEL_TITLE": "参数",
              "ERRORS_PANEL_TITLE": "错误", "DEFAULT_STRING": "[默认：{}]", "REQUIRED_LONG_STRING": "[必填]",
              "ENVVAR_STRING": "[环境变量：{}]", "DEPRECATED_STRING": "（已停用）", "ABORTED_TEXT": "已取消",
              "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看用法"}


class ChineseHelpFormatter(HelpFormatter):
    """Click's help formatter with the usage line headed 用法： instead of "Usage: "."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_PREFIX if prefix is None else prefix)


class ChineseContext(typer.Context):
    """The context every ``zhida`` command runs in: help and usage through ``ChineseHelpFormatter``."""

    formatter_class = ChineseHelpFormatter


def _chinese_builtins(command: Any) -> None:
    """Typer's and click's built-in help texts in Chinese: the help panels' titles, the
    default/required marks, the ``--help`` option's own line and the usage line on every
    (sub)command (through its ``context_class``, click's hook for that)."""
    for name, text in RICH_TEXTS.items():
        setattr(typer.rich_utils, name, text)
    stack = [command]
    while stack:
        cmd = stack.pop()
        cmd.context_class = ChineseContext
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


def report_database_error(exc: Exception) -> int:
    """What the database refused, in Chinese (as the web's 409/422/503): a change made at the
    same moment by someone else, a value it cannot hold, or the database out of reach. Exit
    code 1; nothing of the command's transaction was kept."""
    text = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, DataError):
        message = "数据库不接受输入中的某个值（如超出范围的数字或控制字符），本次操作未执行：请检查输入"
    elif isinstance(exc, (IntegrityError, StaleDataError)) or any(h in text for h in DB_RACE_HINTS):
        message = "数据刚被他人修改或数据库正忙，本次操作未执行，请稍后重试"
    elif "no such table" in text or ("relation" in text and "does not exist" in text):
        message = "数据库尚未建表或结构不是最新：请先运行 zhida db upgrade"
    else:
        message = f"数据库暂时不可用，本次操作未执行，请稍后重试（{str(getattr(exc, 'orig', exc)).strip()[:200]}）"
    err_console.print(f"[bold red]错误：[/]{message}", highlight=False)
    return 1


def main(argv: list[str] | None = None) -> None:
    command = cli_command()
    try:
        # without standalone mode click *returns* the code of ``typer.Exit(n)`` instead of exiting:
        # a command that found a problem must still end the process with that code
        code = command(args=argv, prog_name="zhida", standalone_mode=False)
    except ZhidaError as err:
        sys.exit(report_error(err))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("已取消")
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors: missing argument, bad option value …
        sys.exit(report_usage_error(exc))
    except (IntegrityError, OperationalError, StaleDataError, DataError) as exc:
        sys.exit(report_database_error(exc))
    if isinstance(code, int) and code:
        sys.exit(code)


# click's usage messages that carry no structured detail, by their English wording
USAGE_ERRORS = [
    (re.compile(r"No such command '(.*)'\.?"), "没有这个命令：{0}"),
    (re.compile(r"Missing command\.?"), "缺少命令"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)"), "多余的参数：{0}"),
    (re.compile(r"Option '(.*)' requires an argument\.?"), "选项 {0} 后缺少取值"),
    (re.compile(r"'(.*)' is not one of (.*?)\.?"), "「{0}」不是可选的值：应为 {1} 之一"),
]


def _param_hint(exc: Exception) -> str | None:
    """The parameter a usage error is about, as the user types it: ``--month``, ``CYCLE``."""
    param = getattr(exc, "param", None)
    if param is not None and hasattr(param, "get_error_hint"):
        return str(param.get_error_hint()).replace("'", "")
    hint = getattr(exc, "param_hint", None)
    return str(hint) if hint else None


def _chinese_detail(exc: Exception) -> tuple[bool, str]:
    """The detail of a usage error: (True, in Chinese) where its kind is known, else (False, click's words)."""
    cause = exc.__cause__
    if cause is not None and hasattr(cause, "errors"):  # a Pydantic ValidationError
        errors = cause.errors()
        if errors and errors[0].get("type") in EXPECTED:
            return True, expected_of(errors[0])
    detail = str(getattr(exc, "message", "") or exc).removeprefix("Value error, ")
    for pattern, text in USAGE_ERRORS:
        found = pattern.fullmatch(detail)
        if found:
            return True, text.format(*(g.replace("'", "") for g in found.groups()))
    return False, detail


def report_usage_error(exc: Exception) -> int:
    """A usage mistake in Chinese, with where to find the right usage; exit code 2."""
    kind = type(exc).__name__
    hint = _param_hint(exc)
    translated, detail = _chinese_detail(exc)
    if kind == "NoArgsIsHelpError":
        return 0
    if kind == "MissingParameter":
        text = f"缺少参数 {hint}" if hint else "缺少必需的参数"
    elif kind == "NoSuchOption":
        guesses = sorted(getattr(exc, "possibilities", None) or [])
        text = f"没有这个选项：{getattr(exc, 'option_name', '')}" + (f"（您是不是要写 {'、'.join(guesses)}）" if guesses else "")
    elif kind == "BadParameter":
        text = f"参数 {hint} 的值不对：{detail}" if hint else f"参数的值不对：{detail}"
    else:
        text = detail if translated else f"用法错误：{detail}"
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "zhida"
    err_console.print(Text.assemble(("错误：", "bold red"), text))
    err_console.print(f"运行 {path} --help 查看用法", highlight=False, markup=False)
    return int(getattr(exc, "exit_code", 2) or 2)

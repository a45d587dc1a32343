"""``zhida db …``: migrations."""

from __future__ import annotations

import typer

from zhida.cliutil import command_group
from zhida.config import get_settings


def db_upgrade() -> None:
    """按迁移脚本把数据库升级到最新结构。"""
    from zhida.db import migrate

    migrate()
    typer.echo(f"数据库已升级到最新结构：{get_settings().database_url}")


COMMANDS = (("upgrade", db_upgrade),)


def register(app: typer.Typer) -> None:
    """Add ``zhida db …``."""
    app.add_typer(command_group("数据库：迁移与状态", COMMANDS), name="db")

"""``zhida db …``: migrations."""

from __future__ import annotations

import typer

from zhida.config import get_settings


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="数据库：迁移与状态", no_args_is_help=True)

    @db.command("upgrade")
    def upgrade() -> None:
        """按迁移脚本把数据库升级到最新结构。"""
        from zhida.db import migrate

        migrate()
        typer.echo(f"数据库已升级到最新结构：{get_settings().database_url}")

    app.add_typer(db, name="db")

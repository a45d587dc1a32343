"""``zhida serve`` and ``zhida user add``: thin wrappers over the web app and the accounts."""

from __future__ import annotations

import typer

from zhida.roles import ROLE_LABELS, Role

user_app = typer.Typer(help="账号管理", no_args_is_help=True)
ROLE_HELP = "、".join(f"{r.value}={label}" for r, label in ROLE_LABELS.items())


def serve(host: str = typer.Option(None, "--host", help="监听地址（默认取配置 ZHIDA_HOST）"),
          port: int = typer.Option(None, "--port", help="端口（默认取配置 ZHIDA_PORT）"),
          workers: int = typer.Option(1, "--workers", min=1, help="工作进程数"),
          reload: bool = typer.Option(False, "--reload", help="开发时自动重载")) -> None:
    """启动 Web 管理后台、单位门户和 REST 接口。"""
    from zhida.config import get_settings
    from zhida.web.server import serve as run

    settings = get_settings()
    from zhida.db import engine_for, ensure_schema

    ensure_schema(engine_for(settings.database_url), settings.database_url, auto_migrate=False)  # never migrates
    from zhida.web.tasks import recover_interrupted

    recover_interrupted(engine_for(settings.database_url), settings.data_dir / "uploads")
    host, port = host or settings.host, port or settings.port
    typer.echo(f"直达 管理后台： http://{host}:{port}/    单位门户： http://{host}:{port}/portal/login")
    run(host, port, workers=workers, reload=reload)


def user_add(name: str = typer.Argument(..., help="用户名；单位账号为统一社会信用代码"),
             role: Role = typer.Option(..., "--role", help=ROLE_HELP),
             uscc: str = typer.Option(None, "--uscc", help="单位账号绑定的统一社会信用代码"),
             password: str = typer.Option(None, "--password", help="不给则交互输入"),
             display_name: str = typer.Option(None, "--display-name", help="显示名称")) -> None:
    """新增或重置一个账号（密码以 argon2 散列保存）。"""
    from zhida.db import get_engine, session_scope
    from zhida.web.accounts import AccountCreate, create_account

    if password is None:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    with session_scope(get_engine()) as session:
        account = create_account(session, AccountCreate(name, password, role, uscc, display_name))
        typer.echo(f"账号 {account.username}（{role.label}）已保存")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    user_app.command("add")(user_add)
    app.add_typer(user_app, name="user")

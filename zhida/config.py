"""Settings in one typed place.

Every setting is read from an environment variable prefixed ``ZHIDA_`` (or a ``.env``
file). Bad values are refused when the settings are loaded, not when first used.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-development-only"  # the old public default: refused everywhere now
SECRET_FILES = {"secret_key": "secret_key", "audit_key": "audit_key"}


def install_secret(data_dir: Path, name: str) -> str:
    """A random secret of this installation, made on first use as ``data_dir/name`` (mode 0600).

    Raises ``OSError`` when the file exists with a mode others can read.
    """
    path = Path(data_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".{name}.{secrets.token_hex(6)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # atomic: two first starts at once agree on one secret
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    if path.stat().st_mode & 0o077:
        raise OSError(f"密钥文件 {path} 的权限过宽（应为 0600，仅本用户可读写）")
    return path.read_text(encoding="ascii").strip()


def weak(secret: str) -> str | None:
    """Why ``secret`` is too weak for production, or None.

    >>> weak("x" * 40), weak("change-me-development-only") is not None, weak(secrets.token_urlsafe(32))
    ('只有 1 种字符', True, None)
    """
    if secret == DEFAULT_SECRET:
        return "是公开的开发用默认值"
    if len(secret) < 32:
        return f"只有 {len(secret)} 个字符（至少 32 个）"
    if len(set(secret)) < 10:
        return f"只有 {len(set(secret))} 种字符"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIDA_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./zhida.db"
    # signs session cookies; empty: a random per-install secret in data_dir/secret_key (0600)
    secret_key: str = ""
    # keys the audit chain's HMAC, separate from the cookie secret; empty: data_dir/audit_key (0600)
    audit_key: str = ""
    # where file-like outputs (outbox log, exports) go by default
    data_dir: Path = Path("./var")
    # import: files above this many rows show a progress bar
    progress_threshold: int = Field(default=10_000, ge=0)
    # import: limits of a file the reader accepts (env ZHIDA_IMPORT_MAX_…); past any of them the
    # file is refused in Chinese before it can take the memory of the process
    import_max_rows: int = Field(default=2_000_000, ge=10)
    import_max_columns: int = Field(default=500, ge=10)
    import_max_cell_chars: int = Field(default=32_767, ge=100)  # Excel's own cell limit
    import_max_unpacked_mb: int = Field(default=1_000, ge=1)  # XLSX parts, decompressed
    # memory (MB) of the subprocess that first reads a web upload; 0 disables the probe
    import_probe_memory_mb: int = Field(default=3_000, ge=0)
    # messaging (delivery issue): "file", "smtp" or "http"
    sender: Literal["file", "smtp", "http"] = "file"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_from: str = "zhida@localhost"
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""
    # delivery reminders (env ZHIDA_DELIVERY_…): the SMS signature, hotline and confirmation
    # address; the SMTP sender's e-mail-to-SMS domain; the HTTP gateway's timeout in seconds
    delivery_org_name: str = Field(default="区人力资源和社会保障局", min_length=2, max_length=40)
    delivery_hotline: str = Field(default="0635-12333", pattern=r"^[0-9][0-9-]{4,19}$")
    delivery_confirm_url: str = Field(default="http://127.0.0.1:8000/u", pattern=r"^https?://[^\s/]+\S*$",
                                      max_length=200)
    delivery_sms_email_domain: str = Field(default="sms.localhost",
                                           pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9-]+)*$")
    delivery_http_timeout: float = Field(default=10.0, gt=0, le=300)
    # administrative divisions: the deployment's own county (GB/T 2260 code) and an optional
    # extra divisions file (same columns as zhida/registry/data/regions.csv)
    region_county: str = Field(default="371503", pattern=r"^[1-8][0-9]{5}$")
    regions_file: Path | None = None
    # rules: a folder of policy files searched before the built-in ones
    policy_dir: str = ""
    # web
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        for name in ("secret_key", "audit_key"):
            value = getattr(self, name)
            if not value:
                continue  # generated per install
            if value == DEFAULT_SECRET:
                raise ValueError(f"ZHIDA_{name.upper()} 是公开的开发用默认值，不能使用：留空则首次启动时自动生成随机密钥")
            if self.environment != "development" and len(value) < 16:
                raise ValueError(f"ZHIDA_{name.upper()} 过短：至少 16 个字符")
            why = weak(value) if self.environment == "production" else None
            if why:
                raise ValueError(f"ZHIDA_{name.upper()} 强度不够（{why}），生产环境请留空自动生成，或设置随机密钥"
                                 " (python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        if self.secret_key and self.secret_key == self.audit_key:
            raise ValueError("ZHIDA_AUDIT_KEY 不能与 ZHIDA_SECRET_KEY 相同：审计密钥须与会话密钥分开")
        return self

    @property
    def cookie_secret(self) -> str:
        """The session-cookie secret: configured, else this installation's random one."""
        return self.secret_key or install_secret(self.data_dir, SECRET_FILES["secret_key"])

    @property
    def audit_secret(self) -> str:
        """The audit chain's HMAC key: configured, else this installation's random one."""
        return self.audit_key or install_secret(self.data_dir, SECRET_FILES["audit_key"])

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


# ZHIDA_ variables that are not settings of the product: the test and benchmark harness's own
NOT_SETTINGS = {"ZHIDA_TEST_PG_URL", "ZHIDA_BENCH_PG_URL", "ZHIDA_UPDATE_SCREENSHOTS", "ZHIDA_FAULT_SEED"}


def unknown_variables(environ: dict[str, str] | None = None) -> list[str]:
    """``ZHIDA_`` variables in the environment that name no setting (a typo would otherwise be
    silently ignored and the default used).

    >>> unknown_variables({"ZHIDA_DATABSE_URL": "x", "ZHIDA_PORT": "80", "PATH": "/bin"})
    ['ZHIDA_DATABSE_URL']
    """
    import os

    names: Iterable[str] = os.environ if environ is None else environ
    known = {"ZHIDA_" + name.upper() for name in Settings.model_fields} | NOT_SETTINGS
    return sorted(k for k in names if k.upper().startswith("ZHIDA_") and k.upper() not in known)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    from pydantic import ValidationError

    from zhida.errors import ConfigError

    unknown = unknown_variables()
    if unknown:
        import difflib

        names = ["ZHIDA_" + n.upper() for n in Settings.model_fields]
        hints = [f"{u}（是不是 {m[0]}？）" if (m := difflib.get_close_matches(u.upper(), names, 1)) else u
                 for u in unknown]
        raise ConfigError(f"配置有误：没有这些设置项 {'、'.join(hints)}；可用的设置见 zhida/config.py 与 README")
    try:
        return Settings()
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(map(str, e['loc'])) or '设置'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"配置有误：{problems}") from None

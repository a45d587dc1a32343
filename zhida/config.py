"""Settings in one typed place.

Every setting is read from an environment variable prefixed ``ZHIDA_`` (or a ``.env``
file). Bad values are refused when the settings are loaded, not when first used.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-development-only"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIDA_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./zhida.db"
    secret_key: str = DEFAULT_SECRET
    # where file-like outputs (outbox log, exports) go by default
    data_dir: Path = Path("./var")
    # import: files above this many rows show a progress bar
    progress_threshold: int = Field(default=10_000, ge=0)
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
    # rules: a folder of policy files searched before the built-in ones
    policy_dir: str = ""
    # web
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> "Settings":
        if self.environment != "development" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                f"ZHIDA_SECRET_KEY 仍是开发用默认值，{self.environment} 环境必须设置为随机密钥"
                " (e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        if self.environment != "development" and len(self.secret_key) < 16:
            raise ValueError("ZHIDA_SECRET_KEY 过短：生产环境至少 16 个字符")
        return self

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

    environ = os.environ if environ is None else environ
    known = {"ZHIDA_" + name.upper() for name in Settings.model_fields} | NOT_SETTINGS
    return sorted(k for k in environ if k.upper().startswith("ZHIDA_") and k.upper() not in known)


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

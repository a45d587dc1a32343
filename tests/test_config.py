"""Settings refuse bad values when loaded."""

import os
import stat

import pytest

from zhida.config import DEFAULT_SECRET, Settings, get_settings
from zhida.errors import ConfigError


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_in_development(monkeypatch):
    monkeypatch.delenv("ZHIDA_DATABASE_URL", raising=False)
    monkeypatch.delenv("ZHIDA_ENVIRONMENT", raising=False)
    s = get_settings()
    assert s.database_url == "sqlite:///./zhida.db" and s.secret_key == "" and s.is_sqlite


@pytest.mark.parametrize("environment", ["development", "production", "test"])
def test_public_default_secret_refused(monkeypatch, environment):
    """Issue 11: the old development default forged an admin cookie; it is refused everywhere."""
    monkeypatch.setenv("ZHIDA_ENVIRONMENT", environment)
    monkeypatch.setenv("ZHIDA_SECRET_KEY", DEFAULT_SECRET)
    with pytest.raises(ConfigError, match="公开的开发用默认值"):
        get_settings()


@pytest.mark.parametrize("environment", ["production", "test"])
def test_weak_secrets_refused(monkeypatch, environment):
    monkeypatch.setenv("ZHIDA_ENVIRONMENT", environment)
    monkeypatch.setenv("ZHIDA_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="过短"):
        get_settings()
    get_settings.cache_clear()
    monkeypatch.setenv("ZHIDA_SECRET_KEY", "x" * 32)  # long, but one character repeated
    if environment == "production":
        with pytest.raises(ConfigError, match="强度不够"):
            get_settings()
    else:
        assert get_settings().environment == environment
    get_settings.cache_clear()
    monkeypatch.setenv("ZHIDA_SECRET_KEY", "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY")
    monkeypatch.setenv("ZHIDA_AUDIT_KEY", "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY")
    with pytest.raises(ConfigError, match="不能与 ZHIDA_SECRET_KEY 相同"):
        get_settings()


def test_per_install_secrets_are_random_and_private(tmp_path):
    a = Settings(data_dir=tmp_path / "a", environment="production")
    b = Settings(data_dir=tmp_path / "b", environment="production")
    assert a.cookie_secret != b.cookie_secret and len(a.cookie_secret) >= 48
    assert a.cookie_secret == Settings(data_dir=tmp_path / "a").cookie_secret  # kept across starts
    assert a.audit_secret != a.cookie_secret
    for name in ("secret_key", "audit_key"):
        assert stat.S_IMODE(os.stat(tmp_path / "a" / name).st_mode) == 0o600
    os.chmod(tmp_path / "b" / "secret_key", 0o644)
    with pytest.raises(OSError, match="权限过宽"):
        _ = Settings(data_dir=tmp_path / "b").cookie_secret


def test_bad_port_refused(monkeypatch):
    monkeypatch.setenv("ZHIDA_PORT", "70000")
    with pytest.raises(ConfigError, match="port"):
        get_settings()


def test_unknown_zhida_variable_is_refused_naming_it(monkeypatch):
    from zhida.config import get_settings
    from zhida.errors import ConfigError

    monkeypatch.setenv("ZHIDA_DATABSE_URL", "sqlite:///x.db")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="ZHIDA_DATABSE_URL（是不是 ZHIDA_DATABASE_URL？）"):
            get_settings()
    finally:
        monkeypatch.delenv("ZHIDA_DATABSE_URL")
        get_settings.cache_clear()
    assert get_settings().database_url


def test_cli_reports_unknown_variable_in_chinese_with_exit_code():
    import os
    import subprocess
    import sys

    env = {**os.environ, "ZHIDA_SENDR": "smtp"}
    out = subprocess.run([sys.executable, "-m", "zhida", "calendar", "add", "2026-02-12", "1"], env=env,
                         capture_output=True, text=True)
    assert out.returncode != 0 and "ZHIDA_SENDR" in out.stderr and "Traceback" not in out.stderr

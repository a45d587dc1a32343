"""Settings refuse bad values when loaded."""

import pytest

from zhida.config import DEFAULT_SECRET, get_settings
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
    assert s.database_url == "sqlite:///./zhida.db" and s.secret_key == DEFAULT_SECRET and s.is_sqlite


@pytest.mark.parametrize("environment", ["production", "test"])
def test_default_secret_refused_outside_development(monkeypatch, environment):
    monkeypatch.setenv("ZHIDA_ENVIRONMENT", environment)
    monkeypatch.delenv("ZHIDA_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="ZHIDA_SECRET_KEY"):
        get_settings()
    monkeypatch.setenv("ZHIDA_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="过短"):
        get_settings()
    monkeypatch.setenv("ZHIDA_SECRET_KEY", "x" * 32)
    assert get_settings().environment == environment


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

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

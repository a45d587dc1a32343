"""Delivery settings are fields of the one ``Settings`` (env ``ZHIDA_DELIVERY_…``), validated on load."""

from __future__ import annotations

import datetime as dt

import pytest

from zhida.config import get_settings
from zhida.delivery.reminders import sms_text
from zhida.errors import ConfigError
from zhida.platform.senders import get_sender


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIDA_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_env_names_reach_sms_and_senders(env):
    env.setenv("ZHIDA_DELIVERY_ORG_NAME", "阳谷县人社局")
    env.setenv("ZHIDA_DELIVERY_HOTLINE", "0635-6212345")
    env.setenv("ZHIDA_DELIVERY_CONFIRM_URL", "https://zd.example.cn/u")
    env.setenv("ZHIDA_DELIVERY_SMS_EMAIL_DOMAIN", "sms.example.cn")
    env.setenv("ZHIDA_DELIVERY_HTTP_TIMEOUT", "2.5")
    env.setenv("ZHIDA_SMS_GATEWAY_URL", "http://127.0.0.1:9/sms")
    text = sms_text("某公司", "稳岗返还", 100, dt.date(2025, 7, 1), None)
    assert text.startswith("【阳谷县人社局】") and "https://zd.example.cn/u" in text and "0635-6212345" in text
    assert get_sender("smtp").sms_domain == "sms.example.cn" and get_sender("http").timeout == 2.5


def test_defaults(env):
    s = get_settings()
    assert (s.delivery_org_name, s.delivery_hotline, s.delivery_http_timeout) == ("区人力资源和社会保障局", "0635-12333", 10.0)


@pytest.mark.parametrize(("name", "value"), [
    ("ZHIDA_DELIVERY_HTTP_TIMEOUT", "0"), ("ZHIDA_DELIVERY_HTTP_TIMEOUT", "301"),
    ("ZHIDA_DELIVERY_CONFIRM_URL", "ftp://x/u"), ("ZHIDA_DELIVERY_CONFIRM_URL", "zd.example.cn"),
    ("ZHIDA_DELIVERY_HOTLINE", "12333 转 1"), ("ZHIDA_DELIVERY_ORG_NAME", "局"),
    ("ZHIDA_DELIVERY_SMS_EMAIL_DOMAIN", "sms example"),
])
def test_bad_values_are_refused_on_load(env, name, value):
    env.setenv(name, value)
    with pytest.raises(ConfigError, match=name.removeprefix("ZHIDA_").lower()):
        get_settings()


def test_edge_values_are_accepted(env):
    env.setenv("ZHIDA_DELIVERY_HTTP_TIMEOUT", "300")
    env.setenv("ZHIDA_DELIVERY_ORG_NAME", "人社")
    env.setenv("ZHIDA_DELIVERY_CONFIRM_URL", "http://10.0.0.1:8000/u")
    s = get_settings()
    assert s.delivery_http_timeout == 300 and s.delivery_org_name == "人社"

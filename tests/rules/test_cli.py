"""The ``zhida policy`` commands, run as a user runs them (a real process, a real database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.rules.dbdata import populate
from zhida.db import session_scope


def zhida(*args, env_url=None):
    env = {**os.environ}
    if env_url:
        env["ZHIDA_DATABASE_URL"] = env_url
    return subprocess.run([sys.executable, "-m", "zhida", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def codes(engine):
    with session_scope(engine) as s:
        return populate(s)


def test_run_json_stdout_is_only_json(db_url, codes):
    out = zhida("policy", "run", "wengang-fanhuan", "--period", "2025", "--as-of", "2025-06-30", "--format", "json",
                env_url=db_url)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    by = {d["uscc"]: d for d in data}
    assert by[codes["small"]]["amount"] == "96000.00" and by[codes["small"]]["status"] == "eligible"
    assert by[codes["listed"]]["amount"] == "0.00"
    assert {"code", "description", "passed", "values"} <= set(by[codes["small"]]["reasons"][0])


def test_run_summary_and_xlsx(db_url, codes, tmp_path):
    xlsx = tmp_path / "out.xlsx"
    out = zhida("policy", "run", "wengang-fanhuan", "--period", "2025", "--as-of", "2025-06-30", "--out", str(xlsx),
                env_url=db_url)
    assert out.returncode == 0, out.stderr
    assert "评估单位 7 个：符合 3 个" in out.stdout and "240,000.00" in out.stdout
    from openpyxl import load_workbook

    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码" and len(rows) == 8
    assert any(r[5] == "96000.00" for r in rows[1:])


def test_explain_and_simulate(db_url, codes):
    out = zhida("policy", "explain", "wengang-fanhuan", codes["layoff"], "--period", "2025", "--as-of", "2025-06-30",
                env_url=db_url)
    assert out.returncode == 0, out.stderr
    assert "约5.5%" not in out.stdout and "✘ 裁员率超过控制目标：裁员率" in out.stdout and "≤ 5.5%\n" in out.stdout
    assert "✔ 无失业保险欠费：" in out.stdout and "存在失业保险欠费" not in out.stdout
    sim = zhida("policy", "simulate", "wengang-fanhuan", "--period", "2025", "--as-of", "2025-06-30",
                "--set", "rate.sme=0.9", "--set", "rate.large=0.5", env_url=db_url)
    assert sim.returncode == 0, sim.stderr
    assert "结果变化的单位 3 个" in sim.stdout and "+128,000.00" in sim.stdout


def test_policy_test_command(db_url):
    out = zhida("policy", "test")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "失败 0 个" in out.stdout


def test_errors_are_chinese_with_exit_code(db_url, codes):
    out = zhida("policy", "simulate", "wengang-fanhuan", "--period", "2025", "--set", "rate.smee=0.9", env_url=db_url)
    assert out.returncode == 2 and "您是不是要写 rate.sme" in out.stderr
    out = zhida("policy", "simulate", "wengang-fanhuan", "--period", "2025", "--set", "rate.sme=90", env_url=db_url)
    err = "".join(out.stderr.split())  # the console wraps long lines
    assert out.returncode == 2 and "rate.sme" in err and "「90」超出允许范围0%–100%" in err
    out = zhida("policy", "run", "wengang-fanhuan", "--period", "2025", "--set", "layoff.method=D", env_url=db_url)
    assert out.returncode == 2 and "「D」不是允许的取值，应为A、B、C之一" in "".join(out.stderr.split())
    out = zhida("policy", "run", "wengang-fanhuan", "--period", "2025-13", env_url=db_url)
    assert out.returncode == 2 and "期间「2025-13」格式不对" in out.stderr

"""The delivery commands, through the root entry point (in process): JSON output, roles, Chinese errors.

``test_senders.test_outbox_cli_worker`` runs ``python -m zhida`` as a real subprocess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from zhida.cli import main
from zhida.db import session_scope

from .helpers import make_run, make_units


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def zhida(db_url, tmp_path, monkeypatch, capsys):
    from zhida.config import get_settings

    monkeypatch.setenv("ZHIDA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()

    def run(*args) -> Result:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def test_cycle_and_pay_commands(zhida, engine, tmp_path):
    with session_scope(engine) as s:
        run_id = make_run(s, make_units(s, 6))
    r = zhida("cycle", "create", "--run", str(run_id), "--actor", "li", "--role", "operator",
               "--format", "json")
    assert r.returncode == 0, r.stderr
    cid = json.loads(r.stdout)["id"]
    r = zhida("cycle", "advance", str(cid), "--actor", "li", "--role", "leader")
    assert r.returncode == 1 and "提交审核需要经办角色" in r.stderr
    r = zhida("cycle", "advance", str(cid), "--role", "nobody")
    assert r.returncode == 2 and "角色 'nobody' 不存在" in r.stderr
    steps = [("operator", ""), ("reviewer", "2025-06-03"), ("operator", "2025-06-11"), ("operator", "2025-06-26"),
             ("reviewer", "")]
    for role, date in steps:
        args = ["cycle", "advance", str(cid), "--role", role] + (["--date", date] if date else [])
        r = zhida(*args)
        assert r.returncode == 0, r.stderr
    assert "状态 发放中" in r.stdout
    r = zhida("pay", "export", str(cid), "--role", "operator", "--format", "json")
    assert r.returncode == 0, r.stderr
    batch = json.loads(r.stdout)["batches"][0]
    assert batch["rows"] >= 4 and batch["file_csv"].endswith(".csv")
    r = zhida("pay", "reconcile", str(cid), "--format", "json")
    rec = json.loads(r.stdout)
    assert r.returncode == 0 and rec["balanced"] is True
    r = zhida("report", "cycle", str(cid), "--out", str(tmp_path / "r.xlsx"))
    assert r.returncode == 0 and (tmp_path / "r.xlsx").exists() and "稳岗岗位" in r.stdout
    r = zhida("audit", "verify")
    assert r.returncode == 0 and "哈希链校验通过" in r.stdout
    r = zhida("cycle", "show", "999")
    assert r.returncode == 1 and "发放批次 999 不存在" in r.stderr

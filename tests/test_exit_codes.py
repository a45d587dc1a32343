"""Every command that finds a problem exits non-zero (issue 11), so a monitoring script notices.

Each command runs as a real process (``python -m zhida``) against a fresh database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from tests.delivery.flow import new_cycle
from zhida.db import session_scope
from zhida.delivery.models import Payment
from zhida.platform.models import AuditEntry

ROOT = Path(__file__).resolve().parents[1]


def zhida(*args: str, db_url: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZHIDA_DATABASE_URL": db_url, "ZHIDA_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "zhida", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def test_audit_verify_and_reconcile_exit_non_zero(db_url, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIDA_DATA_DIR", str(tmp_path))  # the same audit key as the processes
    from zhida.config import get_settings

    get_settings.cache_clear()
    cid, _ = new_cycle(engine, n=5, to="待发放")
    ok = zhida("audit", "verify", db_url=db_url, data_dir=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert zhida("pay", "reconcile", str(cid), db_url=db_url, data_dir=tmp_path).returncode == 0
    with session_scope(engine) as s:
        s.execute(update(Payment).where(Payment.cycle_id == cid).values(amount_fen=Payment.amount_fen + 1))
        s.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(actor="someone-else"))
    unbalanced = zhida("pay", "reconcile", str(cid), db_url=db_url, data_dir=tmp_path)
    assert unbalanced.returncode == 3 and "金额等于名单金额" in unbalanced.stdout
    broken = zhida("audit", "verify", db_url=db_url, data_dir=tmp_path)
    assert broken.returncode == 3 and "被改动" in broken.stdout


def test_policy_test_failure_exits_non_zero(db_url, tmp_path):
    source = (ROOT / "zhida/rules/policies/wengang-fanhuan.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "wengang-fanhuan.yaml").write_text(source.replace('amount: "96000.00"', 'amount: "96000.01"', 1),
                                                 encoding="utf-8")
    good = zhida("policy", "test", "wengang-fanhuan", db_url=db_url, data_dir=tmp_path)
    assert good.returncode == 0, good.stdout
    bad = zhida("policy", "test", "wengang-fanhuan", "--policy-dir", str(folder), db_url=db_url, data_dir=tmp_path)
    assert bad.returncode == 1 and "失败 1 个" in bad.stdout


def test_refused_import_exits_non_zero(db_url, tmp_path):
    bad = tmp_path / "单位.csv"
    bad.write_text("统一社会信用代码,单位名称\n91371523MA3C00011A,测试公司\n", encoding="utf-8")
    r = zhida("import", "enterprises", str(bad), db_url=db_url, data_dir=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_database_refusal_is_said_in_chinese_with_exit_code_1(engine, capsys):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from zhida.cli import report_database_error
    from zhida.loans.models import LoanBank

    with session_scope(engine) as s:
        s.add(LoanBank(code="NSYH", name="农商银行"))
    with pytest.raises(IntegrityError) as taken, session_scope(engine) as s:  # the key taken a moment earlier
        s.add(LoanBank(code="NSYH", name="农商银行"))
    assert report_database_error(taken.value) == 1
    assert "数据刚被他人修改或数据库正忙，本次操作未执行" in capsys.readouterr().err

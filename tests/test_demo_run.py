"""`zhida demo run` (what `make demo` runs) goes through every step on a fresh SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys


def test_demo_run_end_to_end(tmp_path):
    env = {**os.environ, "ZHIDA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "COLUMNS": "200"}
    out = subprocess.run([sys.executable, "-m", "zhida", "demo", "run", "--units", "400", "--out", str(tmp_path / "d"),
                          "--no-serve"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    text = out.stdout
    for expected in ("导入成功：enterprises.xlsx 共 400 行；新增 400",
                     "失业保险稳岗返还", "阳谷县稳发展专项资金奖励",
                     "状态 已完成", "对账：应发、导出、成功、失败分毫不差",
                     "进出口总值146.4亿元", "增长面为87.5%",
                     "admin-demo-2025", "发布岗位 12 个，登记求职者 24 人", "2025年全年发放创业担保贷款"):
        assert expected in text, f"missing from the demo output: {expected}"

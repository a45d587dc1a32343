"""The import and unit commands as a clerk runs them (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from openpyxl import load_workbook

from tests.imports.helpers import ENT_HEADERS, code, ent_row, write_csv, write_xlsx


def zhida(*args: str, db_url: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZHIDA_DATABASE_URL": db_url, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "zhida", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_import_refused_exits_2_with_chinese_row_errors(db_url, tmp_path):
    f = write_csv(tmp_path / "单位.csv", ENT_HEADERS, [ent_row(1), ent_row(2, 从业人员="五十", 对公账号="12")], "gbk")
    out = zhida("import", "enterprises", str(f), "--errors-out", str(tmp_path / "err.xlsx"), db_url=db_url, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "第 3 行" in out.stderr and "从业人员" in out.stderr and "五十" in out.stderr
    assert "对公账号" in out.stderr and "8–30 位数字" in out.stderr
    assert "未写入任何数据" in out.stderr
    assert load_workbook(tmp_path / "err.xlsx").active.max_row == 3
    ok = write_csv(tmp_path / "单位.csv", ENT_HEADERS, [ent_row(1), ent_row(2)], "gbk")
    out = zhida("import", "enterprises", str(ok), db_url=db_url, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "新增 2，更新 0，未变 0" in out.stdout
    out = zhida("unit", "show", code(2).lower(), "--format", "json", db_url=db_url, cwd=tmp_path)
    data = json.loads(out.stdout)
    assert data["uscc"] == code(2) and data["size_class"] == "小型" and data["size_source"] == "computed"
    assert {"uscc", "name", "unit_type", "industry_code", "size_class", "size_source"} <= data.keys()
    assert data["phone_masked"] == "138****8000"


def test_unknown_unit_and_kind(db_url, tmp_path):
    out = zhida("unit", "show", code(5), db_url=db_url, cwd=tmp_path)
    assert out.returncode == 1 and f"统一社会信用代码为 {code(5)} 的单位不存在" in out.stderr
    out = zhida("import", "template", "nonsense", db_url=db_url, cwd=tmp_path)
    assert out.returncode == 1 and "未知的导入类型" in out.stderr


def test_template_round_trip(db_url, tmp_path):
    out = zhida("import", "template", "enterprises", "--out", str(tmp_path / "t.xlsx"), db_url=db_url, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    wb = load_workbook(tmp_path / "t.xlsx")
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[0]) == ENT_HEADERS
    assert rows[1][0].startswith("说明：必填")
    # a clerk fills the template under its notes row and imports it as it is
    ws = wb.active
    ws.append(ent_row(7))
    wb.save(tmp_path / "t.xlsx")
    out = zhida("import", "enterprises", str(tmp_path / "t.xlsx"), db_url=db_url, cwd=tmp_path)
    assert out.returncode == 0 and "新增 1" in out.stdout, out.stderr


def test_dry_run_and_help(db_url, tmp_path):
    f = write_xlsx(tmp_path / "e.xlsx", ENT_HEADERS, [ent_row(1)])
    out = zhida("import", "enterprises", str(f), "--dry-run", db_url=db_url, cwd=tmp_path)
    assert out.returncode == 0 and "试运行" in out.stdout
    out = zhida("unit", "show", code(1), db_url=db_url, cwd=tmp_path)
    assert out.returncode == 1
    out = zhida("--help", db_url=db_url, cwd=tmp_path)
    for command in ("import", "unit", "demo", "db"):
        assert command in out.stdout
    assert zhida("--version", db_url=db_url, cwd=tmp_path).stdout.startswith("zhida ")


def test_usage_mistakes_are_explained_in_chinese(db_url, tmp_path):
    out = zhida("unit", "show", db_url=db_url, cwd=tmp_path)
    assert out.returncode == 2 and "缺少参数" in out.stderr and "Traceback" not in out.stderr
    out = zhida("import", "enterprises", "x.csv", "--bogus", db_url=db_url, cwd=tmp_path)
    assert out.returncode == 2 and "没有这个选项" in out.stderr and "--help" in out.stderr

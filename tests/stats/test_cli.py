"""``zhida stats …`` end to end through the real CLI entry point, and the migration branch."""

import json

from openpyxl import load_workbook
from sqlalchemy import inspect

from zhida.cli import main
from zhida.db import make_engine, migrate
from zhida.stats.compute import JSON_KEYS


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_compute_bulletin_targets_via_cli(db_url, capsys, tmp_path):
    assert run(capsys, "stats", "load-demo")[0] == 0
    code, out, err = run(capsys, "stats", "compute", "--indicator", "进出口总值", "--region", "聊城市",
                         "--period", "2026-01~02", "--dimension", "流向", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [tuple(r) for r in rows] == [JSON_KEYS] * 3
    assert rows[1]["member"] == "进口" and rows[1]["share_pct"] == 52.8
    assert "增长面：2 个维度值中 2 个增长，增长面 100.0%" in err
    code, out, _ = run(capsys, "stats", "bulletin", "industry", "--region", "聊城市", "--period", "2026-01~02")
    assert code == 0 and "拉动规上工业增长4.3个百分点" in out
    xlsx = tmp_path / "out.xlsx"
    code, _, _ = run(capsys, "stats", "compute", "--indicator", "规上工业增加值", "--region", "聊城市",
                     "--period", "2026-01~02", "--dimension", "行业", "--format", "xlsx", "--out", str(xlsx))
    ws = load_workbook(xlsx).active
    assert code == 0 and ws["E3"].value == "装备制造业" and ws["L3"].value == 4.3
    code, out, _ = run(capsys, "stats", "targets", "--region", "聊城经开区", "--year", "2026", "--as-of", "2026-03-01",
                       "--format", "json")
    assert code == 0 and {r["indicator"]: r["on_track"] for r in json.loads(out)} == {
        "新增高新技术企业": False, "过亿元招商项目": True}


def test_bad_input_exits_with_chinese_message(db_url, capsys):
    code, _, err = run(capsys, "stats", "compute", "--indicator", "进出口总值", "--region", "聊城市", "--period", "2026-13")
    assert code == 2 and "期间 \"2026-13\" 格式不对" in err
    code, _, err = run(capsys, "stats", "compute", "--indicator", "进出口总值", "--region", "聊城市", "--period", "2026")
    assert code == 1 and "没有数据" in err
    code, _, err = run(capsys, "stats", "targets", "--region", "聊城市", "--year", "2026", "--as-of", "3月1日")
    assert code == 2 and "截至日期" in err
    code, _, err = run(capsys, "stats", "target-set", "--indicator", "平台注册企业", "--region", "聊城市",
                       "--year", "2026", "--target", "1000", "--unit", "家", "--mode", "存量")
    assert code == 2 and "累计方式「存量」不对" in err


def test_target_set_with_mode_via_cli(db_url, capsys):
    assert run(capsys, "stats", "load-demo")[0] == 0
    code, out, _ = run(capsys, "stats", "target-set", "--indicator", "智能工厂", "--region", "聊城市",
                       "--year", "2026", "--target", "50", "--unit", "个", "--mode", "时点")
    assert code == 0
    code, out, _ = run(capsys, "stats", "targets", "--region", "聊城市", "--year", "2026", "--as-of", "2026-03-01",
                       "--format", "json")
    modes = {r["indicator"]: r["mode"] for r in json.loads(out)}
    assert code == 0 and modes == {"规上工业企业数字化转型覆盖率": "时点", "智能工厂": "时点", "平台注册企业": "时点"}


def test_migration_creates_the_stats_tables(empty_db_url):
    migrate(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        names = set(inspect(engine).get_table_names())
        assert {"indicator_values", "indicator_targets"} <= names
        pk = inspect(engine).get_pk_constraint("indicator_values")["constrained_columns"]
        assert pk == ["indicator", "region", "period", "dimension", "member"]
    finally:
        engine.dispose()

"""``zhida approvals …`` through the real entry point; the calculator needs no database."""

from __future__ import annotations

import json

from zhida.cli import main


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_deadline_calculator_text_and_json(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIDA_DATABASE_URL", f"sqlite:///{tmp_path}/absent/none.db")
    code, out, _ = run(capsys, "approvals", "deadline", "--accepted", "2026-02-12", "--days", "20",
                       "--pause", "2026-03-02..2026-03-06")
    assert code == 0 and "办结期限 2026-03-25" in out and "中止计时 5 个工作日不计" in out
    code, out, _ = run(capsys, "approvals", "deadline", "--accepted", "2026-04-30", "--days", "4", "--format", "json")
    r = json.loads(out)
    assert code == 0 and (r["deadline"], r["working_days_counted"]) == ("2026-05-09", 4)
    assert not (tmp_path / "absent").exists()


def test_deadline_calculator_refusals(capsys):
    code, _, err = run(capsys, "approvals", "deadline", "--accepted", "2026-12-20", "--days", "20")
    assert code == 1 and "2027 年的节假日安排尚未载入" in err.replace("\n", "")
    code, _, err = run(capsys, "approvals", "deadline", "--accepted", "2026-02-12", "--days", "20",
                       "--pause", "2026-03-06..2026-03-02")
    assert code == 2 and "结束日期早于开始日期" in err
    code, _, err = run(capsys, "approvals", "deadline", "--accepted", "2026-02-12", "--days", "20",
                       "--pause", "2026-03-02..2026-03-06", "--pause", "2026-03-05..2026-03-09")
    assert code == 2 and "重叠" in err.replace("\n", "")
    code, _, err = run(capsys, "approvals", "deadline", "--accepted", "2026-02-12", "--days", "20", "--pause", "3月2日")
    assert code == 2 and "开始..结束" in err


def test_seed_matters_and_dashboard(db_url, capsys, tmp_path):
    assert run(capsys, "approvals", "seed")[0] == 0
    code, out, _ = run(capsys, "approvals", "matters", "--format", "json")
    assert code == 0 and {m["code"]: m["promised_days"] for m in json.loads(out)}["LD-LS"] == 15
    code, out, _ = run(capsys, "approvals", "dashboard", "--year", "2026", "--out", str(tmp_path / "d.xlsx"))
    assert code == 0 and "暂无办结的审批办件" in out and (tmp_path / "d.xlsx").exists()
    code, out, _ = run(capsys, "approvals", "daily", "--as-of", "2026-03-02")
    assert code == 0 and "办理中 0 件" in out


def test_deadline_calculator_uses_a_loaded_year_with_use_db(db_url, capsys, tmp_path):
    schedule = tmp_path / "2027.yaml"
    schedule.write_text("year: 2027\nsource: 测试安排\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\n",
                        encoding="utf-8")
    assert run(capsys, "calendar", "load", str(schedule))[0] == 0
    code, _, err = run(capsys, "approvals", "deadline", "--accepted", "2026-12-30", "--days", "3")
    assert code == 1 and "2027" in err
    code, out, _ = run(capsys, "approvals", "deadline", "--accepted", "2026-12-30", "--days", "3", "--use-db",
                       "--format", "json")
    assert code == 0 and json.loads(out)["deadline"] == "2027-01-05"   # 12-31, (1/1–1/3 off), 1/4, 1/5

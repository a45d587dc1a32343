"""The loans commands through the root entry point: the schedule calculator needs no database;
the others act with the given role and refuse bad input in Chinese."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from tests.loans.conftest import D, credit, id_of, make_loan, seed
from zhida.cli import main

SCHEDULE = ["loans", "schedule", "--principal", "200000", "--rate", "3.5%", "--lpr", "3.0%", "--start", "2026-01-01",
            "--months", "36"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(capsys, *args) -> Result:
    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return Result(code, out, err)


def test_schedule_json_without_a_database(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIDA_DATABASE_URL", f"sqlite:///{tmp_path / 'absent' / 'none.db'}")
    r = run(capsys, *SCHEDULE, "--repayment", "interest-quarterly", "--formula", "lpr-150bp", "--day-count", "act/360",
            "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    first = data["periods"][0]
    assert (first["start"], first["end"], first["days"], first["interest"], first["borrower"], first["subsidy"]) == \
        ("2026-01-01", "2026-04-01", 90, "1750.00", "750.00", "1000.00")
    assert len(data["periods"]) == 12 and data["totals"]["principal"] == "200000.00"
    total = sum(int(p["subsidy"].replace(".", "")) for p in data["periods"])
    assert data["totals"]["subsidy"] == f"{total / 100:.2f}"
    assert not (tmp_path / "absent").exists()


@pytest.mark.parametrize("option,value,message", [("--rate", "abc", "利率"), ("--day-count", "act/999", "计息基准"),
                                                  ("--repayment", "bullet", "还款方式"), ("--start", "2026-02-30", "放款日")])
def test_schedule_refuses_bad_input_in_chinese(capsys, option, value, message):
    args = list(SCHEDULE)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    r = run(capsys, *args)
    assert r.returncode != 0 and message in r.stderr and "Traceback" not in r.stderr


def test_equal_instalments_and_half_rate_text(capsys):
    r = run(capsys, *SCHEDULE, "--repayment", "equal-instalments", "--formula", "half-rate", "--day-count", "30/360")
    assert r.returncode == 0 and "等额本息" in r.stdout and "贴息实际利率的 50%" in r.stdout and r.stdout.count("\n") > 36


def test_apply_advance_show_and_roles(capsys, engine, db_url):
    seed(engine)
    r = run(capsys, "loans", "apply", "--name", "王小明", "--id-number", id_of("19900501"), "--phone", "13800138000",
            "--group", "退役军人", "--bank", "NSYH", "--amount", "200000", "--rate", "3.85%", "--project", "烧饼店",
            "--on", "2026-01-05", "--role", "operator", "--actor", "clerk", "--format", "json")
    assert r.returncode == 0, r.stderr
    number = json.loads(r.stdout)["number"]
    r = run(capsys, "loans", "advance", number, "待担保审核", "--role", "operator")
    assert r.returncode != 0 and "征信" in r.stderr
    credit(engine, id_of("19900501"))
    r = run(capsys, "loans", "advance", number, "待担保审核", "--role", "loan_bank", "--actor", "nsyh")
    assert r.returncode != 0 and "需要经办角色" in r.stderr
    assert run(capsys, "loans", "advance", number, "待担保审核", "--role", "operator").returncode == 0
    r = run(capsys, "loans", "explain", number)
    assert "结论：符合" in r.stdout
    r = run(capsys, "loans", "apply", "--name", "李四", "--id-number", "371523199005010010", "--phone", "13800138000",
            "--group", "退役军人", "--bank", "NSYH", "--amount", "1", "--rate", "3.85%", "--project", "x", "--role", "operator")
    assert r.returncode != 0 and "身份证号" in r.stderr


def test_fund_and_report_commands(capsys, engine, db_url):
    seed(engine)
    make_loan(engine, start=D(2025, 7, 20))
    r = run(capsys, "loans", "fund", "inject", "1000000", "--ref", "ZJ-1", "--on", "2025-01-02", "--role", "leader")
    assert r.returncode == 0, r.stderr
    assert "放大倍数 0.20 倍" in run(capsys, "loans", "fund", "status", "--on", "2025-12-31").stdout
    r = run(capsys, "loans", "report", "2025")
    assert "2025年全年发放创业担保贷款20.00万元，帮助1个创业项目，带动就业3人" in r.stdout

"""Imports of the offices' ledgers and ``zhida projects …`` end to end through the CLI."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.projects.conftest import USCC
from zhida.cli import main
from zhida.db import session_scope
from zhida.errors import ImportRefused
from zhida.imports.engine import run_import
from zhida.projects.models import Project, ProjectReport, ProjectReportRevision
from zhida.registry.models import Unit

PROJECTS = f"""项目编号,项目名称,统一社会信用代码,建设单位,乡镇园区,项目类别,项目级别,项目类型,计划年度,总投资(万元),年度计划投资(万元),专班,帮包领导
JK-001,风光储一体化项目,{USCC},,经开区,续建,省重点,能源,2026,"5,000",647.4,新能源专班,张区长
JK-002,=HYPERLINK("x"),,某轴承公司,蒋官屯街道,新开工,区重点,一般,2026,800,100,新能源专班,李主任
"""
REPORTS = """项目编号,月份,本年完成投资(万元),累计完成投资(万元),形象进度(%),形象进度说明,报送日期
JK-001,2026-10,629.0,1800,60,主体完工,2026-11-04
JK-002,2026年10月,50,300,30,基础施工,2026-11-06
"""


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_ledger(engine, tmp_path, capsys):
    """Import the ledger above (a task force, its projects and their reports) into ``engine``."""
    with session_scope(engine) as s:
        s.add(Unit(uscc=USCC, name="聊城新能源装备有限公司", unit_type="企业"))
    assert run(capsys, "projects", "taskforce", "新能源专班", "--head", "王主任", "--member", "tf1")[0] == 0
    run_import("projects", write(tmp_path, "p.csv", PROJECTS), engine=engine)
    run_import("project-reports", write(tmp_path, "r.csv", REPORTS), engine=engine)
    return engine


@pytest.fixture
def imported(db_url, engine, tmp_path, capsys):
    return import_ledger(engine, tmp_path, capsys)


def test_imports_fill_the_ledger(imported):
    with session_scope(imported) as s:
        a = s.scalar(select(Project).where(Project.code == "JK-001"))
        assert (a.enterprise, a.total_fen, a.year_plan_fen, a.ptype) == ("聊城新能源装备有限公司", 5_000_000_000,
                                                                         647_400_000, "能源")
        late = dict(s.execute(select(ProjectReport.project_code, ProjectReport.late)).all())
        assert late == {"JK-001": False, "JK-002": True}


def test_a_second_import_of_a_month_is_a_correction_with_history(imported, tmp_path):
    fixed = REPORTS.replace("JK-002,2026年10月,50,300", "JK-002,2026-10,55,300")
    result = run_import("project-reports", write(tmp_path, "r2.csv", fixed), engine=imported)
    assert (result.updated, result.unchanged) == (1, 1)
    with session_scope(imported) as s:
        r = s.scalar(select(ProjectReport).where(ProjectReport.project_code == "JK-002"))
        assert (r.year_done_fen, r.revision) == (55_000_000, 2)
        old = s.scalars(select(ProjectReportRevision.snapshot)).all()
        assert [json.loads(o)["year_done_fen"] for o in old] == [50_000_000]


@pytest.mark.parametrize("kind, text, message", [
    ("project-reports", "项目编号,月份,本年完成投资(万元),累计完成投资(万元),形象进度(%),形象进度说明\n"
                        "JK-002,2026-09,10,800.01,10,施工\n", "累计完成投资不能大于总投资 800 万元"),
    ("project-reports", "项目编号,月份,本年完成投资(万元),累计完成投资(万元),形象进度(%),形象进度说明\n"
                        "JK-002,2099-01,10,20,10,施工\n", "不能报送未来月份的月报"),
    ("project-fields", "项目编号,字段,数值\nJK-002,风电装机容量(MW),10\n", "只适用于 能源 类项目"),
    ("project-fields", "项目编号,字段,数值\nJK-001,年发电量(kWh),1.5\n", "最多 0 位小数"),
    ("projects", PROJECTS.replace(",800,100,", ",80,100,"), "年度计划投资不能大于总投资"),
])
def test_bad_rows_are_refused_naming_row_and_rule(imported, tmp_path, kind, text, message):
    with pytest.raises(ImportRefused) as info:
        run_import(kind, write(tmp_path, "bad.csv", text), engine=imported)
    assert any(message in e.message() and "第 " in e.message() for e in info.value.errors), info.value.errors


def test_project_fields_import(imported, tmp_path):
    run_import("project-fields", write(tmp_path, "f.csv", "项目编号,字段,数值\nJK-001,风电装机容量(MW),100.5\n"
                                                          "JK-001,solar_mw,50\n"), engine=imported)
    with session_scope(imported) as s:
        from zhida.projects.ledger import field_values

        assert {k: str(v) for k, v in field_values(s, "JK-001").items()} == {"wind_mw": "100.500000",
                                                                             "solar_mw": "50.000000"}


def test_report_json_bulletin_export_via_cli(imported, capsys, tmp_path):
    code, out, err = run(capsys, "projects", "report", "--month", "2026-10", "--format", "json")
    data = json.loads(out)
    assert code == 0, err
    assert [(p["code"], p["completion_pct"], p["schedule_pct"], p["ahead_pp"]) for p in data["projects"]] == \
        [("JK-001", "97.2", "83.3", "13.8"), ("JK-002", "50.0", "83.3", "-33.3")]
    code, out, _ = run(capsys, "projects", "bulletin", "--month", "2026-10", "--today", "2026-11-10")
    assert code == 0 and "完成年度计划的90.8%，快于时间进度（83.3%）7.5个百分点" in out  # 679/747.4 = 90.848…
    xlsx = tmp_path / "ledger.xlsx"
    assert run(capsys, "projects", "export", "--month", "2026-10", "--out", str(xlsx))[0] == 0
    ws = load_workbook(xlsx).active
    assert ws["A1"].value == "重点项目推进情况台账（2026年10月）"
    assert (ws["C4"].value, ws["N3"].value, ws["P3"].value) == ("'=HYPERLINK(\"x\")", 97.2, 13.8)
    code, _, err = run(capsys, "projects", "report", "--month", "2026-13")
    assert code == 2 and "月份「2026-13」格式不对" in err


def test_targets_via_cli_yi_shang_is_at_least(imported, capsys):
    assert run(capsys, "projects", "target", "2026", "过亿元项目", "1")[0] == 0
    assert run(capsys, "projects", "target", "2026", "完成投资", "0.1")[0] == 0
    assert run(capsys, "projects", "target", "2026", "新增高新技术企业", "20", "--actual", "19")[0] == 0
    code, out, _ = run(capsys, "projects", "targets", "--month", "2026-10", "--format", "json")
    got = {t["indicator"]: (t["actual"], t["met"], t["completion_pct"]) for t in json.loads(out)}
    # one project of 5,000万 ≥ 1亿? no: 0.5亿 — so 0 of 1; 完成投资 679万 = 0.0679亿 of 0.1 → 67.9%
    assert got == {"过亿元项目": ("0", False, "0.0"), "完成投资": ("0.07", False, "67.9"),
                   "新增高新技术企业": ("19", False, "95.0")}
    code, _, err = run(capsys, "projects", "target", "2026", "过亿元项目", "1", "--actual", "3")
    assert code == 2 and "由台账数据计算" in err

"""Guards of 重点项目 against what a careless or hostile caller sends: concurrent corrections,
report dates, project rows that would contradict what is stored, a future bulletin, a negative
slow threshold, and a 403 that names nothing of the project. Each refusal leaves the data as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.projects.conftest import OCT, OPERATOR, TF2, TODAY, report
from tests.projects.test_api_writes import message, poster
from tests.projects.test_imports_cli import PROJECTS, REPORTS, import_ledger, run, write
from tests.web.conftest import login
from zhida.db import session_scope
from zhida.errors import Conflict, ImportRefused, PermissionDenied, ValidationFailed
from zhida.imports.engine import run_import
from zhida.platform import audit
from zhida.projects.access import require_see
from zhida.projects.bulletin import monthly_bulletin
from zhida.projects.ledger import field_values
from zhida.projects.models import Project, ProjectReport
from zhida.projects.progress import month_progress
from zhida.projects.reports import correct_report, find_report, revisions

STALE = "的月报已被他人更正，请刷新后重试"


@pytest.fixture
def imported(db_url, engine, tmp_path, capsys):
    """The ledger of ``test_imports_cli`` by import: JK-001 (能源, 5,000万; October: 1,800万 since
    the start, reported 2026-11-04, on time) and JK-002 (October reported 2026-11-06, late)."""
    return import_ledger(engine, tmp_path, capsys)


def stored_report(engine, project_id: int) -> tuple[int, int, int]:
    """(本年完成投资, revision, revisions kept) of the October report."""
    with session_scope(engine) as s:
        r = find_report(s, project_id, OCT)
        return r.year_done_fen, r.revision, len(revisions(s, r.id))


# ---------------------------------------------------------------- 1. corrections: compare-and-set

def test_of_two_corrections_read_at_the_same_revision_exactly_one_wins(ledger_world):
    engine, b = ledger_world.engine, ledger_world.b
    with session_scope(engine) as late:
        project = late.get(Project, b)
        seen = find_report(late, b, OCT)  # read (revision 1) before the other correction commits
        with session_scope(engine) as first:
            correct_report(first, TF2, first.get(Project, b), report(OCT, "55", "305"), TODAY, "漏报设备款")
        with pytest.raises(Conflict) as err:
            correct_report(late, TF2, project, report(OCT, "60", "310"), TODAY, "统计口径更正")
        assert "项目「高端轴承产业园」2026年10月" + STALE in err.value.message and seen.revision == 1
        late.rollback()
    assert stored_report(engine, b) == (55_000_000, 2, 1)
    with session_scope(engine) as s:
        actions = [e.action for e in audit.entries(s, entity="project_report")]
        assert actions.count("更正项目月报") == 1


def test_a_correction_made_from_an_old_revision_is_refused(ledger_world):
    engine, b = ledger_world.engine, ledger_world.b
    with session_scope(engine) as s:
        project = s.get(Project, b)
        assert correct_report(s, TF2, project, report(OCT, "55", "305"), TODAY, "漏报设备款", revision=1).revision == 2
        with pytest.raises(Conflict, match=STALE):
            correct_report(s, TF2, project, report(OCT, "60", "310"), TODAY, "统计口径更正", revision=1)
    assert stored_report(engine, b) == (55_000_000, 2, 1)


def test_a_stale_correction_through_the_api_is_409(site, client):
    post = poster(client, login(client, "tf2"))
    url = f"/api/v1/projects/{site.b}/reports"
    body = {"month": "2026-10", "year_done_fen": 55_000_000, "total_done_fen": 305_000_000, "progress_pct": 50,
            "progress_text": "主体施工", "reason": "漏报设备款", "revision": 1}
    first = post(url, json=body)
    assert first.status_code == 200 and first.json()["revision"] == 2, first.text
    second = post(url, json=body | {"year_done_fen": 60_000_000, "reason": "统计口径更正"})
    assert second.status_code == 409 and STALE in message(second), second.text
    assert stored_report(site.engine, site.b) == (55_000_000, 2, 1)


# ---------------------------------------------------------------- 2. a correction keeps the first date

def stored_dates(engine) -> dict[str, tuple[dt.date, bool, int]]:
    with session_scope(engine) as s:
        rows = s.scalars(select(ProjectReport)).all()
        return {r.project_code: (r.reported_on, r.late, r.revision) for r in rows}


def test_an_imported_correction_keeps_the_first_date_and_its_lateness(imported, tmp_path):
    assert stored_dates(imported) == {"JK-001": (dt.date(2026, 11, 4), False, 1),
                                      "JK-002": (dt.date(2026, 11, 6), True, 1)}
    fixed = (REPORTS.replace("629.0,1800,60,主体完工,2026-11-04", "630.0,1801,60,主体完工,2026-11-20")
             .replace("50,300,30,基础施工,2026-11-06", "55,300,30,基础施工,2026-11-01"))
    run_import("project-reports", write(tmp_path, "fixed.csv", fixed), engine=imported)
    assert stored_dates(imported) == {"JK-001": (dt.date(2026, 11, 4), False, 2),  # on time stays on time
                                      "JK-002": (dt.date(2026, 11, 6), True, 2)}  # late stays late


# ---------------------------------------------------------------- 3. 报送日期 within the month and today

@pytest.mark.parametrize("reported_on", ["2026-09-30", "2099-01-01"])
def test_a_report_date_outside_the_month_and_today_is_refused(imported, tmp_path, reported_on):
    bad = REPORTS.replace("2026-11-06", reported_on)
    with pytest.raises(ImportRefused) as info:
        run_import("project-reports", write(tmp_path, "bad.csv", bad), engine=imported)
    [e] = info.value.errors
    assert (e.file, e.row, e.column, e.value) == ("bad.csv", 3, "报送日期", reported_on)
    assert f"报送日期 {reported_on} 不在允许范围内：2026年10月月报的报送日期应在 2026-10-01 至 {dt.date.today()}" \
        in e.expected
    assert stored_dates(imported)["JK-002"] == (dt.date(2026, 11, 6), True, 1)  # nothing written


# ---------------------------------------------------------------- 4. project rows against what is stored

def ledger_of(engine) -> dict[str, tuple[int, str]]:
    with session_scope(engine) as s:
        return {p.code: (p.total_fen, p.ptype) for p in s.scalars(select(Project))}


def test_a_total_below_the_reported_investment_is_refused(imported, tmp_path):
    before = ledger_of(imported)
    with pytest.raises(ImportRefused) as info:
        run_import("projects", write(tmp_path, "p.csv", PROJECTS.replace('"5,000"', "1799.99")), engine=imported)
    [e] = info.value.errors
    assert (e.row, e.column, e.value) == (2, "总投资(万元)", "1799.99")
    assert "总投资不能低于该项目已报送的累计完成投资 1800 万元：请核实总投资，或先更正月报" in e.expected
    assert ledger_of(imported) == before
    run_import("projects", write(tmp_path, "p.csv", PROJECTS.replace('"5,000"', "1800")), engine=imported)
    assert ledger_of(imported)["JK-001"] == (1_800_000_000, "能源")  # equal to what was reported is fine


def test_a_type_change_that_drops_filled_fields_is_refused(imported, tmp_path):
    run_import("project-fields", write(tmp_path, "f.csv", "项目编号,字段,数值\nJK-001,风电装机容量(MW),100.5\n"
                                                          "JK-001,年发电量(kWh),120000000\n"), engine=imported)
    before = ledger_of(imported)
    with pytest.raises(ImportRefused) as info:
        run_import("projects", write(tmp_path, "p.csv", PROJECTS.replace(",省重点,能源,", ",省重点,一般,")),
                   engine=imported)
    [e] = info.value.errors
    assert (e.row, e.column, e.value) == (2, "项目类型", "一般")
    assert "该项目已填写「能源」类字段 风电装机容量(MW)、年发电量(kWh)，改为「一般」类后这些字段将失效：请保留项目类型「能源」" \
        in e.expected
    assert ledger_of(imported) == before
    with session_scope(imported) as s:
        assert set(field_values(s, "JK-001")) == {"wind_mw", "generation_kwh"}
    # a file without the 项目类型 column keeps the stored type: no refusal
    keep = "项目编号,项目名称,项目类别,项目级别,计划年度,总投资(万元),年度计划投资(万元)\nJK-001,风光储一体化项目,续建,省重点,2026,5000,647.4\n"
    run_import("projects", write(tmp_path, "keep.csv", keep), engine=imported)
    assert ledger_of(imported)["JK-001"] == (5_000_000_000, "能源")


# ---------------------------------------------------------------- 5. no bulletin of a future month

def test_a_bulletin_of_a_future_month_is_refused(ledger_world, capsys, tmp_path):
    with session_scope(ledger_world.engine) as s, pytest.raises(ValidationFailed, match="不能生成未来月份的通报：2027年1月"):
        monthly_bulletin(s, OPERATOR, dt.date(2027, 1, 1), TODAY)
    out = tmp_path / "bulletin.txt"
    code, _, err = run(capsys, "projects", "bulletin", "--month", "2026-12", "--today", "2026-11-30", "--out", str(out))
    assert code == 2 and "不能生成未来月份的通报：2026年12月" in err and not out.exists()
    with session_scope(ledger_world.engine) as s:
        assert "2026年11月" in monthly_bulletin(s, OPERATOR, dt.date(2026, 11, 1), TODAY)  # this month is fine


# ---------------------------------------------------------------- 6. the slow threshold is not negative

@pytest.mark.parametrize("points", ["-1", "-0.1", "NaN"])
def test_a_negative_slow_threshold_is_refused(ledger_world, points):
    with session_scope(ledger_world.engine) as s, pytest.raises(ValidationFailed) as err:
        month_progress(s, OPERATOR, OCT, Decimal(points))
    assert f"滞后阈值「{points}」不对：应为不小于 0 的百分点数" in err.value.message


def test_a_negative_slow_threshold_is_refused_by_the_cli(ledger_world, capsys):
    code, out, err = run(capsys, "projects", "report", "--month", "2026-10", "--slow=-5")
    assert code == 2 and "滞后阈值「-5」不对" in err and out == ""
    assert run(capsys, "projects", "report", "--month", "2026-10", "--slow=0")[0] == 0


# ---------------------------------------------------------------- 7. a 403 names nothing of the project

def test_a_project_outside_the_scope_is_refused_without_its_name(ledger_world):
    with session_scope(ledger_world.engine) as s, pytest.raises(PermissionDenied) as err:
        require_see(s, TF2, s.get(Project, ledger_world.a))
    assert "无权查看" in err.value.message and "风光储" not in err.value.message


def test_a_403_of_the_api_names_nothing_of_the_project(site, client):
    login(client, "tf2")
    r = client.get(f"/api/v1/projects/{site.a}")
    assert r.status_code == 403 and "无权查看" in message(r)
    assert "风光储" not in r.text and "JK-001" not in r.text

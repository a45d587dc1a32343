"""Importing jobs and seekers: coding, defaults, and bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.jobs.helpers import JOB_HEADERS, SEEKER_HEADERS, add_units, id_number, job_row, seeker_row, uscc, write_csv
from zhida.db import session_scope
from zhida.errors import ImportRefused
from zhida.imports.engine import run_import
from zhida.jobs.models import Job, Seeker


@pytest.fixture
def units(engine):
    with session_scope(engine) as s:
        add_units(s)
    return engine


def count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_jobs_import_codes_missing_occupations_and_fills_township(units, tmp_path):
    rows = [job_row(1), job_row(2, 职位名称="焊工", 职业代码="6-18-02-04", 乡镇街道=""),
            job_row(3, 统一社会信用代码=uscc(3), 职位名称="网约车司机", 乡镇街道="")]
    result = run_import("jobs", write_csv(tmp_path / "jobs.csv", JOB_HEADERS, rows), engine=units)
    assert (result.inserted, result.updated, result.unchanged) == (3, 0, 0)
    with session_scope(units) as s:
        jobs = {j.job_no: j for j in s.scalars(select(Job))}
    assert (jobs["J001"].occupation_code, jobs["J001"].occupation_source) == ("6-31-01-03", "coded")
    assert (jobs["J002"].occupation_code, jobs["J002"].occupation_source) == ("6-18-02-04", "given")
    assert jobs["J002"].township == "菜屯镇"  # the unit's township
    assert jobs["J003"].township == "阿城镇"
    again = run_import("jobs", tmp_path / "jobs.csv", engine=units)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.parametrize(("over", "column", "fragment"), [
    ({"月薪下限(元)": "8000", "月薪上限(元)": "6000"}, "月薪下限(元)", "不能高于月薪上限"),
    ({"职业代码": "6-99-99-98"}, "职业代码", "不在职业分类大典"),
    ({"职业代码": "631013"}, "职业代码", "格式不对"),
    ({"有效期至": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, "有效期至", "岗位已过期"),
    ({"统一社会信用代码": uscc(99)}, "统一社会信用代码", "该单位未登记"),
    ({"乡镇街道": "不存在镇"}, "乡镇街道", "不在茌平区、阳谷县"),
])
def test_bad_job_rows_refuse_the_whole_file(units, tmp_path, over, column, fragment):
    path = write_csv(tmp_path / "jobs.csv", JOB_HEADERS, [job_row(1), job_row(2, **over)])
    with pytest.raises(ImportRefused) as err:
        run_import("jobs", path, engine=units)
    bad = [e for e in err.value.errors if e.column == column]
    assert bad and bad[0].row == 3 and fragment in bad[0].expected, err.value.errors
    assert count(units, Job) == 0


def test_job_valid_today_is_accepted(units, tmp_path):
    path = write_csv(tmp_path / "jobs.csv", JOB_HEADERS, [job_row(1, 有效期至=dt.date.today().isoformat())])
    assert run_import("jobs", path, engine=units).inserted == 1


def test_seekers_import_codes_desires_and_stores_lists(units, tmp_path):
    rows = [seeker_row(1), seeker_row(2, 求职意向="会计、焊工", 可接受乡镇="不限"),
            seeker_row(3, 求职意向="", 意向职业代码="4-2-2-1")]
    result = run_import("seekers", write_csv(tmp_path / "s.csv", SEEKER_HEADERS, rows), engine=units)
    assert result.inserted == 3
    with session_scope(units) as s:
        got = {x.id_number: x for x in s.scalars(select(Seeker))}
    assert got[id_number(1)].desired_codes == "6-31-01-03"
    assert got[id_number(1)].townships == "菜屯镇、振兴街道"
    assert got[id_number(2)].townships == ""
    assert len(got[id_number(2)].desired_codes.split("、")) == 2
    assert got[id_number(3)].desired_codes == "4-02-02-01"


@pytest.mark.parametrize(("over", "column", "fragment"), [
    ({"身份证号": "371523199001010015"}, "身份证号", "校验位错误"),
    ({"身份证号": "371523199013010014"}, "身份证号", "不是有效日期"),
    ({"意向职业代码": "9-99-99-99"}, "意向职业代码", "不在职业分类大典"),
    ({"求职意向": "", "意向职业代码": ""}, "求职意向", "至少填一项"),
    ({"人员类别": "外星人"}, "人员类别", "不认识"),
    ({"手机号": "12345"}, "手机号", "11 位手机号"),
])
def test_bad_seeker_rows_refuse_the_whole_file(units, tmp_path, over, column, fragment):
    path = write_csv(tmp_path / "s.csv", SEEKER_HEADERS, [seeker_row(1), seeker_row(2, **over)])
    with pytest.raises(ImportRefused) as err:
        run_import("seekers", path, engine=units)
    bad = [e for e in err.value.errors if e.column == column]
    assert bad and bad[0].row == 3 and fragment in bad[0].expected, err.value.errors
    assert count(units, Seeker) == 0


def test_seeker_twice_in_one_file_is_refused(units, tmp_path):
    path = write_csv(tmp_path / "s.csv", SEEKER_HEADERS, [seeker_row(1), seeker_row(2), seeker_row(1, 姓名="李四")])
    with pytest.raises(ImportRefused) as err:
        run_import("seekers", path, engine=units)
    assert any(e.row == 4 and "与第 2 行重复" in e.expected for e in err.value.errors)
    assert count(units, Seeker) == 0


def test_reimport_with_changes_updates_in_place(units, tmp_path):
    run_import("jobs", write_csv(tmp_path / "j.csv", JOB_HEADERS, [job_row(1), job_row(2)]), engine=units)
    run_import("seekers", write_csv(tmp_path / "s.csv", SEEKER_HEADERS, [seeker_row(1)]), engine=units)
    with session_scope(units) as s:
        before = {j.job_no: j.id for j in s.scalars(select(Job))}
        seeker_id = s.scalars(select(Seeker.id)).one()
    rows = [job_row(1, 招聘人数="9"), job_row(2), job_row(3)]
    got = run_import("jobs", write_csv(tmp_path / "j2.csv", JOB_HEADERS, rows), engine=units)
    assert (got.inserted, got.updated, got.unchanged) == (1, 1, 1)
    got = run_import("seekers", write_csv(tmp_path / "s2.csv", SEEKER_HEADERS,
                                          [seeker_row(1, 姓名="张三丰"), seeker_row(2)]), engine=units)
    assert (got.inserted, got.updated, got.unchanged) == (1, 1, 0)
    with session_scope(units) as s:
        after = {j.job_no: (j.id, j.headcount) for j in s.scalars(select(Job))}
        assert s.get(Seeker, seeker_id).name == "张三丰"
    assert after["J001"] == (before["J001"], 9) and after["J002"][0] == before["J002"]
    assert after["J003"][0] not in before.values()

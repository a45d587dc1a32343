"""Matching with nobody on the other side: an empty list, not a crash (both backends);
out-of-range ``--top`` and unknown ``--format`` are refused in Chinese."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.jobs.helpers import JOB_HEADERS, SEEKER_HEADERS, add_units, form, job_row, seeker_row
from tests.jobs.test_cli import run
from zhida.db import session_scope
from zhida.jobs import service
from zhida.jobs.models import Job, Seeker


def test_seekers_for_a_job_when_there_are_no_seekers(engine, capsys):
    with session_scope(engine) as s:
        add_units(s)
        service.post_job(s, form(JOB_HEADERS, job_row(1)))
    with session_scope(engine) as s:
        jid = s.scalars(select(Job.id)).one()
        assert s.scalars(select(Seeker.id)).all() == []
        assert service.match_seekers_for_job(s, jid, 20) == []
        assert service.seeker_match_views(s, []) == []
    code, out, err = run(capsys, "jobs", "match", "job", str(jid), "--format", "json")
    assert (code, json.loads(out), err) == (0, [], "")
    code, out, _ = run(capsys, "jobs", "match", "job", str(jid))
    assert code == 0 and "求职者" in out


def test_jobs_for_a_seeker_when_there_are_no_jobs(engine, capsys):
    with session_scope(engine) as s:
        service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(1)))
    with session_scope(engine) as s:
        sid = s.scalars(select(Seeker.id)).one()
        assert service.match_jobs_for_seeker(s, sid, 20) == []
    code, out, _ = run(capsys, "jobs", "match", "seeker", str(sid), "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_seekers_for_a_job_when_every_seeker_is_filtered_out(engine):
    with session_scope(engine) as s:
        add_units(s)
        service.post_job(s, form(JOB_HEADERS, job_row(1)))
        # expects more than the job pays at most: the salary filter removes the only seeker
        service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(1, **{"期望月薪(元)": "9000"})))
    with session_scope(engine) as s:
        jid = s.scalars(select(Job.id)).one()
        assert service.match_seekers_for_job(s, jid, 20) == []


def test_top_out_of_range_is_refused_in_chinese(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("职位名称\n电工\n", encoding="utf-8")
    code, out, err = run(capsys, "jobs", "code-titles", str(path), "--top", "0")
    assert code == 2 and out == "" and "「0」不在范围内：每个职位给出的代码数应为 1–50 的整数" in err
    code, _, err = run(capsys, "jobs", "code-titles", str(path), "--top", "51")
    assert code == 2 and "「51」不在范围内" in err
    code, out, _ = run(capsys, "jobs", "code-titles", str(path), "--top", "1", "--format", "json")
    assert code == 0 and len(json.loads(out)[0]["codes"]) == 1  # the lower bound itself is accepted
    code, _, err = run(capsys, "jobs", "code-titles", str(path), "--format", "xml")
    assert code == 2 and "输出格式应为 table 或 json" in err
    code, _, err = run(capsys, "jobs", "match", "job", "1", "--top", "0")
    assert code == 2 and "结果条数应为 1–200 的整数" in err

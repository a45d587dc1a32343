"""``zhida jobs code-titles`` and ``zhida jobs match`` through the real CLI entry point."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.jobs.helpers import JOB_HEADERS, SEEKER_HEADERS, add_units, form, job_row, seeker_row
from zhida.cli import main
from zhida.db import session_scope
from zhida.jobs import service
from zhida.jobs.models import Job, Seeker


def run(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return exit_.value.code or 0, out.out, out.err


def test_code_titles_json(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("职位名称,备注\n急招电工（包吃住）,a\n网约车司机,b\n", encoding="gbk")
    code, out, _ = run(capsys, "jobs", "code-titles", str(path), "--top", "3", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [d["title"] for d in data] == ["急招电工（包吃住）", "网约车司机"]
    assert data[0]["codes"][0] == {"code": "6-31-01-03", "name": "电工", "score": data[0]["codes"][0]["score"]}
    assert len(data[1]["codes"]) == 3


def test_code_titles_without_title_column_is_refused(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("名称\n电工\n", encoding="utf-8")
    code, _, err = run(capsys, "jobs", "code-titles", str(path))
    assert code == 2 and "缺少列「职位名称」" in err


def test_match_seeker_json_masks_nothing_it_should_not_show(engine, capsys):
    with session_scope(engine) as s:
        add_units(s)
        service.post_job(s, form(JOB_HEADERS, job_row(1)))
        service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(1)))
    with session_scope(engine) as s:
        sid = s.scalars(select(Seeker.id)).one()
        jid = s.scalars(select(Job.id)).one()
    code, out, _ = run(capsys, "jobs", "match", "seeker", str(sid), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data[0]["id"] == jid and data[0]["parts"]["occupation"] == 0.5 and "同细类" in data[0]["explanation"]
    code, out, _ = run(capsys, "jobs", "match", "job", str(jid), "--format", "json")
    seeker = json.loads(out)[0]["details"]
    assert "****" in seeker["phone"] and "********" in seeker["id_number"]
    code, _, err = run(capsys, "jobs", "match", "seeker", "99999")
    assert code == 1 and "求职者 99999 不存在" in err

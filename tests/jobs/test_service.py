"""Service functions: posting, registering, two-way matching with explanations, SMS, fairs."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.jobs.helpers import JOB_HEADERS, SEEKER_HEADERS, add_units, form, id_number, job_row, seeker_row, uscc
from zhida.db import session_scope
from zhida.errors import NotFound, PermissionDenied, StateError, ValidationFailed
from zhida.jobs import fairs, service
from zhida.jobs.models import Job, MatchNotice, Seeker
from zhida.jobs.notify import notify_job
from zhida.platform.models import OutboxMessage
from zhida.roles import Actor, Role


@pytest.fixture
def world(engine):
    """Three units, four jobs (one in another district, one for accountants), three seekers."""
    with session_scope(engine) as s:
        add_units(s)
        service.post_job(s, form(JOB_HEADERS, job_row(1)))
        service.post_job(s, form(JOB_HEADERS, job_row(2, 职位名称="电气维修工", 乡镇街道="振兴街道")))
        service.post_job(s, form(JOB_HEADERS, job_row(3, 统一社会信用代码=uscc(3), 乡镇街道="阿城镇")))
        service.post_job(s, form(JOB_HEADERS, job_row(4, 职位名称="会计", 学历要求="本科", 岗位描述="做账报税")))
        service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(1)))
        service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(2, 求职意向="焊工", 技能特长="电焊 气焊")))
        service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(3, **{"期望月薪(元)": "9000"})))
    return engine


def ids(engine, model, **where):
    with session_scope(engine) as s:
        stmt = select(model)
        for k, v in where.items():
            stmt = stmt.where(getattr(model, k) == v)
        return [x.id for x in s.scalars(stmt)]


def test_jobs_for_seeker_ranked_filtered_and_explained(world):
    seeker = ids(world, Seeker, id_number=id_number(1))[0]
    with session_scope(world) as s:
        got = service.match_jobs_for_seeker(s, seeker, top=20)
        titles = {m.target_id: s.get(Job, m.target_id).job_no for m in got}
    order = [titles[m.target_id] for m in got]
    assert order[0] == "J001"  # same 细类, text and acceptable township
    assert "J003" not in order  # 阿城镇 is in 阳谷县: outside the seeker's district
    assert "J004" not in order  # 本科 required, seeker has 中专
    assert got[0].parts == {"occupation": 0.5, "text": 0.3, "location": 0.2}
    assert got[0].score == pytest.approx(1.0)
    assert "同细类" in got[0].explanation and "菜屯镇" in got[0].explanation
    assert [m.score for m in got] == sorted((m.score for m in got), reverse=True)


def test_salary_filter_pins_both_sides(world):
    low, high = ids(world, Seeker, id_number=id_number(1))[0], ids(world, Seeker, id_number=id_number(3))[0]
    with session_scope(world) as s:
        s.get(Seeker, low).salary_expected = 6000  # equal to the top salary: still a match
    with session_scope(world) as s:
        from zhida.jobs import cache

        cache.invalidate()
        assert service.match_jobs_for_seeker(s, low)
        assert service.match_jobs_for_seeker(s, high) == []  # 9000 > every top salary


def test_seekers_for_job_masked_and_explained(world):
    job = ids(world, Job, job_no="J001")[0]
    with session_scope(world) as s:
        views = service.seeker_match_views(s, service.match_seekers_for_job(s, job))
    assert views[0].details["id_number"] == id_number(1)[:6] + "********" + id_number(1)[-4:]
    assert views[0].details["phone"] == "138****0001"
    assert views[0].label == "张*"
    assert len(views) == 2  # seeker 3 expects 9000 > 6000
    assert "同细类" in views[0].explanation


def test_expired_job_is_not_matched(world):
    job = ids(world, Job, job_no="J001")[0]
    with session_scope(world) as s:
        s.get(Job, job).valid_until = dt.date.today() - dt.timedelta(days=1)
    with session_scope(world) as s, pytest.raises(ValidationFailed, match=r"已于 .* 过期"):
        service.match_seekers_for_job(s, job)


def test_seeker_registered_twice_is_refused(world):
    with session_scope(world) as s, pytest.raises(ValidationFailed, match="已登记为求职者"):
        service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(1, 姓名="别人")))
    with session_scope(world) as s:
        assert s.scalar(select(func.count()).select_from(Seeker)) == 3


def test_bad_post_writes_nothing_and_names_the_field(world):
    with session_scope(world) as s, pytest.raises(ValidationFailed) as err:
        service.post_job(s, form(JOB_HEADERS, job_row(9, **{"月薪下限(元)": "7000"})))
    assert "月薪下限" in err.value.message and "不能高于月薪上限" in err.value.message
    assert ids(world, Job, job_no="J009") == []


def test_unit_account_posts_only_for_itself(world):
    with session_scope(world) as s:
        job = service.post_job(s, form(JOB_HEADERS, job_row(8, 统一社会信用代码=uscc(1))), Actor("u2", Role.UNIT, uscc(2)))
        assert job.uscc == uscc(2)
        with pytest.raises(PermissionDenied):
            service.register_seeker(s, form(SEEKER_HEADERS, seeker_row(7)), Actor("l", Role.LEADER))


def test_search_jobs_by_word_and_filter(world):
    with session_scope(world) as s:
        assert {j["job_no"] for j in service.search_jobs(s, "会计")} == {"J004"}
        assert {j["job_no"] for j in service.search_jobs(s, township="振兴街道")} == {"J002"}
        assert {j["job_no"] for j in service.search_jobs(s, salary_at_least=6001)} == set()


def test_new_job_sms_through_outbox_once_per_pair(world):
    job = ids(world, Job, job_no="J001")[0]
    with session_scope(world) as s:
        assert notify_job(s, job, threshold=0.6) == 1  # seeker 1 only: seeker 2 wants 焊工, 3 too expensive
    with session_scope(world) as s:
        assert notify_job(s, job, threshold=0.6) == 0
        msgs = s.scalars(select(OutboxMessage)).all()
        assert len(msgs) == 1 and msgs[0].channel == "sms" and msgs[0].recipient == "13800130001"
        assert "电工师傅" in msgs[0].body
        assert msgs[0].dedupe_key == f"jobs:match:{job}:{ids(world, Seeker, id_number=id_number(1))[0]}"
        assert s.scalar(select(func.count()).select_from(MatchNotice)) == 1


def test_threshold_above_best_score_sends_nothing(world):
    job = ids(world, Job, job_no="J001")[0]
    with session_scope(world) as s:
        assert notify_job(s, job, threshold=1.01) == 0


def test_fair_lifecycle_and_counts(world):
    j1, j2 = ids(world, Job, job_no="J001")[0], ids(world, Job, job_no="J003")[0]
    s1, s2 = ids(world, Seeker, id_number=id_number(1))[0], ids(world, Seeker, id_number=id_number(2))[0]
    start = dt.datetime.combine(dt.date.today(), dt.time(9))
    with session_scope(world) as s:
        fair = fairs.create_fair(s, kind="直播带岗", title="春风行动直播带岗", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=2))
        assert fairs.add_jobs(s, fair.id, [j1, j2, j1]) == 2
        fairs.register(s, fair.id, s1)
        fairs.register(s, fair.id, s2)
        with pytest.raises(StateError, match="不能重复报名"):
            fairs.register(s, fair.id, s1)
        fairs.record_outcome(s, fair.id, s1, "面试")
        fairs.record_outcome(s, fair.id, s1, "录用", job_id=j1)
        fairs.record_outcome(s, fair.id, s2, "面试")
        with pytest.raises(ValidationFailed, match="须注明录用岗位"):
            fairs.record_outcome(s, fair.id, s2, "录用")
        c = fairs.fair_counts(s, fair.id)
    assert (c.employers, c.jobs, c.positions, c.registered, c.interviewed, c.hired) == (2, 2, 4, 2, 2, 1)


def test_fair_refuses_bad_times_and_unknown_things(world):
    start = dt.datetime(2030, 1, 1, 9)
    with session_scope(world) as s:
        with pytest.raises(ValidationFailed, match="应晚于开始时间"):
            fairs.create_fair(s, kind="招聘会", title="x", starts_at=start, ends_at=start)
        with pytest.raises(ValidationFailed, match="活动类型"):
            fairs.create_fair(s, kind="茶话会", title="x", starts_at=start, ends_at=start + dt.timedelta(hours=1))
        fair = fairs.create_fair(s, kind="招聘会", title="x", starts_at=start, ends_at=start + dt.timedelta(hours=1))
        with pytest.raises(NotFound):
            fairs.add_jobs(s, fair.id, [99999])
        with pytest.raises(NotFound):
            fairs.fair_counts(s, 99999)


def test_posting_a_new_job_notifies_matching_seekers_at_once(world):
    with session_scope(world) as s:
        service.post_job(s, form(JOB_HEADERS, job_row(20, 职位名称="维修电工")))
    with session_scope(world) as s:
        msgs = s.scalars(select(OutboxMessage)).all()
        assert [m.recipient for m in msgs] == ["13800130001"]
        service.post_job(s, form(JOB_HEADERS, job_row(20, 职位名称="维修电工", 招聘人数="3")))  # update: no new SMS
    with session_scope(world) as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1

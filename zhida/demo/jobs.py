"""The demo's employment service: jobs posted by demo enterprises, registered seekers, a job
fair with its jobs and registrations, and one seeker matched and hired — so that 就业服务
shows real content. Everything is made up and seeded; places come from the divisions table.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.identifiers import make_id_number
from zhida.registry.models import Unit
from zhida.registry.regions import home_county
from zhida.roles import SYSTEM

# (title as an ad would write it, monthly pay range in 元, education)
JOBS = [("急招电焊工 包吃住", (6000, 9000), "不限"), ("数控车床操作工", (5000, 7500), "中专"), ("普工（长白班）", (4200, 5500), "不限"),
        ("叉车司机", (5000, 6500), "初中"), ("维修电工", (5500, 8000), "中专"), ("仓库管理员", (4000, 5200), "高中"),
        ("会计", (4500, 6500), "大专"), ("超市收银员", (3000, 3800), "不限"), ("货车司机", (6500, 9000), "初中"),
        ("铝材质检员", (4500, 5800), "高中"), ("厨师", (5000, 7000), "不限"), ("销售代表", (4000, 9000), "大专")]
SEEKERS = [("电焊工、焊工", "中专", 5500), ("车床操作、数控", "中专", 5000), ("普工", "初中", 4000), ("叉车", "初中", 4800),
           ("电工", "中专", 5200), ("仓管、库管", "高中", 4000), ("会计、出纳", "大专", 4500), ("收银", "高中", 3000),
           ("货车司机", "初中", 6000), ("质检", "高中", 4200), ("厨师、面点", "不限", 4800), ("销售", "大专", 4000)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


def _units(session: Session, n: int) -> list[Unit]:
    rows = session.scalars(select(Unit).where(Unit.unit_type == "企业", Unit.township.is_not(None))
                           .order_by(Unit.employees.desc().nullslast(), Unit.uscc).limit(n))
    return list(rows)


def fill_jobs(session: Session, today: dt.date, seed: int = 11) -> dict[str, int]:
    """Post the demo jobs and seekers, hold a fair, hire the best-matched seeker; the counts."""
    from zhida.jobs import fairs
    from zhida.jobs import service as jobs

    rng = random.Random(seed)
    county = home_county()
    towns = list(county.townships)
    posted = []
    for unit, (title, (low, high), edu) in zip(_units(session, len(JOBS)), JOBS, strict=False):
        form: dict[str, object] = {"统一社会信用代码": unit.uscc, "职位名称": title, "月薪下限(元)": str(low), "月薪上限(元)": str(high),
                "学历要求": edu, "招聘人数": str(rng.randint(1, 8)), "乡镇街道": unit.township,
                "有效期至": (today + dt.timedelta(days=90)).isoformat(), "岗位描述": f"{unit.name}招聘{title}"}
        posted.append(jobs.post_job(session, form, SYSTEM, notify=False))
    seekers = []
    for i, (desired, edu, pay) in enumerate(SEEKERS * 2):
        born = dt.date(1975, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 28))
        first17 = f"{county.code}{born:%Y%m%d}{i:02d}{rng.randint(0, 9)}"
        home = rng.choice(towns)
        seeker: dict[str, object] = {"身份证号": make_id_number(first17), "姓名": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "求职意向": desired, "居住乡镇": home, "可接受乡镇": "不限" if i % 3 == 0 else home,
                "期望月薪(元)": str(pay), "学历": edu, "工作年限": str(rng.randint(0, 15)),
                "手机号": "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))}
        seekers.append(jobs.register_seeker(session, seeker, SYSTEM))
    start = dt.datetime.combine(today + dt.timedelta(days=14), dt.time(9))
    fair = fairs.create_fair(session, kind="招聘会", title=f"{county.name}春风行动专场招聘会", starts_at=start,
                             ends_at=start + dt.timedelta(hours=3), host=f"{county.name}人力资源和社会保障局")
    fairs.add_jobs(session, fair.id, [j.id for j in posted])
    best = jobs.match_seekers_for_job(session, posted[0].id, top=5)
    for s in seekers[:10]:
        fairs.register(session, fair.id, s.id)
    hired = best[0].target_id if best else seekers[0].id
    if hired not in {s.id for s in seekers[:10]}:
        fairs.register(session, fair.id, hired)
    fairs.record_outcome(session, fair.id, hired, "录用", job_id=posted[0].id)
    session.flush()
    return {"jobs": len(posted), "seekers": len(seekers), "fair": fair.id, "hired": hired}

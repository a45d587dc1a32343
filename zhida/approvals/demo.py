"""Demo: a county approvals office with a year of cases (2026), run by ``make demo``.

Historical cases are generated (seeded, deterministic) with exact clocks from
``zhida.platform.clock`` and loaded in one audited step; the key project's forest-land case
goes through every service step on the green channel (提前介入 → 上门受理 → 容缺受理 → parallel
site inspection and desk review → 公示 → decision → 统一送达 → 事后评价); a few open cases
with 容缺 items and tasks feed the alerts; the daily run then recomputes every clock.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from rich.console import Console
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.approvals import cases, dashboard, matters, progress, queries, sweeps
from zhida.approvals.cases import Acceptance, Application, MissingItem
from zhida.approvals.models import Case, Pause, now
from zhida.db import get_engine, session_scope
from zhida.errors import CalendarMissing
from zhida.platform import audit
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import Pause as ClockPause
from zhida.platform.clock import deadline
from zhida.registry.models import Unit
from zhida.roles import SYSTEM, Actor, Role

TODAY = dt.date(2026, 11, 30)
SEED = 15
OPERATOR = Actor("jingban", Role.OPERATOR)
REVIEWER = Actor("shenhe", Role.REVIEWER)
INSPECTOR = Actor("kc_zhou", Role.OPERATOR)
STAFF = [  # username, name, department, head, helper, phone
    ("jingban", "李帮办", "NLKS", False, True, "13800001001"), ("shenhe", "王审核", "NLKS", False, False, "13800001002"),
    ("lingdao", "张局长", "NLKS", True, False, "13800001003"), ("kc_zhou", "周勘验", "KCKS", False, False, "13800001004"),
    ("tz_sun", "孙经办", "TDKS", False, True, "13800001005"), ("sc_wu", "吴经办", "SCKS", False, False, "13800001006"),
    ("zr_zheng", "郑科员", "LYJ", False, False, "13800001007"), ("zh_chen", "陈受理", "ZHKS", False, False, "13800001008"),
]
WEIGHTS = {"SP-JY": 34, "YY-ZZ": 30, "SG-XK": 10, "GH-JS": 9, "LD-LS": 6, "LD-SY": 4, "LH-ZB": 3}
RATINGS = ["非常满意"] * 70 + ["满意"] * 24 + ["基本满意"] * 5 + ["不满意"]
KEY_PROJECT = "ZDXM-2026-017"


def _office(s: Session) -> None:
    matters.load_seed(s, SYSTEM)
    for user, name, dept, head, helper, phone in STAFF:
        matters.save_staff(s, SYSTEM, user, name, dept, is_head=head, is_helper=helper, phone=phone)


def _history_case(rng: random.Random, cal: WorkingCalendar, m, accepted: dt.date, unit: tuple[str, str], seq: int):
    """One generated case with its pause and exact clock; None when it would still be open."""
    pauses = []
    if m.site_inspection and rng.random() < 0.7:
        start = cal.add_working_days(accepted, rng.randint(1, 4))
        pauses.append(ClockPause(start, cal.add_working_days(start, rng.randint(0, 3)), "现场勘验"))
    if m.instant:
        used = 0
    else:
        late = rng.random() < 0.06
        used = rng.randint(m.promised_days + 1, m.legal_days) if late and m.promised_days < m.legal_days \
            else rng.randint(max(1, m.promised_days // 3), m.promised_days)
    done, legal_due = deadline(accepted, used, pauses, cal), deadline(accepted, m.legal_days, pauses, cal)
    promised_due = deadline(accepted, m.promised_days, pauses, cal)
    if done is None or legal_due is None or promised_due is None:  # pragma: no cover - every pause here is closed
        raise ValueError("history pauses are closed")
    c = Case(case_no=f"SP{accepted:%Y%m%d}{seq:04d}", case_type="即办件" if m.instant else "承诺件", matter_code=m.code,
             department=m.departments.split("；")[0], applicant_kind="单位", applicant_name=unit[1], applicant_id=unit[0],
             green_channel=rng.random() < 0.04, received_on=accepted, first_received_on=accepted, accepted_on=accepted,
             accepted_at=dt.datetime.combine(accepted, dt.time(9, 30)), acceptance_officer="zh_chen",
             acceptance_doc_no=f"东审受〔{accepted.year}〕{seq}号", legal_days=m.legal_days, promised_days=m.promised_days,
             legal_due=legal_due, promised_due=promised_due, created_at=now())
    if done > TODAY:
        c.state = "办理中"
    else:
        approve = rng.random() < 0.96
        c.state, c.decision = "已送达", "准予" if approve else "不予"
        c.completed_on, c.completed_at, c.month = done, dt.datetime.combine(done, dt.time(16)), f"{done:%Y-%m}"
        c.certificate_no = f"{m.code}-{done:%Y%m%d}-{seq:04d}" if approve else None
        c.used_days, c.on_time = used, done <= promised_due
        c.delivered_on, c.delivery_method = done, rng.choice(["窗口领取", "邮寄", "电子证照"])
        c.rating = rng.choice(RATINGS)
    return c, pauses


def load_history(s: Session, n: int = 2400) -> int:
    """``n`` cases accepted on working days from January to November 2026 (one audited load)."""
    rng, cal = random.Random(SEED), cases.calendar_of(s)
    units = s.execute(select(Unit.uscc, Unit.name).order_by(Unit.uscc).limit(400)).all()
    ms = {m.code: m for m in matters.list_matters(s)}
    codes = [c for c in WEIGHTS for _ in range(WEIGHTS[c])]
    days = [d for d in (dt.date(2026, 1, 5) + dt.timedelta(i) for i in range(325)) if cal.is_working_day(d)]
    per_day: dict[dt.date, int] = {}
    made: list[tuple[Case, list[ClockPause]]] = []
    while len(made) < n:
        day, m = rng.choice(days), ms[rng.choice(codes)]
        try:  # a deadline in a year with no calendar yet is refused (fail closed): not accepted in the demo
            case = _history_case(rng, cal, m, day, rng.choice(units), per_day.get(day, 0) + 101)
        except CalendarMissing:
            continue
        per_day[day] = per_day.get(day, 0) + 1
        made.append(case)
    s.add_all(c for c, _ in made)
    s.flush()
    s.add_all(Pause(case_id=c.id, reason=p.reason, start=p.start, end=p.end, notice_no=f"勘验告知〔2026〕{c.id}号",
                    created_by="kc_zhou") for c, ps in made for p in ps)
    audit.record(s, actor=SYSTEM, action="载入历史办件", entity="appr_case", entity_id="2026",
                 after={"件数": n, "说明": "演示数据：2026年1—11月办件"})
    return n


def forest_land_case(s: Session) -> Case:
    """The key project's 使用林地审核 through the green channel with a named 帮办员."""
    uscc = s.scalar(select(Unit.uscc).where(Unit.unit_type == "企业").order_by(Unit.uscc).offset(7).limit(1)) or ""
    a = Application("LD-SY", "单位", uscc, phone="13900002026", project_ref=KEY_PROJECT, green_channel=True,
                    helper="jingban", proxy=True, proxy_authorisation="授权委托〔2026〕88号")
    c = cases.open_guidance(s, OPERATOR, a, dt.date(2026, 10, 19), "对接项目单位，逐项指导使用林地材料与数据")
    no = c.case_no
    cases.submit(s, OPERATOR, no, dt.date(2026, 10, 26), at_door=True)
    cases.accept(s, OPERATOR, no, Acceptance(dt.date(2026, 10, 26), "东审受〔2026〕1017号",
                                             [MissingItem("补偿协议", dt.date(2026, 11, 6))], "承诺〔2026〕61号"))
    tasks = progress.start_tasks(s, OPERATOR, no, dt.date(2026, 10, 27),
                                 [("现场查验", "KCKS", "kc_zhou", 10), ("材料审查", "NLKS", "shenhe", 5)])
    progress.start_pause(s, INSPECTOR, no, "现场勘验", dt.date(2026, 10, 28), "勘验告知〔2026〕204号", dt.date(2026, 10, 29))
    cases.log_service(s, OPERATOR, c, "跟踪催办", dt.date(2026, 10, 30), "协调现场查验与材料审查同步进行")
    progress.finish_task(s, REVIEWER, tasks[1].id, "通过", "材料齐全，数据已修正", dt.date(2026, 10, 30))
    progress.finish_task(s, INSPECTOR, tasks[0].id, "通过", "现场与申报范围一致", dt.date(2026, 11, 2))
    from zhida.approvals.alerts import deliver_item
    from zhida.approvals.models import Promise

    item = s.scalars(select(Promise).where(Promise.case_id == c.id)).one()
    deliver_item(s, OPERATOR, item.id, dt.date(2026, 11, 3))
    progress.other_special(s, OPERATOR, no, "公示（国家林业局令第35号第11条，5个工作日）", "公示期满无异议",
                           dt.date(2026, 11, 3), dt.date(2026, 11, 9))
    progress.decide(s, REVIEWER, no, True, dt.date(2026, 11, 10), "同意使用林地", "鲁林地审〔2026〕317号",
                    dt.date(2028, 11, 9))
    progress.deliver(s, OPERATOR, no, dt.date(2026, 11, 11), "上门送达")
    progress.evaluate(s, SYSTEM, no, "非常满意", "全程帮办，材料一次办好", dt.date(2026, 11, 12))
    return c


def open_cases(s: Session) -> None:
    """A few cases in hand today: one with a 容缺 item due, one with tasks, one waiting for materials."""
    units = s.scalars(select(Unit.uscc).order_by(Unit.uscc).offset(20).limit(3)).all()
    c1 = cases.receive(s, OPERATOR, Application("LD-LS", "单位", units[0], phone="13900002027"), dt.date(2026, 11, 16))
    cases.accept(s, OPERATOR, c1.case_no, Acceptance(dt.date(2026, 11, 16), "东审受〔2026〕1102号",
                                                     [MissingItem("补偿协议", dt.date(2026, 12, 1))], "承诺〔2026〕70号"))
    progress.start_tasks(s, OPERATOR, c1.case_no, dt.date(2026, 11, 17), [("现场勘验", "KCKS", "kc_zhou", 5)])
    c2 = cases.receive(s, OPERATOR, Application("LD-SY", "单位", units[1], phone="13900002028", project_ref=KEY_PROJECT,
                                                  helper="jingban"), dt.date(2026, 11, 24))
    cases.notify_missing(s, OPERATOR, c2.case_no, dt.date(2026, 11, 25), ["被占用林地权属证明"])


def demo_step(out: Path, console: Console) -> None:
    console.rule("行政审批（演示：县行政审批服务局 2026 年办件）")
    with session_scope(get_engine()) as s:
        if s.scalar(select(func.count()).select_from(Case)):
            console.print("  审批办件已存在，跳过", highlight=False)
            return
        _office(s)
        n = load_history(s)
        c = forest_land_case(s)
        open_cases(s)
        run = sweeps.daily(s, SYSTEM, TODAY)
        d = dashboard.dashboard(s, 2026, (1, 11))
        detail = queries.case_detail(s, c.case_no, TODAY)
    console.print(f"  载入历史办件 {n} 件；{run.summary()}", highlight=False)
    console.print(f"  绿色通道·使用林地审核 {c.case_no}（重点项目 {KEY_PROJECT}）：", highlight=False)
    for day, kind, text in detail.timeline:
        console.print(f"    {day} {kind} {text}", highlight=False)
    console.print("  " + dashboard.bulletin(d), highlight=False)
    (out / "approvals").mkdir(parents=True, exist_ok=True)
    (out / "approvals" / "审批统计-2026.xlsx").write_bytes(dashboard.to_xlsx(d))

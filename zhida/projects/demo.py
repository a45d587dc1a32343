"""Demo data of 重点项目 (seeded, deterministic): an 经开区 with about 60 projects, 11 task forces,
a year of monthly reports, problems and factor requests, investment leads, 冠县-style wind,
solar and storage projects, the year's targets; then the month's bulletin and ledger export.
Run by ``make demo`` after the core steps (``demo_step``)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from zhida.config import get_settings
from zhida.db import get_engine, session_scope
from zhida.projects import issues, leads, ledger, targets
from zhida.projects.access import TASK_FORCE
from zhida.projects.bulletin import monthly_bulletin
from zhida.projects.export import write_ledger
from zhida.projects.ledger import ProjectIn
from zhida.projects.models import Project
from zhida.projects.progress import month_progress
from zhida.projects.reports import ReportIn, submit_report
from zhida.registry.models import Unit
from zhida.roles import SYSTEM, Role

WAN = 1_000_000
FORCES = ["新能源", "高端装备", "新材料", "生物医药", "食品加工", "现代物流", "数字经济", "汽车零部件", "化工新材料",
          "城市更新", "文旅康养"]
TOWNS = ["蒋官屯街道", "顾官屯镇", "许营镇", "朱老庄镇", "北城街道", "化工产业园", "新能源产业园"]
LEADERS = ["王建国", "李明", "张伟", "刘洋", "陈静", "杨帆"]
KINDS = {"新能源": "新能源", "高端装备": "智能装备", "新材料": "新材料", "生物医药": "医药", "食品加工": "食品",
         "现代物流": "物流园", "数字经济": "数据中心", "汽车零部件": "汽车零部件", "化工新材料": "化工新材料",
         "城市更新": "片区更新", "文旅康养": "康养"}
PASSWORD = "projects-demo-2025"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _accounts(engine) -> list[tuple[str, str, str]]:
    from zhida.web.accounts import AccountCreate, create_account

    made = []
    with session_scope(engine) as s:
        for i in range(1, len(LEADERS) + 1):
            create_account(s, AccountCreate(f"bangbao{i:02d}", PASSWORD, Role.LEADER, display_name=LEADERS[i - 1]))
        for i in range(1, len(FORCES) + 1):
            create_account(s, AccountCreate(f"zhuanban{i:02d}", PASSWORD, TASK_FORCE, display_name=FORCES[i - 1] + "专班"))
    made += [(f"bangbao{i:02d}", PASSWORD, f"帮包领导（{n}）") for i, n in enumerate(LEADERS, 1)][:2]
    made += [(f"zhuanban{i:02d}", PASSWORD, f"项目专班（{n}专班）") for i, n in enumerate(FORCES, 1)][:2]
    return made


def _projects(s, rng: random.Random, year: int, units: list[Unit]) -> list[Project]:
    for i, f in enumerate(FORCES, 1):
        ledger.add_task_force(s, SYSTEM, f + "专班", f"{f}专班负责人", f"zhuanban{i:02d}", [f"zhuanban{i:02d}"])
    out = []
    for n in range(1, 61):
        force = FORCES[(n - 1) % len(FORCES)]
        energy = force == "新能源" or n % 11 == 5  # 冠县-style wind, solar and storage
        total = rng.choice([8000, 12000, 15000, 20000, 30000, 50000, 100000, 150000]) * WAN
        plan = int(total * Decimal(rng.choice(["0.2", "0.3", "0.4", "0.5"]))) // WAN * WAN
        unit = units[n % len(units)] if units and n % 3 else None
        li = (n - 1) % len(LEADERS)
        start = dt.date(year - rng.choice([0, 0, 1]), rng.randint(1, 6), 1)
        data = ProjectIn(
            code=f"JKQ-{year}-{n:03d}", name=f"{rng.choice(TOWNS)[:2]}{'风光储一体化' if energy else KINDS[force]}项目（{n}期）",
            category=rng.choice(["续建", "新开工", "新开工", "前期", "竣工"]), level=rng.choice(["省重点", "市重点", "区重点", "区重点"]),
            plan_year=year, total_fen=total, year_plan_fen=plan, uscc=unit.uscc if unit else None,
            enterprise=None if unit else f"山东{KINDS[force]}发展有限公司", industry=force, township=rng.choice(TOWNS),
            ptype="能源" if energy else "一般", planned_start=start, planned_end=start.replace(year=start.year + 2),
            actual_start=start, task_force=force + "专班", leader_name=LEADERS[li], leader_user=f"bangbao{li + 1:02d}",
            leader_phone=f"1380635{li:04d}", dept_name=rng.choice(["发改局", "工信局", "自然资源局", "住建局", "商务局"]),
            contact_name="项目联系人", contact_phone=f"1390635{n:04d}")
        p = ledger.create_project(s, SYSTEM, data)
        if energy:
            wind, solar = rng.choice([0, 50, 100, 150]), rng.choice([0, 30, 60, 100])
            for field, value in (("wind_mw", wind), ("solar_mw", solar or 20), ("storage_mw", (wind + solar) // 5 or 10),
                                 ("storage_mwh", ((wind + solar) // 5 or 10) * 2),
                                 ("generation_kwh", (wind * 2200 + solar * 1300) * 1000)):
                ledger.set_field(s, SYSTEM, p, field, str(value))
        out.append(p)
    return out


def _reports(s, rng: random.Random, projects: list[Project], last: dt.date) -> None:
    for p in projects:
        pace = Decimal(rng.choice(["0.55", "0.7", "0.85", "0.95", "1.05", "1.2"]))
        before = int(p.total_fen * Decimal("0.1")) if p.category == "续建" else 0
        for m in range(1, last.month + 1):
            month = dt.date(last.year, m, 1)
            done = min(int(p.year_plan_fen * pace * m / 12) // WAN * WAN, p.total_fen - before)
            day = 3 if rng.random() > 0.1 else 8  # about one report in ten arrives after the 5th
            on = dt.date(last.year + m // 12, m % 12 + 1, day)
            submit_report(s, SYSTEM, p, ReportIn(month, done, before + done, min(100, int(pace * m * 7)),
                                                 rng.choice(["土建施工", "主体封顶", "设备安装", "钢结构吊装", "试生产"])), on)


def _issues(s, rng: random.Random, projects: list[Project], today: dt.date, data_dir: Path) -> None:
    for n, p in enumerate(rng.sample(projects, 24)):
        kind = "要素保障" if n % 2 else "问题"
        factor = rng.choice(issues.FACTORS) if kind == "要素保障" else None
        opened = today - dt.timedelta(days=rng.randint(3, 40))
        item = issues.open_issue(s, SYSTEM, p, issues.IssueIn(
            kind, rng.choice(["施工用电未接入", "用地指标待批", "能耗指标缺口", "流动资金紧张", "标准厂房待交付", "环评批复待办"]),
            rng.choice(["供电公司", "自然资源局", "发改局", "金融办", "住建局", "行政审批局"]), factor,
            owner_phone=f"1370635{n:04d}"), opened)
        issues.add_note(s, SYSTEM, item, "已召开专题协调会")
        if n % 3 == 0:
            issues.attach(s, SYSTEM, item, data_dir, f"协调纪要{n}.png", PNG + bytes([n]))
            issues.close_issue(s, SYSTEM, item, "已解决，佐证材料已上传", min(today, opened + dt.timedelta(days=10)))


def _leads(s, rng: random.Random, today: dt.date, year: int) -> None:
    stages = leads.STAGES
    for n in range(1, 16):
        talks = dt.date(year, rng.randint(1, min(6, today.month)), rng.randint(1, 20))
        lead = leads.create_lead(s, SYSTEM, leads.LeadIn(
            f"{rng.choice(['锂电池', '光伏组件', '储能', '氢能', '高端轴承', '医疗器械', '冷链物流'])}项目（招商{n}号）",
            f"{rng.choice(['江苏', '浙江', '广东', '北京'])}某科技有限公司", rng.choice(leads.SOURCES[:5]),
            rng.choice([10000, 30000, 50000, 120000]) * WAN, rng.choice(["赵科长", "钱主任", "孙局长"]), talks,
            township=rng.choice(TOWNS)))
        day = talks
        for stage in stages[1:1 + n % 5]:
            day = min(today, day + dt.timedelta(days=rng.randint(10, 40)))
            leads.advance(s, SYSTEM, lead, stage, day, today)
        if lead.stage != "在谈":
            leads.set_funds(s, SYSTEM, lead, lead.amount_fen * rng.choice([1, 2, 3]) // 10)
        if n in (3, 8) and lead.stage != "在谈":
            leads.to_project(s, SYSTEM, lead, code=f"JKQ-{year}-Z{n:02d}", category="新开工", level="区重点",
                             plan_year=year, year_plan_fen=lead.amount_fen // 5, task_force="新能源专班")


def demo_step(out: Path, console: Console) -> None:
    """Load the 经开区 demo (see module doc) and print its month summary and accounts."""
    console.rule("重点项目与招商（经开区）")
    rng = random.Random(2026)
    today = dt.date.today()
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    engine = get_engine()
    made = _accounts(engine)
    with session_scope(engine) as s:
        units = list(s.scalars(select(Unit).order_by(Unit.uscc).limit(30)))
        projects = _projects(s, rng, last.year, units)
        _reports(s, rng, projects, last)
        _issues(s, rng, projects, today, Path(get_settings().data_dir))
        _leads(s, rng, today, last.year)
        for indicator, value, actual in (("过亿元项目", "40", None), ("完成投资", "60", None), ("到位资金", "30", None),
                                         ("新增高新技术企业", "20", "17")):
            targets.set_target(s, SYSTEM, last.year, indicator, Decimal(value), None if actual is None else Decimal(actual))
    with session_scope(engine) as s:
        text = monthly_bulletin(s, SYSTEM, last, today)
        path = write_ledger(s, SYSTEM, month_progress(s, SYSTEM, last), out / "projects" / f"重点项目台账-{last:%Y-%m}.xlsx")
    (out / "projects" / f"重点项目推进情况通报-{last:%Y-%m}.txt").write_text(text + "\n", encoding="utf-8")
    console.print(text.split("\n\n")[3], highlight=False)
    console.print(f"台账已导出：{path}", highlight=False)
    table = Table(show_header=True)
    for col in ("用户名", "密码", "角色"):
        table.add_column(col)
    for row in made:
        table.add_row(*row)
    console.print(table)

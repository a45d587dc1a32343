"""A small 经开区 ledger for the projects tests: one registered enterprise, two task forces,
three projects whose figures the bulletin tests compute by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.web.conftest import PASSWORD, app, client, live, page, world  # noqa: F401 (the web fixtures, re-exported)
from zhida.db import session_scope
from zhida.identifiers import make_uscc
from zhida.projects import ledger
from zhida.projects.access import TASK_FORCE
from zhida.projects.ledger import ProjectIn, wan_to_fen
from zhida.projects.reports import ReportIn, submit_report
from zhida.registry.models import Unit
from zhida.roles import Actor, Role

OPERATOR = Actor("op", Role.OPERATOR)
TF1 = Actor("tf1", TASK_FORCE)
TF2 = Actor("tf2", TASK_FORCE)
LEADER = Actor("ld1", Role.LEADER)
USCC = make_uscc("91371500MA3P0001X")
TODAY = dt.date(2026, 11, 3)
OCT = dt.date(2026, 10, 1)


@dataclass
class Ledger:
    engine: object
    a: int
    b: int
    c: int


def project(code, name, plan_wan, total_wan, tf, category="续建", ptype="一般", township="经开区", **kw) -> ProjectIn:
    return ProjectIn(code=code, name=name, category=category, level="市重点", plan_year=2026,
                     total_fen=wan_to_fen(total_wan), year_plan_fen=wan_to_fen(plan_wan), township=township,
                     ptype=ptype, task_force=tf, **kw)


def report(month: dt.date, year_wan: str, total_wan: str, pct: int = 50) -> ReportIn:
    return ReportIn(month, wan_to_fen(year_wan), wan_to_fen(total_wan), pct, "主体施工")


@pytest.fixture
def ledger_world(engine) -> Ledger:
    with session_scope(engine) as s:
        s.add(Unit(uscc=USCC, name="聊城新能源装备有限公司", unit_type="企业", township="经开区"))
        s.flush()
        ledger.add_task_force(s, OPERATOR, "新能源专班", "王主任", "tf1", ["tf1"])
        ledger.add_task_force(s, OPERATOR, "装备制造专班", "李主任", "tf2", ["tf2"])
        a = ledger.create_project(s, OPERATOR, project(
            "JK-001", "风光储一体化项目", "647.4", "5000", "新能源专班", ptype="能源", uscc=USCC,
            leader_name="张区长", leader_user="ld1", leader_phone="13800000001"))
        b = ledger.create_project(s, OPERATOR, project("JK-002", "高端轴承产业园", "100", "800", "装备制造专班",
                                                       category="新开工", township="蒋官屯街道"))
        c = ledger.create_project(s, OPERATOR, project("JK-003", "智能仓储中心", "200", "10000", "装备制造专班",
                                                       township="蒋官屯街道", leader_user="ld2"))
        submit_report(s, TF1, a, report(OCT, "629.0", "1800"), TODAY)
        submit_report(s, TF2, b, report(OCT, "50", "300"), TODAY)
        ids = a.id, b.id, c.id
    return Ledger(engine, *ids)


def wan(text: str) -> int:
    return wan_to_fen(Decimal(text))


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def site(world, ledger_world, app):  # noqa: F811
    """The ledger above served by the app, with accounts tf1, tf2 (项目专班) and ld1 (帮包领导)."""
    from zhida.web.accounts import AccountCreate, create_account

    with session_scope(world.engine) as s:
        for name, role in (("tf1", TASK_FORCE), ("tf2", TASK_FORCE), ("ld1", Role.LEADER)):
            create_account(s, AccountCreate(name, PASSWORD, role))
    app.state.clock = lambda: TODAY
    return ledger_world

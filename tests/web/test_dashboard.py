"""首页 per year: cycles in every state, payments in every status; each figure checked."""

from __future__ import annotations

import re

from tests.web.conftest import login
from zhida.db import session_scope
from zhida.delivery.models import Cycle, Entitlement, Payment
from zhida.delivery.states import STATES
from zhida.identifiers import make_uscc
from zhida.web import dashboard

# per cycle state: (uscc suffix, township, size, amount fen, insured, payment status or None)
PAYMENTS = [("振兴街道", "中型", 1_000_000, 20, "已支付"), ("振兴街道", "小型", 250_050, 5, "已支付"),
            ("韩屯镇", "小型", 300_000, 7, "已支付"), ("韩屯镇", "微型", 40_000, 2, "失败"),
            ("菜屯镇", "小型", 70_000, 3, "待导出"), ("菜屯镇", "小型", 80_000, 4, "已导出"),
            ("广平乡", "小型", 90_000, 6, "已取消")]


def _cycle(s, n: int, state: str, period: str, with_payments: bool) -> None:
    c = Cycle(run_id=n, policy_id="wengang-fanhuan", policy_name="失业保险稳岗返还", period=period, state=state,
              units=len(PAYMENTS), total_fen=sum(p[2] for p in PAYMENTS), created_by="t")
    s.add(c)
    s.flush()
    for i, (town, size, fen, insured, status) in enumerate(PAYMENTS):
        uscc = make_uscc(f"91371503MA{n:02d}{i:04d}X")
        s.add(Entitlement(cycle_id=c.id, uscc=uscc, name=f"单位{n}-{i}", amount_fen=fen, size_class=size,
                          township=town, insured=insured))
        if with_payments:
            s.add(Payment(idem_key=f"p|{period}|{uscc}", cycle_id=c.id, uscc=uscc, amount_fen=fen, status=status))


def build(engine) -> None:
    """One 2025 cycle in every state; those that reached 发放中 carry payments in every status
    (草稿/已撤销 carry them too, to prove they are not counted); one 2024 cycle 已完成."""
    with session_scope(engine) as s:
        for n, state in enumerate(STATES, start=1):
            _cycle(s, n, state, "2025", state in ("发放中", "已完成", "草稿", "已撤销"))
        _cycle(s, 20, "已完成", "2024", True)


def test_year_figures_count_only_bank_confirmed_payments(world):
    build(world.engine)
    with session_scope(world.engine) as s:
        cycles = dashboard.year_cycles(s, 2025)
        got = dashboard.summary(s, cycles)
        charts = dashboard.charts(s, cycles)
        assert dashboard.default_year(s) == 2025 and dashboard.years(s) == [2025, 2024]
    assert len(cycles) == len(STATES)
    # two paying cycles (发放中, 已完成) × three paid lines; 草稿/已撤销 never counted
    assert got.cycles == 6
    assert (got.paid_units, got.paid_fen, got.jobs) == (6, 2 * 1_550_050, 2 * 32)
    assert (got.pending_units, got.pending_fen) == (4, 2 * 150_000)
    assert (got.failed_units, got.failed_fen) == (2, 2 * 40_000)
    # 审核、公示、确认期、待发放: planned (all entitlements, no payments yet)
    assert (got.planned_units, got.planned_fen) == (4 * 7, 4 * sum(p[2] for p in PAYMENTS))
    town = dict(zip(charts["township"]["categories"], zip(*[s["data"] for s in charts["township"]["series"]], strict=False), strict=False))
    assert town["振兴街道"] == (2.5, 4) and town["韩屯镇"] == (0.6, 2) and town["菜屯镇"] == (0.0, 0)
    assert charts["township"]["categories"][:3] == ["振兴街道", "信发街道", "温陈街道"]  # the county's order
    assert len(charts["township"]["categories"]) == 14  # every township of 茌平区, paid or not
    size = dict(zip(charts["size"]["categories"], charts["size"]["series"][0]["data"], strict=False))
    assert size == {"大型": 0.0, "中型": 2.0, "小型": 1.1, "微型": 0.0}
    assert round(sum(size.values()), 2) == 3.1 == round(got.paid_fen / 1_000_000, 2)


def test_home_page_per_year(client, world):
    build(world.engine)
    login(client, "t_leader")
    page = client.get("/").text
    assert "2025 年度工作概况" in page
    assert re.search(r'id="kpi-paid">.*?3\.10', page, re.S)
    assert re.search(r'id="kpi-failed">.*?0\.08 <span class="unit">万元</span> · 2', page, re.S)
    old = client.get("/?year=2024").text
    assert "2024 年度工作概况" in old and re.search(r'id="kpi-paid">.*?1\.55', old, re.S)
    assert re.search(r'id="kpi-cycles">.*?>1<', old, re.S)
    empty = client.get("/?year=2023").text
    assert re.search(r'id="kpi-paid">.*?0\.00', empty, re.S) and "本年度尚无发放批次" in empty
    assert client.get("/?year=abc").status_code in (400, 422)

"""Test data: units in the registry and a stored policy run over them."""

from __future__ import annotations

import datetime as dt
import random

from zhida.identifiers import make_uscc
from zhida.registry.models import Unit
from zhida.roles import Actor, Role
from zhida.rules.models import PolicyResult, PolicyRun

OPERATOR = Actor("jingban", Role.OPERATOR)
REVIEWER = Actor("shenhe", Role.REVIEWER)
LEADER = Actor("lingdao", Role.LEADER)
TOWNS = ["振兴街道", "信发街道", "温陈街道", "博平镇"]
SIZES = ["大型", "中型", "小型", "微型"]


def uscc(i: int) -> str:
    return make_uscc(f"91371523MA{i:07d}")


def make_units(session, n: int, seed: int = 7, start: int = 0) -> list[str]:
    """``n`` units; every 10th has no mobile phone (a landline), every 7th no account."""
    rnd = random.Random(seed)
    codes = []
    for i in range(start, start + n):
        code = uscc(i)
        codes.append(code)
        session.add(Unit(uscc=code, name=f"茌平区测试{i:04d}机械有限公司", industry_section=rnd.choice("CFG"),
                         size_class=rnd.choice(SIZES), township=rnd.choice(TOWNS), contact="王经理",
                         phone="0635-4261234" if i % 10 == 3 else f"138{i:08d}",
                         bank_name="中国农业银行茌平支行", account_no=None if i % 7 == 5 else f"622848{i:010d}"))
    session.flush()
    return codes


def make_run(session, codes: list[str], amounts: dict[str, int] | None = None, ineligible: set[str] = frozenset(),
             policy_id: str = "wgfh", period: str = "2024", seed: int = 7) -> int:
    """A stored run: each unit eligible (amount from ``amounts`` or random) unless in ``ineligible``."""
    rnd = random.Random(seed)
    units = {u.uscc: u for u in session.query(Unit).filter(Unit.uscc.in_(codes))}
    rows, total, eligible = [], 0, 0
    run = PolicyRun(policy_id=policy_id, policy_name="失业保险稳岗返还", period=period, as_of=dt.date(2025, 5, 1),
                    policy_hash="0" * 64, parameters={}, input_snapshot={}, evaluated=len(codes), eligible=0,
                    undetermined=0, total_fen=0)
    session.add(run)
    session.flush()
    for code in codes:
        u = units[code]
        ok = code not in ineligible
        amount = (amounts or {}).get(code, rnd.randint(1000, 5_000_000)) if ok else 0
        total += amount
        eligible += ok
        rows.append(PolicyResult(run_id=run.id, uscc=code, name=u.name, status="eligible" if ok else "ineligible",
                                 amount_fen=amount, size_class=u.size_class, township=u.township,
                                 industry_section=u.industry_section, insured=rnd.randint(3, 300), reasons=[]))
    session.add_all(rows)
    run.eligible, run.total_fen = eligible, total
    session.flush()
    return run.id

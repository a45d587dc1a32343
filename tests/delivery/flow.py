"""Take a fresh cycle to a given state on fixed dates (公示 2025-06-03, 确认期 from 2025-06-11)."""

from __future__ import annotations

import datetime as dt

from zhida.db import session_scope
from zhida.delivery import service

from .helpers import LEADER, OPERATOR, REVIEWER, make_run, make_units

PUBLISH = dt.date(2025, 6, 3)
CONFIRM = dt.date(2025, 6, 11)  # confirm_days=10 → deadline 2025-06-25
PAY_DAY = dt.date(2025, 6, 26)


def new_cycle(engine, n: int = 12, to: str = "确认期", **kw) -> tuple[int, list[str]]:
    """Units (every 7th without an account, every 10th with a landline), a run, a cycle in state ``to``."""
    with session_scope(engine) as s:
        codes = make_units(s, n)
        run_id = make_run(s, codes)
        cid = service.create_cycle(s, OPERATOR, run_id, **kw).id
        service.advance(s, OPERATOR, cid)
        service.advance(s, REVIEWER, cid, today=PUBLISH)
        if to in ("确认期", "待发放", "发放中"):
            service.advance(s, OPERATOR, cid, today=CONFIRM)
        if to in ("待发放", "发放中"):
            service.advance(s, OPERATOR, cid, today=PAY_DAY)
        if to == "发放中":
            service.advance(s, LEADER, cid)
    return cid, codes

"""The demo cycle runs a whole district through, and running it again changes nothing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import Payment, Transfer
from zhida.demo.cycle import drive, run_demo_cycle
from zhida.platform import audit

from .helpers import make_run, make_units


def test_demo_cycle_end_to_end(engine, tmp_path):
    with session_scope(engine) as s:
        codes = make_units(s, 240)
        run_id = make_run(s, codes, ineligible=set(codes[:5]))
    text = run_demo_cycle(engine, run_id, tmp_path)
    assert "已完成" in text and "分毫不差" in text and "银行退回 3 笔" in text
    with session_scope(engine) as s:
        cid = service.list_cycles(s)[0].id
        statuses = dict(s.execute(select(Payment.status, func.count()).group_by(Payment.status)).all())
        declined = service.show(s, cid).confirmation["放弃"]
        assert declined >= 1 and statuses == {"已支付": 235 - declined}
    sent = [json.loads(line)["key"] for line in (tmp_path / "短信发送记录.jsonl").read_text().splitlines()]
    assert len(sent) == len(set(sent)) > 200
    assert drive(engine, run_id, tmp_path) == cid  # already complete: a no-op
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Transfer)) == 235 - declined + 3  # 3 re-sent
        assert audit.verify(s).ok

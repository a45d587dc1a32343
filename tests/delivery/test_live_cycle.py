"""One live cycle per (policy, period) and declines remembered (issue 11, "Decliners get paid").

The scenario of the issue: 18 units decline (放弃) in a first cycle; a second cycle of the same
policy and period used to be created without a word and, driven through, granted them
(免审即享) and paid them. Now the second ordinary cycle is refused naming the first, and a
supplementary cycle (补发) lists only units no earlier cycle covered.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import Entitlement, Payment
from zhida.errors import StateError, ValidationFailed

from .flow import CONFIRM, PAY_DAY, PUBLISH
from .helpers import LEADER, OPERATOR, REVIEWER, make_run, make_units
from .test_cli import zhida  # noqa: F401  (fixture)

DECLINERS = 18


def drive(s, cid, declines=()):
    service.advance(s, OPERATOR, cid)
    service.advance(s, REVIEWER, cid, today=PUBLISH)
    service.advance(s, OPERATOR, cid, today=CONFIRM)
    for u in declines:
        service.answer(s, OPERATOR, cid, u, decline=True)
    service.advance(s, OPERATOR, cid, today=PAY_DAY)
    service.advance(s, LEADER, cid)


def paid_units(s, cid) -> set[str]:
    return set(s.scalars(select(Payment.uscc).where(Payment.cycle_id == cid)))


def test_second_cycle_refused_and_supplementary_pays_no_decliner(engine):
    with session_scope(engine) as s:
        codes = make_units(s, 40)
        first = service.create_cycle(s, OPERATOR, make_run(s, codes[:30])).id
        drive(s, first, declines=codes[:DECLINERS])
        assert not paid_units(s, first) & set(codes[:DECLINERS])
    with session_scope(engine) as s:
        run2 = make_run(s, codes)  # a later run: the same 30 units and 10 new ones
        with pytest.raises(StateError, match=f"已有发放批次 #{first}（发放中）"):
            service.create_cycle(s, OPERATOR, run2)
    with session_scope(engine) as s:
        second = service.create_cycle(s, OPERATOR, run2, supplementary=True)
        listed = set(s.scalars(select(Entitlement.uscc).where(Entitlement.cycle_id == second.id)))
        assert listed == set(codes[30:]) and second.units == 10
        drive(s, second.id)
        paid = paid_units(s, second.id)
        assert paid and not paid & set(codes[:DECLINERS])  # the 18 decliners are not paid
        assert service.reconcile(s, second.id).balanced
    with session_scope(engine) as s, pytest.raises(ValidationFailed, match="已覆盖的 40 户"):
        service.create_cycle(s, OPERATOR, make_run(s, codes), supplementary=True)  # nothing left to add


def test_decline_survives_a_recomputation(engine):
    with session_scope(engine) as s:
        codes = make_units(s, 10)
        old = service.create_cycle(s, OPERATOR, make_run(s, codes)).id
        service.advance(s, OPERATOR, old)
        service.advance(s, REVIEWER, old, today=PUBLISH)
        service.advance(s, OPERATOR, old, today=CONFIRM)
        service.answer(s, OPERATOR, old, codes[2], decline=True)
        new, _ = service.recompute(s, REVIEWER, old, run_id=make_run(s, codes, seed=9))
        assert service.get_cycle(s, old).state == "已撤销" and not new.supplementary
        assert s.get(Entitlement, (new.id, codes[2])).confirmation == "放弃"
        drive(s, new.id)
        assert codes[2] not in paid_units(s, new.id)


def test_revoked_cycle_frees_the_period(engine):
    with session_scope(engine) as s:
        codes = make_units(s, 5)
        run_id = make_run(s, codes)
        first = service.create_cycle(s, OPERATOR, run_id).id
        with pytest.raises(ValidationFailed, match="不需要补发"):
            service.create_cycle(s, OPERATOR, make_run(s, codes, period="2023"), supplementary=True)
        service.revoke(s, REVIEWER, first, "名单有误")
        assert service.create_cycle(s, OPERATOR, run_id).units == 5


def test_cli_refuses_the_second_cycle(zhida, engine):  # noqa: F811
    with session_scope(engine) as s:
        run_id = make_run(s, make_units(s, 4))
    assert zhida("cycle", "create", "--run", str(run_id), "--role", "operator").returncode == 0
    r = zhida("cycle", "create", "--run", str(run_id), "--role", "operator")
    assert r.returncode == 1 and "已有发放批次#1（草稿）" in "".join(r.stderr.split()) and "Traceback" not in r.stderr
    r = zhida("cycle", "create", "--run", str(run_id), "--role", "operator", "--supplementary")
    assert r.returncode == 2 and "此前批次已覆盖的4户" in "".join(r.stderr.split())


def test_paying_cycle_recomputed_as_supplementary(engine):
    with session_scope(engine) as s:
        codes = make_units(s, 8)
        old = service.create_cycle(s, OPERATOR, make_run(s, codes[:6])).id
        drive(s, old, declines=codes[:1])
        new, _ = service.recompute(s, REVIEWER, old, run_id=make_run(s, codes))
        assert new.supplementary and service.get_cycle(s, old).state == "发放中"
        assert set(s.scalars(select(Entitlement.uscc).where(Entitlement.cycle_id == new.id))) == set(codes[6:])


def test_leader_approves_payment_and_nothing_else(engine):
    from zhida.delivery.process import TRANSITIONS
    from zhida.errors import PermissionDenied
    from zhida.roles import Role

    assert [k for k, t in TRANSITIONS.items() if Role.LEADER in t.roles] == [("待发放", "发放中")]
    with session_scope(engine) as s:
        cid = service.create_cycle(s, OPERATOR, make_run(s, make_units(s, 4))).id
        with pytest.raises(PermissionDenied, match="撤销批次需要审核角色"):
            service.revoke(s, LEADER, cid, "领导要求撤销")
        with pytest.raises(PermissionDenied):
            service.create_cycle(s, LEADER, make_run(s, make_units(s, 2, start=50)))
        unit = s.scalars(select(Entitlement.uscc).where(Entitlement.cycle_id == cid)).first()
        with pytest.raises(PermissionDenied):
            service.set_held(s, LEADER, cid, unit, "暂缓")
        with pytest.raises(PermissionDenied):
            service.answer(s, LEADER, cid, unit, decline=True)

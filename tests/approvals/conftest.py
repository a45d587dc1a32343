"""A database with the seed catalogue, an office's staff and two registered units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from zhida.approvals import matters
from zhida.identifiers import make_uscc
from zhida.registry.models import Unit
from zhida.roles import SYSTEM, Actor, Role

UNIT = make_uscc("91371524MA3D0001X")
OPERATOR = Actor("nl_clerk", Role.OPERATOR)
REVIEWER = Actor("nl_reviewer", Role.REVIEWER)
OUTSIDER = Actor("sc_clerk", Role.OPERATOR)
INSPECTOR = Actor("kc_inspector", Role.OPERATOR)
D = dt.date


def setup_office(s: Session) -> None:
    s.add(Unit(uscc=UNIT, name="山东泰和规划设计有限公司", unit_type="企业", industry_code="M7485", industry_section="M",
               employees=60, revenue_wan=Decimal("3000"), size_class="小型", size_source="recorded", township="新城街道"))
    matters.load_seed(s, SYSTEM)
    for user, name, dept, head, helper, phone in (
            ("nl_clerk", "李科员", "NLKS", False, True, "13800000001"),
            ("nl_reviewer", "王审核", "NLKS", False, False, "13800000002"),
            ("nl_head", "张局长", "NLKS", True, False, None),
            ("sc_clerk", "赵科员", "SCKS", False, False, None),
            ("kc_inspector", "刘勘验", "KCKS", False, False, "13800000003")):
        matters.save_staff(s, SYSTEM, user, name, dept, is_head=head, is_helper=helper, phone=phone)
    s.flush()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s:
        setup_office(s)
        s.commit()
        yield s


from tests.web.conftest import app, client, world  # noqa: E402,F401  (web fixtures; the browser ones stay in tests/web)

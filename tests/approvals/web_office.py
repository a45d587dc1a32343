"""The web tests' office: the seed catalogue and the test accounts placed in departments."""

from __future__ import annotations

import datetime as dt

from zhida.approvals import matters
from zhida.db import session_scope
from zhida.roles import SYSTEM


def setup_web_office(engine) -> None:
    with session_scope(engine) as s:
        matters.load_seed(s, SYSTEM)
        for user, name, dept, head, helper in (("t_operator", "李受理", "NLKS", False, True),
                                               ("t_reviewer", "王审核", "NLKS", False, False),
                                               ("t_leader", "张局长", "NLKS", True, False)):
            matters.save_staff(s, SYSTEM, user, name, dept, is_head=head, is_helper=helper, phone="13800000009")


def fix_clock(app, day: dt.date) -> None:
    app.state.clock = lambda: day

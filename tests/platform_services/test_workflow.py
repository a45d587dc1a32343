"""The workflow module: declared transitions, roles, guards, effects, compare-and-set."""

from __future__ import annotations

import threading
from enum import StrEnum

import pytest
from sqlalchemy import Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from zhida.errors import Conflict, PermissionDenied, StateError, ValidationFailed
from zhida.platform import audit
from zhida.platform.models import WorkflowEvent
from zhida.platform.workflow import Process, Transition, history
from zhida.roles import Actor, Role


class _Base(DeclarativeBase):
    pass


class Ticket(_Base):
    __tablename__ = "wf_test_tickets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(50), default="")


class TicketState(StrEnum):
    NEW = "新建"
    CHECKED = "已审核"
    CLOSED = "已办结"


def _must_have_note(step):
    if not step.entity.note:
        raise StateError("未填写办理说明，不能审核")


def _stamp(step):
    step.entity.note += "|办结"
    step.notes.append("已盖章")


TICKETS = Process("test.ticket", "工单", TicketState, Ticket, "ticket", [
    Transition(TicketState.NEW, TicketState.CHECKED, "审核通过", (Role.REVIEWER,), guards=(_must_have_note,)),
    Transition(TicketState.CHECKED, TicketState.NEW, "退回", (Role.REVIEWER,), needs_comment=True),
    Transition(TicketState.CHECKED, TicketState.CLOSED, "办结", (Role.OPERATOR,), effects=(_stamp,)),
])
REVIEWER = Actor("li", Role.REVIEWER)
OPERATOR = Actor("wang", Role.OPERATOR)


@pytest.fixture
def eng(engine):
    _Base.metadata.create_all(engine)
    with Session(engine) as s, s.begin():
        s.add_all([Ticket(id=1, state="新建", note="资料齐全"), Ticket(id=2, state="新建", note="")])
    return engine


def test_transition_runs_guard_effect_event_and_audit(eng):
    with Session(eng) as s, s.begin():
        t = s.get(Ticket, 1)
        TICKETS.fire(s, t, TicketState.CHECKED, REVIEWER)
        TICKETS.fire(s, t, "已办结", OPERATOR, comment="  按时办结 ")
    with Session(eng) as s:
        t = s.get(Ticket, 1)
        assert (t.state, t.note) == ("已办结", "资料齐全|办结")
        evs = history(s, TICKETS, 1)
        assert [(e.from_state, e.to_state, e.actor, e.comment) for e in evs] == [
            ("新建", "已审核", "li", None), ("已审核", "已办结", "wang", "按时办结；已盖章")]
        assert audit.verify(s).ok
        rows = audit.entries(s, entity="ticket")
        assert [e.action for e in rows] == ["办结", "审核通过"]
        assert '"状态":"已审核"' in rows[0].before and '"意见":"按时办结；已盖章"' in rows[0].after


def test_guard_role_comment_and_unknown_moves_are_refused_with_nothing_written(eng):
    with Session(eng) as s, s.begin():
        with pytest.raises(StateError, match="未填写办理说明"):
            TICKETS.fire(s, s.get(Ticket, 2), TicketState.CHECKED, REVIEWER)
        with pytest.raises(PermissionDenied, match="审核"):
            TICKETS.fire(s, s.get(Ticket, 1), TicketState.CHECKED, OPERATOR)
        with pytest.raises(StateError, match="只能变为 已审核"):
            TICKETS.fire(s, s.get(Ticket, 1), TicketState.CLOSED, OPERATOR)
        with pytest.raises(StateError, match="没有「作废」这个状态"):
            TICKETS.fire(s, s.get(Ticket, 1), "作废", OPERATOR)
        TICKETS.fire(s, s.get(Ticket, 1), TicketState.CHECKED, REVIEWER)
        with pytest.raises(ValidationFailed, match="需要填写意见"):
            TICKETS.fire(s, s.get(Ticket, 1), TicketState.NEW, REVIEWER, comment="  ")
    with Session(eng) as s:
        assert s.scalar(select(WorkflowEvent.to_state)) == "已审核"
        assert len(s.scalars(select(WorkflowEvent)).all()) == 1


def test_available_lists_only_what_the_actor_may_take():
    assert [t.action for t in TICKETS.available("已审核", REVIEWER)] == ["退回"]
    assert [t.action for t in TICKETS.available("已审核", OPERATOR)] == ["办结"]
    assert TICKETS.available("已办结", Actor("root", Role.ADMIN)) == []


def test_stale_object_loses_with_conflict(eng):
    with Session(eng, expire_on_commit=False) as a, Session(eng, expire_on_commit=False) as b:
        ta, tb = a.get(Ticket, 1), b.get(Ticket, 1)
        a.commit()
        b.commit()  # b keeps its copy read while the ticket was still 新建
        TICKETS.fire(a, ta, TicketState.CHECKED, REVIEWER)
        a.commit()
        with pytest.raises(Conflict, match="已被他人办理"):
            TICKETS.fire(b, tb, TicketState.CHECKED, REVIEWER)
        b.rollback()


def test_concurrent_fires_succeed_exactly_once(eng, db_url):
    results: list[str] = []
    barrier = threading.Barrier(4)

    def worker():
        e = create_engine(eng.url) if False else eng
        with Session(e, expire_on_commit=False) as s:  # keep the state read before the others moved it
            t = s.get(Ticket, 1)
            s.commit()
            barrier.wait()
            try:
                with s.begin():
                    t = s.get(Ticket, 1, populate_existing=True) if t.state != "新建" else t
                    TICKETS.fire(s, t, TicketState.CHECKED, REVIEWER)
                results.append("ok")
            except StateError:  # Conflict (compare-and-set lost) or the state already moved on: refused
                results.append("conflict")
            except Exception as exc:  # SQLite's lock timeout must not happen either
                results.append(type(exc).__name__)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["conflict", "conflict", "conflict", "ok"]
    with Session(eng) as s:
        assert len(s.scalars(select(WorkflowEvent)).all()) == 1
        assert audit.verify(s).ok

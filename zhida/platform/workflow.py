"""Processes as declared state machines: states, transitions, roles, guards and effects.

A programme declares each of its processes once — its states as an ``enum.StrEnum`` whose
values are the Chinese names clerks read, and a table of ``Transition``s naming who may take
them, the guards that must hold (named functions raising ``StateError``) and the effects run
on entering the new state (named functions). ``Process.fire`` then does the same thing for
every process of every programme:

1. finds the transition (``StateError`` in Chinese listing the allowed targets otherwise);
2. checks the actor's role (``PermissionDenied``) and whether a comment is required;
3. runs the guards;
4. moves the state by compare-and-set — ``UPDATE … SET state = :to WHERE id = :id AND
   state = :from`` — so of two concurrent requests exactly one wins on SQLite and PostgreSQL
   alike; the loser gets ``Conflict`` (HTTP 409), never a double effect;
5. runs the effects (named functions; they may add ``notes``), in the same transaction;
6. appends the event (a ``WorkflowEvent``, or the process's own ``record_event``) and an
   audit entry with the real actor, the entity's ``snapshot`` before and after, and the notes.

>>> from enum import StrEnum
>>> class Door(StrEnum):
...     SHUT = "关闭"
...     OPEN = "打开"
>>> door = Process("door", "门", Door, model=None, audit_entity="door",
...                transitions=[Transition(Door.SHUT, Door.OPEN, "开门", ("operator",))])
>>> door.transition(Door.SHUT, Door.OPEN).action
'开门'
>>> door.transition(Door.OPEN, Door.SHUT)
Traceback (most recent call last):
...
zhida.errors.StateError: 门不能从「打开」变为「关闭」：从「打开」不能再办理（已是最终状态）
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from zhida.errors import Conflict, StateError, ValidationFailed
from zhida.platform import audit
from zhida.platform.models import WorkflowEvent, now
from zhida.roles import Actor

S = TypeVar("S", bound=StrEnum)


@dataclass
class Step(Generic[S]):
    """What guards and effects are given: the transition being taken and its context."""

    session: Session
    process: Process[S]
    entity: Any
    transition: Transition[S]
    actor: Actor
    comment: str | None
    params: dict[str, Any]
    at: dt.datetime
    notes: list[str] = field(default_factory=list)  # what the effects did, for the event and the audit
    before: dict[str, Any] = field(default_factory=dict)


Guard = Callable[[Step[Any]], None]
Effect = Callable[[Step[Any]], None]


@dataclass(frozen=True)
class Transition(Generic[S]):
    """One allowed move. ``roles`` may take it (系统管理员 always may); ``action`` is the
    Chinese verb shown on buttons and in the audit log; guards raise ``StateError``."""

    source: S
    target: S
    action: str
    roles: tuple[str, ...]
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    needs_comment: bool = False


@dataclass
class Process(Generic[S]):
    """A declared process over one table (``model``) with a state column."""

    name: str
    label: str
    states: type[S]
    model: Any
    audit_entity: str
    transitions: Sequence[Transition[S]]
    state_attr: str = "state"
    id_attr: str = "id"
    # what the audit entry shows of the entity before and after (default: its state)
    snapshot: Callable[[Any], dict[str, Any]] | None = None
    # a process that keeps its own event table writes the event here (default: WorkflowEvent)
    record_event: Callable[[Step[S]], None] | None = None
    _table: dict[tuple[S, S], Transition[S]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._table = {}
        for t in self.transitions:
            if (t.source, t.target) in self._table:
                raise ValueError(f"{self.name}: duplicate transition {t.source} → {t.target}")
            self._table[(t.source, t.target)] = t

    def targets(self, source: S) -> list[S]:
        return [b for (a, b) in self._table if a == source]

    def transition(self, source: S | str, target: S | str) -> Transition[S]:
        """The transition source → target, else ``StateError`` naming what is allowed."""
        src, dst = self._state(source), self._state(target)
        t = self._table.get((src, dst))
        if t is None:
            allowed = "、".join(self.targets(src)) or "不能再办理（已是最终状态）"
            head = f"从「{src}」只能变为 {allowed}" if self.targets(src) else f"从「{src}」{allowed}"
            raise StateError(f"{self.label}不能从「{src}」变为「{dst}」：{head}")
        return t

    def available(self, state: S | str, actor: Actor) -> list[Transition[S]]:
        """The transitions ``actor`` may take from ``state`` (for buttons and menus)."""
        src = self._state(state)
        return [t for (a, _), t in self._table.items() if a == src and actor.can(*t.roles)]

    def _state(self, value: S | str) -> S:
        try:
            return self.states(value)
        except ValueError:
            names = "、".join(s.value for s in self.states)
            raise StateError(f"{self.label}没有「{value}」这个状态：状态应为 {names}") from None

    def fire(
        self, session: Session, entity: Any, target: S | str, actor: Actor, *, comment: str | None = None, **params: Any
    ) -> WorkflowEvent | None:
        """Take the transition from the entity's current state to ``target`` (see module doc)."""
        src = self._state(getattr(entity, self.state_attr))
        t = self.transition(src, target)
        actor.require(*t.roles, action=t.action)
        comment = (comment or "").strip() or None
        if t.needs_comment and not comment:
            raise ValidationFailed(f"{t.action}需要填写意见或理由")
        step = Step(session, self, entity, t, actor, comment, params, now())
        for guard in t.guards:
            guard(step)
        step.before = self._snap(entity)
        self._compare_and_set(session, entity, src, t.target)
        for effect in t.effects:
            effect(step)
        return self._record(step)

    def created(self, session: Session, entity: Any, actor: Actor, action: str) -> WorkflowEvent:
        """Record the birth of an entity in its first state (the event before any transition)."""
        event = WorkflowEvent(
            process=self.name,
            entity_id=str(getattr(entity, self.id_attr)),
            from_state="",
            to_state=str(getattr(entity, self.state_attr)),
            action=action,
            actor=actor.username,
            role=str(actor.role.value),
            comment=None,
            at=now(),
        )
        session.add(event)
        return event

    def _snap(self, entity: Any) -> dict[str, Any]:
        return self.snapshot(entity) if self.snapshot else {"状态": getattr(entity, self.state_attr)}

    def _compare_and_set(self, session: Session, entity: Any, src: S, dst: S) -> None:
        key = getattr(entity, self.id_attr)
        col = getattr(self.model, self.state_attr)
        stmt = (
            update(self.model)
            .where(getattr(self.model, self.id_attr) == key, col == src.value)
            .values({self.state_attr: dst.value})
            .execution_options(synchronize_session=False)
        )
        if cast("CursorResult[Any]", session.execute(stmt)).rowcount != 1:  # an UPDATE gives a CursorResult
            raise Conflict(f"{self.label} {key} 已被他人办理（状态已不是「{src}」），请刷新后重试")
        setattr(entity, self.state_attr, dst.value)
        session.flush()

    def _record(self, step: Step[S]) -> WorkflowEvent | None:
        t, key = step.transition, str(getattr(step.entity, self.id_attr))
        note = "；".join(x for x in (step.comment, *step.notes) if x) or None
        event = None
        if self.record_event is not None:
            self.record_event(step)
        else:
            event = WorkflowEvent(
                process=self.name,
                entity_id=key,
                from_state=t.source.value,
                to_state=t.target.value,
                action=t.action,
                actor=step.actor.username,
                role=str(step.actor.role.value),
                comment=note,
                at=step.at,
            )
            step.session.add(event)
        audit.record(
            step.session,
            actor=step.actor,
            action=t.action,
            entity=self.audit_entity,
            entity_id=key,
            before=step.before,
            after={**self._snap(step.entity), "意见": note},
        )
        step.session.flush()
        return event


def history(session: Session, process: Process[Any], entity_id: Any) -> list[WorkflowEvent]:
    """Every event of one entity of ``process``, oldest first."""
    from sqlalchemy import select

    stmt = (
        select(WorkflowEvent)
        .where(WorkflowEvent.process == process.name, WorkflowEvent.entity_id == str(entity_id))
        .order_by(WorkflowEvent.id)
    )
    return list(session.scalars(stmt))

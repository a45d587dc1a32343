"""Long operations run in a background thread of the worker; progress lives in ``web_tasks``.

A task function receives a ``Reporter`` and returns a JSON-able result. A ``ZhidaError``
ends the task as 失败 with its Chinese message and, for refused input, its row errors.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from zhida.db import session_scope
from zhida.errors import NotFound, PermissionDenied, ZhidaError
from zhida.roles import Actor, Role
from zhida.web.models import WebTask

log = logging.getLogger("zhida.web.tasks")
QUEUED, RUNNING, DONE, FAILED = "排队", "进行中", "完成", "失败"
MAX_STORED_ERRORS = 5000


class Reporter:
    """Writes progress at most a few times a second."""

    def __init__(self, engine: Engine, task_id: str):
        self.engine, self.task_id, self._last = engine, task_id, 0.0
        self.done = self.total = 0
        self.step_name = ""
        self.facts: dict[str, Any] = {}  # what the task is about (e.g. kind and file of an import), kept even on failure

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.3:
            return
        self._last = now
        with session_scope(self.engine) as s:
            task = _stored(s, self.task_id)
            task.step, task.done, task.total = self.step_name[:100], self.done, self.total

    def step(self, name: str) -> None:
        self.step_name = name
        self._save(force=True)

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._save(force=True)

    def advance(self, n: int) -> None:
        self.done += n
        # SQLite has one writer: the work being reported on holds the write lock while it
        # advances, so a progress row written from another connection would wait for it
        # (and time out). There the count is saved with the next step and at the end.
        if self.engine.dialect.name != "sqlite":
            self._save()


TaskFn = Callable[[Reporter], tuple[str, dict[str, Any]]]  # the work: (message, JSON-able result)


def _stored(session: Session, task_id: str) -> WebTask:
    """The task's row, written by ``start_task`` before the work began (NotFound if it was deleted)."""
    task = session.get(WebTask, task_id)
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在")
    return task


def _finish(engine: Engine, task_id: str, status: str, message: str, result: dict[str, Any] | None) -> None:
    with session_scope(engine) as s:
        task = _stored(s, task_id)
        task.status, task.message, task.result, task.finished_at = status, message, result, dt.datetime.now()
        if status == DONE and task.total:
            task.done = task.total


def _run(engine: Engine, task_id: str, fn: TaskFn) -> None:
    with session_scope(engine) as s:
        _stored(s, task_id).status = RUNNING
    rep = Reporter(engine, task_id)
    try:
        message, result = fn(rep)
    except ZhidaError as err:
        errors = [asdict(e) for e in getattr(err, "errors", [])[:MAX_STORED_ERRORS]]
        _finish(engine, task_id, FAILED, err.message,
                {**rep.facts, "errors": errors, "error_count": len(getattr(err, "errors", []))})
    except Exception:  # a task must end, whatever happened
        log.exception("task %s failed", task_id)
        _finish(engine, task_id, FAILED, "系统内部错误，已记录，请联系系统管理员", None)
    else:
        _finish(engine, task_id, DONE, message, result)


def start_task(engine: Engine, kind: str, title: str, actor: Actor,
               fn: TaskFn, wait: bool = False) -> str:
    """Record a task and run ``fn`` in a thread; ``wait`` runs it inline (tests, small jobs)."""
    task_id = uuid.uuid4().hex
    with session_scope(engine) as s:
        s.add(WebTask(id=task_id, kind=kind, title=title[:200], owner=actor.username, status=QUEUED,
                      done=0, total=0))
    if wait:
        _run(engine, task_id, fn)
    else:
        threading.Thread(target=_run, args=(engine, task_id, fn), daemon=True, name=f"task-{task_id[:8]}").start()
    return task_id


INTERRUPTED = "服务重启时任务被中断，未完成（未写入任何数据）：请重新上传文件"


def recover_interrupted(engine: Engine, uploads: Path | None = None) -> int:
    """At start-up: tasks left 排队/进行中 by a stopped server are marked 失败, their uploads removed.

    Imports write in one transaction, so an interrupted one left nothing behind but its file.
    Returns the number of tasks marked.
    """
    with session_scope(engine) as s:
        stale = s.scalars(select(WebTask).where(WebTask.status.in_((QUEUED, RUNNING)))).all()
        for task in stale:
            task.status, task.message, task.finished_at = FAILED, INTERRUPTED, dt.datetime.now()
    if uploads is not None and uploads.is_dir():
        for leftover in uploads.iterdir():
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
    return len(stale)


def get_task(session: Session, task_id: str, actor: Actor) -> WebTask:
    """A task its owner (or an administrator) may look at."""
    task = session.get(WebTask, task_id)
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在")
    if task.owner != actor.username and actor.role != Role.ADMIN:
        raise PermissionDenied("只能查看自己发起的任务")
    return task

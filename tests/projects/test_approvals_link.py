"""Approval cases shown on a project: through ``zhida.approvals.queries.cases_for_project``
when the approvals programme is installed, and nothing (None) when it is not."""

from __future__ import annotations

import importlib.machinery
import sys
import types

from tests.projects.conftest import OPERATOR
from zhida.db import session_scope
from zhida.projects.queries import approvals_cases, project_detail


def test_without_the_approvals_programme_nothing_is_shown(ledger_world, monkeypatch):
    monkeypatch.setitem(sys.modules, "zhida.approvals", None)  # what find_spec sees of a package not installed
    with session_scope(ledger_world.engine) as s:
        assert approvals_cases(s, "JK-001") is None
        assert project_detail(s, OPERATOR, ledger_world.a).approvals is None


def test_cases_come_from_the_approvals_read_model(ledger_world, monkeypatch):
    seen = []

    def cases_for_project(session, project_ref):
        seen.append(project_ref)
        return [{"name": "建设工程规划许可", "state": "办理中"}]

    package = types.ModuleType("zhida.approvals")
    package.__spec__ = importlib.machinery.ModuleSpec("zhida.approvals", None, is_package=True)
    package.__path__ = []
    queries = types.ModuleType("zhida.approvals.queries")
    queries.__spec__ = importlib.machinery.ModuleSpec("zhida.approvals.queries", None)
    queries.cases_for_project = cases_for_project
    monkeypatch.setitem(sys.modules, "zhida.approvals", package)
    monkeypatch.setitem(sys.modules, "zhida.approvals.queries", queries)
    with session_scope(ledger_world.engine) as s:
        detail = project_detail(s, OPERATOR, ledger_world.a)
    assert detail.approvals == [{"name": "建设工程规划许可", "state": "办理中"}] and seen == ["JK-001"]

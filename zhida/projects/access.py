"""Who sees and updates which project: the "3对1" responsibility chain as scopes.

- 系统管理员, 经办, 审核: every project;
- 领导 (帮包领导): the projects they hold (``leader_user``);
- 项目专班: the projects of the task forces they belong to or head; they update them;
- 责任部门: the projects they are the department or township/park of;
- 单位: the projects of their own enterprise (the "3对1" enterprise contact).
"""

from __future__ import annotations

from sqlalchemy import false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from zhida.errors import PermissionDenied
from zhida.projects.models import Project, TaskForce, TaskForceMember
from zhida.roles import Actor, Role, register_role

TASK_FORCE = register_role("taskforce", "项目专班")
DEPARTMENT = register_role("project_dept", "责任部门")
EVERYTHING = (Role.ADMIN, Role.OPERATOR, Role.REVIEWER)
PROJECT_ROLES = (*EVERYTHING, Role.LEADER, TASK_FORCE, DEPARTMENT, Role.UNIT)


def _task_forces_of(username: str):
    members = select(TaskForceMember.task_force).where(TaskForceMember.username == username)
    heads = select(TaskForce.name).where(TaskForce.head_user == username)
    return members.union(heads)


def visible(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on ``Project`` selecting what ``actor`` may see."""
    if actor.role in EVERYTHING:
        return true()
    if actor.role == Role.LEADER:
        return Project.leader_user == actor.username
    if actor.role == TASK_FORCE:
        return Project.task_force.in_(_task_forces_of(actor.username))
    if actor.role == DEPARTMENT:
        return or_(Project.dept_user == actor.username, Project.township_user == actor.username)
    if actor.role == Role.UNIT and actor.uscc:
        return or_(Project.uscc == actor.uscc, Project.contact_user == actor.username)
    return false()


def can_see(session: Session, actor: Actor, project: Project) -> bool:
    stmt = select(Project.id).where(Project.id == project.id, visible(actor))
    return session.scalar(stmt) is not None


def require_see(session: Session, actor: Actor, project: Project) -> None:
    """``PermissionDenied`` outside the actor's scope; the message names no detail of the project."""
    if not can_see(session, actor, project):
        raise PermissionDenied(f"用户 {actor.username} 不负责该项目，无权查看（帮包领导只看所包项目）")


def require_update(session: Session, actor: Actor, project: Project) -> None:
    """Reports and field values are updated by the project's task force (or 经办/管理员)."""
    if actor.role in (Role.ADMIN, Role.OPERATOR):
        return
    if actor.role == TASK_FORCE and project.task_force is not None:
        mine = set(session.scalars(_task_forces_of(actor.username)))
        if project.task_force in mine:
            return
    raise PermissionDenied(f"项目「{project.name}」由「{project.task_force or '未指定专班'}」更新，"
                           f"用户 {actor.username}（{actor.role.label}）无权更新")

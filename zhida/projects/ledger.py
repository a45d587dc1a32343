"""The ledger (台账): task forces, projects and their custom field values. Every change audited.

Amounts are integer fen; the pages and imports speak 万元 (``wan_to_fen``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import NotFound, ValidationFailed
from zhida.platform import audit
from zhida.projects import fields as declared
from zhida.projects.access import require_update
from zhida.projects.models import Project, ProjectFieldValue, TaskForce, TaskForceMember
from zhida.roles import Actor, Role

CATEGORIES = ("续建", "新开工", "竣工", "前期")
LEVELS = ("省重点", "市重点", "区重点")
STATUSES = ("未开工", "在建", "已竣工", "停缓建")
FEN_PER_WAN = 1_000_000


def wan_to_fen(value: str | Decimal | int) -> int:
    """万元 (at most 6 decimals) → integer fen.

    >>> wan_to_fen("647.4"), wan_to_fen(1)
    (647400000, 1000000)
    """
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(f"金额「{value}」不是数字（单位：万元）") from None
    fen = d * FEN_PER_WAN
    if not d.is_finite() or fen != fen.to_integral_value():
        raise ValidationFailed(f"金额「{value}」万元最多 6 位小数（精确到分）")
    return int(fen)


def fen_to_wan(fen: int) -> str:
    """Integer fen as exact 万元 text, for messages.

    >>> fen_to_wan(800_010_000), fen_to_wan(800_000_000), fen_to_wan(1)
    ('800.01', '800', '0.000001')
    """
    return format(Decimal(int(fen)).scaleb(-6).normalize(), "f")


@dataclass
class ProjectIn:
    """What creating a project needs. Money in fen; ``uscc`` looked up in the registry."""

    code: str
    name: str
    category: str
    level: str
    plan_year: int
    total_fen: int
    year_plan_fen: int
    uscc: str | None = None
    enterprise: str | None = None
    industry: str | None = None
    township: str | None = None
    ptype: str = "一般"
    status: str = "在建"
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    task_force: str | None = None
    leader_name: str | None = None
    leader_user: str | None = None
    leader_phone: str | None = None
    dept_name: str | None = None
    dept_user: str | None = None
    township_user: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_user: str | None = None
    lead_id: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def check_project(data: ProjectIn) -> None:
    """Refuse a project that breaks a rule of the ledger, naming the rule (Chinese)."""
    if data.category not in CATEGORIES:
        raise ValidationFailed(f"项目类别「{data.category}」不对：应为 {'、'.join(CATEGORIES)}")
    if data.level not in LEVELS:
        raise ValidationFailed(f"项目级别「{data.level}」不对：应为 {'、'.join(LEVELS)}")
    if data.status not in STATUSES:
        raise ValidationFailed(f"项目状态「{data.status}」不对：应为 {'、'.join(STATUSES)}")
    declared.check_type(data.ptype)
    if data.total_fen <= 0 or data.year_plan_fen < 0:
        raise ValidationFailed("总投资应大于 0，年度计划投资不能为负数")
    if data.year_plan_fen > data.total_fen:
        raise ValidationFailed("年度计划投资不能大于总投资")
    for a, b, what in ((data.planned_start, data.planned_end, "计划"), (data.actual_start, data.actual_end, "实际")):
        if a and b and b < a:
            raise ValidationFailed(f"{what}竣工日期 {b} 早于{what}开工日期 {a}")


def add_task_force(session: Session, actor: Actor, name: str, head_name: str | None = None,
                   head_user: str | None = None, members: Sequence[str] = ()) -> TaskForce:
    """Create (or update the head of) a task force (专班) and add its members."""
    actor.require(Role.OPERATOR, action="设立项目专班")
    tf = session.get(TaskForce, name) or TaskForce(name=name)
    tf.head_name, tf.head_user = head_name, head_user
    session.add(tf)
    session.flush()
    for m in members:
        if session.get(TaskForceMember, (name, m)) is None:
            session.add(TaskForceMember(task_force=name, username=m))
    audit.record(session, actor=actor, action="设立项目专班", entity="task_force", entity_id=name,
                 after={"负责人": head_name, "账号": head_user, "成员": list(members)})
    return tf


def create_project(session: Session, actor: Actor, data: ProjectIn) -> Project:
    """Add one project to the ledger; ``ValidationFailed`` for a broken rule, a duplicate code,
    an unknown task force or an enterprise not in the registry."""
    actor.require(Role.OPERATOR, action="新增重点项目")
    check_project(data)
    if session.scalar(select(Project.id).where(Project.code == data.code)) is not None:
        raise ValidationFailed(f"项目编号 {data.code} 已存在：一个编号只能登记一个项目")
    if data.task_force and session.get(TaskForce, data.task_force) is None:
        raise ValidationFailed(f"专班「{data.task_force}」未设立：请先设立专班")
    if data.uscc:
        from zhida.registry.service import get_unit

        unit = get_unit(session, data.uscc)
        data.uscc, data.enterprise = unit.uscc, unit.name  # the registry names the enterprise
    values = {k: v for k, v in asdict(data).items() if k != "extra"}
    project = Project(**values)
    session.add(project)
    session.flush()
    audit.record(session, actor=actor, action="新增重点项目", entity="project", entity_id=project.id, after=values)
    for name, raw in data.extra.items():
        set_field(session, actor, project, name, raw)
    return project


def get_project(session: Session, ref: int | str) -> Project:
    """A project by id or by code (项目编号)."""
    project = session.get(Project, ref) if isinstance(ref, int) else \
        session.scalar(select(Project).where(Project.code == str(ref)))
    if project is None:
        raise NotFound(f"项目 {ref} 不存在")
    return project


def set_field(session: Session, actor: Actor, project: Project, name: str, raw: str | Decimal) -> ProjectFieldValue:
    """Set a custom field, refused when the project's type does not declare it (e.g. an energy
    field on a non-energy project) or the value breaks its declaration."""
    require_update(session, actor, project)
    decl = declared.field_of(project.ptype, name)
    value = declared.check_value(decl, raw)
    row = session.get(ProjectFieldValue, (project.code, decl.code))
    before = None if row is None else str(row.value)
    if row is None:
        row = ProjectFieldValue(project_code=project.code, field=decl.code, value=value)
        session.add(row)
    row.value = value
    session.flush()
    audit.record(session, actor=actor, action="填写项目字段", entity="project", entity_id=project.id,
                 before={decl.header: before}, after={decl.header: str(value)})
    return row


def field_values(session: Session, code: str) -> dict[str, Decimal]:
    rows = session.scalars(select(ProjectFieldValue).where(ProjectFieldValue.project_code == code))
    return {r.field: r.value for r in rows}

"""The catalogue (事项), departments and their staff, office parameters.

Every change is audited with its real actor. A promised limit above the legal one is refused
(承诺时限不得超过法定时限); the legal limit of one agency may not exceed 20 working days, and of
joint handling 45 (行政许可法 §42) unless a law sets another (``basis`` then names it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.approvals import seed
from zhida.approvals.clocks import DEFAULT_YELLOW_SHARE, check_yellow_share
from zhida.approvals.models import Department, Matter, Setting, Staff
from zhida.errors import NotFound, PermissionDenied, ValidationFailed
from zhida.platform import audit
from zhida.roles import Actor, Role

SEP = "；"
STAFF_EDIT = (Role.OPERATOR, Role.LEADER)


def split(text: str | None) -> list[str]:
    """``a；b;c`` → ['a', 'b', 'c'] (full- or half-width separators, blanks dropped)."""
    return [p.strip() for p in (text or "").replace(";", SEP).replace("、", SEP).split(SEP) if p.strip()]


@dataclass
class MatterForm:
    """What staff type or import for one matter (limits in working days, fee in fen)."""

    code: str
    name: str
    legal_days: int
    promised_days: int
    departments: str
    stages: str
    main_materials: str
    secondary_materials: str | None = None
    instant: bool = False
    joint: bool = False
    site_inspection: bool = False
    expert_review: bool = False
    notify_promise: bool = False
    tolerance: bool = True
    fee_fen: int = 0
    basis: str | None = None
    local_parameter: bool = True


def check_matter(session: Session, f: MatterForm) -> None:
    """``ValidationFailed`` naming the rule for a matter that may not be saved."""
    if not f.code.strip() or not f.name.strip():
        raise ValidationFailed("事项编码和事项名称不能为空")
    if f.legal_days < 0 or f.promised_days < 0:
        raise ValidationFailed(f"事项 {f.code}：时限不能为负数")
    if f.promised_days > f.legal_days:
        raise ValidationFailed(f"事项 {f.code}：承诺时限 {f.promised_days} 个工作日超过法定时限 {f.legal_days} 个工作日"
                               "——承诺时限不得超过法定时限")
    cap = 45 if f.joint else 20
    if f.legal_days > cap and not (f.basis or "").strip():
        raise ValidationFailed(f"事项 {f.code}：法定时限 {f.legal_days} 个工作日超过行政许可法第42条的 {cap} 个工作日，"
                               "如另有法律规定请在「设定依据」中写明")
    if not split(f.main_materials):
        raise ValidationFailed(f"事项 {f.code}：至少要有一项主要材料")
    depts = split(f.departments)
    if not depts:
        raise ValidationFailed(f"事项 {f.code}：至少要有一个办理科室")
    known = set(session.scalars(select(Department.code)))
    unknown = [d for d in depts if d not in known]
    if unknown:
        raise ValidationFailed(f"事项 {f.code}：科室 {'、'.join(unknown)} 未登记，请先在科室中登记")
    if f.fee_fen < 0:
        raise ValidationFailed(f"事项 {f.code}：收费不能为负数")


def save_matter(session: Session, actor: Actor, f: MatterForm) -> Matter:
    """Create or update one matter (audited)."""
    actor.require(*STAFF_EDIT, action="维护审批事项")
    f.code = f.code.strip()
    check_matter(session, f)
    values = {k.name: getattr(f, k.name) for k in fields(f)}
    values["departments"] = SEP.join(split(f.departments))
    m = session.get(Matter, f.code)
    before = None if m is None else {k: getattr(m, k) for k in values}
    if m is None:
        m = Matter(**values)
        session.add(m)
    else:
        for k, v in values.items():
            setattr(m, k, v)
    session.flush()
    audit.record(session, actor=actor, action="维护审批事项", entity="appr_matter", entity_id=m.code,
                 before=before, after=values)
    return m


def get_matter(session: Session, code: str) -> Matter:
    m = session.get(Matter, code)
    if m is None:
        raise NotFound(f"审批事项 {code} 不存在")
    return m


def list_matters(session: Session) -> list[Matter]:
    return list(session.scalars(select(Matter).order_by(Matter.code)))


def save_department(session: Session, actor: Actor, code: str, name: str) -> Department:
    actor.require(Role.LEADER, action="维护科室")
    d = session.get(Department, code) or Department(code=code)
    d.name = name
    session.add(d)
    session.flush()
    audit.record(session, actor=actor, action="维护科室", entity="appr_department", entity_id=code, after={"名称": name})
    return d


def save_staff(session: Session, actor: Actor, username: str, name: str, department: str, *,
               is_head: bool = False, is_helper: bool = False, phone: str | None = None) -> Staff:
    """Put a console user in a department (audited)."""
    actor.require(Role.LEADER, action="维护科室人员")
    if session.get(Department, department) is None:
        raise ValidationFailed(f"科室 {department} 未登记")
    s = session.get(Staff, username) or Staff(username=username)
    s.name, s.department, s.is_head, s.is_helper, s.phone = name, department, is_head, is_helper, phone
    session.add(s)
    session.flush()
    audit.record(session, actor=actor, action="维护科室人员", entity="appr_staff", entity_id=username,
                 after={"姓名": name, "科室": department, "负责人": is_head, "帮办员": is_helper})
    return s


def staff_of(session: Session, username: str) -> Staff | None:
    return session.get(Staff, username)


def require_member(session: Session, actor: Actor, departments: list[str], what: str) -> Staff | None:
    """The actor's staff record if he belongs to one of ``departments``; else ``PermissionDenied``.

    The system administrator acts for any department.
    """
    s = session.get(Staff, actor.username)
    if actor.role == Role.ADMIN and (s is None or s.department not in departments):
        return s
    if s is None:
        raise PermissionDenied(f"{actor.username} 未登记所属科室，不能{what}")
    if s.department not in departments:
        raise PermissionDenied(f"{actor.username} 属于{s.department}，不是本件的办理科室（{'、'.join(departments)}）："
                               f"不能{what}——只能办理本科室的环节")
    return s


def yellow_share(session: Session) -> float:
    row = session.get(Setting, "yellow_share")
    return float(row.value) if row else DEFAULT_YELLOW_SHARE


def set_yellow_share(session: Session, actor: Actor, value: float) -> None:
    actor.require(Role.LEADER, action="设置预警比例")
    check_yellow_share(value)
    row = session.get(Setting, "yellow_share") or Setting(key="yellow_share", value="")
    before = row.value or None
    row.value = str(value)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="设置预警比例", entity="appr_setting", entity_id="yellow_share",
                 before=before, after=str(value))


def load_seed(session: Session, actor: Actor) -> int:
    """Departments and the seed matters (existing matters are left as staff edited them)."""
    for code, name in seed.DEPARTMENTS:
        if session.get(Department, code) is None:
            session.add(Department(code=code, name=name))
    session.flush()
    n = 0
    for row in seed.MATTERS:
        if session.get(Matter, row[0]) is None:
            (code, name, legal, promised, instant, joint, site, expert, promise, fee, depts, stages, main, second,
             basis, local) = row
            save_matter(session, actor, MatterForm(code, name, legal, promised, depts, stages, main, second, instant,
                                                   joint, site, expert, promise, True, fee, basis, local))
            n += 1
    return n

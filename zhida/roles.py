"""Who acts: roles and the actor passed to every service call that changes state.

Roles as a bureau runs them: 经办 (operator) prepares and executes, 审核 (reviewer) checks and
approves (a second person), 领导 (leader) reads everything and approves payment (待发放 → 发放中)
and nothing else, 系统管理员 (admin) manages accounts, a unit acts for itself in the portal.

The CLI acts as a named staff member (``--actor``, default the system administrator);
the web console builds an ``Actor`` from the logged-in account.

>>> Actor("zhangsan", Role.OPERATOR).can(Role.OPERATOR, Role.REVIEWER)
True
>>> Actor("lisi", Role.LEADER).can(Role.OPERATOR)
False
>>> Role.UNIT.label
'单位'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from zhida.errors import PermissionDenied


class Role(str, Enum):
    ADMIN = "admin"
    OPERATOR = "operator"
    REVIEWER = "reviewer"
    LEADER = "leader"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "系统管理员",
    Role.OPERATOR: "经办",
    Role.REVIEWER: "审核",
    Role.LEADER: "领导",
    Role.UNIT: "单位",
}
STAFF_ROLES = (Role.ADMIN, Role.OPERATOR, Role.REVIEWER, Role.LEADER)


class ProgrammeRole(str):
    """A role a programme adds (e.g. loans' 担保机构 and 银行): a code with a Chinese label.

    Declared by the programme with ``register_role`` — the ground module is not edited.
    Compares equal to its code, like the members of ``Role``.
    """

    label: str
    staff: bool

    def __new__(cls, code: str, label: str, staff: bool = True) -> ProgrammeRole:
        obj = super().__new__(cls, code)
        obj.label, obj.staff = label, staff
        return obj

    @property
    def value(self) -> str:
        return str(self)


_PROGRAMME_ROLES: dict[str, ProgrammeRole] = {}


def register_role(code: str, label: str, *, staff: bool = True) -> ProgrammeRole:
    """Declare a programme's role (idempotent). ``staff`` False for outside parties.

    >>> register_role("guarantor", "担保机构").label
    '担保机构'
    """
    if code in {r.value for r in Role}:
        raise ValueError(f"role {code!r} is a core role")
    role = _PROGRAMME_ROLES.get(code)
    if role is None or role.label != label:
        role = _PROGRAMME_ROLES[code] = ProgrammeRole(code, label, staff)
    return role


def role_of(code: str) -> Role | ProgrammeRole:
    """The role with this code or Chinese label (``ValueError`` when none).

    >>> role_of("经办") is Role.OPERATOR
    True
    """
    for r in Role:
        if code in (r.value, r.label):
            return r
    for pr in _PROGRAMME_ROLES.values():
        if code in (pr, pr.label):
            return pr
    raise ValueError(code)


@dataclass(frozen=True)
class Actor:
    username: str
    role: Role | ProgrammeRole
    uscc: str | None = None  # set for Role.UNIT: the only unit this actor may see

    def can(self, *roles: Role | ProgrammeRole | str) -> bool:
        return self.role == Role.ADMIN or self.role in roles

    def require(self, *roles: Role | ProgrammeRole | str, action: str = "此操作") -> None:
        if not self.can(*roles):
            allowed = "、".join(r.label if hasattr(r, "label") else role_of(r).label for r in roles)
            raise PermissionDenied(f"{action}需要{allowed}角色，当前用户 {self.username} 的角色是{self.role.label}")

    def require_unit(self, uscc: str) -> None:
        """A unit account may only see and act on its own unit."""
        if self.role == Role.UNIT and self.uscc != uscc:
            raise PermissionDenied("单位账号只能查看和办理本单位的事项")


SYSTEM = Actor("system", Role.ADMIN)

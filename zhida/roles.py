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


@dataclass(frozen=True)
class Actor:
    username: str
    role: Role
    uscc: str | None = None  # set for Role.UNIT: the only unit this actor may see

    def can(self, *roles: Role) -> bool:
        return self.role == Role.ADMIN or self.role in roles

    def require(self, *roles: Role, action: str = "此操作") -> None:
        if not self.can(*roles):
            allowed = "、".join(r.label for r in roles)
            raise PermissionDenied(f"{action}需要{allowed}角色，当前用户 {self.username} 的角色是{self.role.label}")

    def require_unit(self, uscc: str) -> None:
        """A unit account may only see and act on its own unit."""
        if self.role == Role.UNIT and self.uscc != uscc:
            raise PermissionDenied("单位账号只能查看和办理本单位的事项")


SYSTEM = Actor("system", Role.ADMIN)

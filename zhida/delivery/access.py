"""Who may act for a unit: staff for any unit, a unit account only for its own.

>>> from zhida.roles import Actor, Role
>>> require_for_unit(Actor("u1", Role.UNIT, "91371523MA00000011"), "91371523MA00000011", Role.OPERATOR,
...                  action="登记异议")
>>> require_for_unit(Actor("u1", Role.UNIT, "91371523MA00000011"), "91371523MA00000029", Role.OPERATOR,
...                  action="登记异议")
Traceback (most recent call last):
...
zhida.errors.PermissionDenied: 单位账号 u1 只能为本单位（91371523MA00000011）登记异议，不能为单位 91371523MA00000029 办理
>>> require_for_unit(Actor("w", Role.LEADER), "91371523MA00000029", Role.OPERATOR, action="登记异议")
Traceback (most recent call last):
...
zhida.errors.PermissionDenied: 登记异议需要经办、单位角色，当前用户 w 的角色是领导
"""

from __future__ import annotations

from zhida.errors import PermissionDenied
from zhida.roles import Actor, Role


def require_for_unit(actor: Actor, uscc: str, *staff: Role, action: str) -> None:
    """Allow ``staff`` roles (and the administrator) for any unit, and ``Role.UNIT`` for its own ``uscc``."""
    actor.require(*staff, Role.UNIT, action=action)
    if actor.role == Role.UNIT and actor.uscc != uscc:
        own = actor.uscc or "账号未绑定单位"
        raise PermissionDenied(f"单位账号 {actor.username} 只能为本单位（{own}）{action}，不能为单位 {uscc} 办理")

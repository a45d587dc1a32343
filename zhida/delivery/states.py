"""The states of a cycle and who may move it from one to the next.

草稿 → 审核 → 公示 → 确认期 → 待发放 → 发放中 → 已完成; 审核 may send it back to 草稿;
any state before 发放中 may end in 已撤销 (by 审核). 领导 reads everything and approves payment
(待发放 → 发放中) and nothing else.

>>> allowed("草稿", "审核").action
'提交审核'
>>> [t for (f, t) in TRANSITIONS if f == "确认期"]
['待发放', '已撤销']
>>> allowed("公示", "已完成")
Traceback (most recent call last):
...
zhida.errors.StateError: 发放批次不能从「公示」直接变为「已完成」：从「公示」只能变为 确认期、已撤销
"""

from __future__ import annotations

from dataclasses import dataclass

from zhida.errors import StateError
from zhida.roles import Role

STATES = ("草稿", "审核", "公示", "确认期", "待发放", "发放中", "已完成", "已撤销")
BEFORE_PAYMENT = ("草稿", "审核", "公示", "确认期", "待发放")
FINAL = ("已完成", "已撤销")


@dataclass(frozen=True)
class Transition:
    roles: tuple[Role, ...]
    action: str


TRANSITIONS: dict[tuple[str, str], Transition] = {
    ("草稿", "审核"): Transition((Role.OPERATOR,), "提交审核"),
    ("审核", "草稿"): Transition((Role.REVIEWER,), "退回修改"),
    ("审核", "公示"): Transition((Role.REVIEWER,), "审核通过并公示"),
    ("公示", "确认期"): Transition((Role.OPERATOR,), "公示期满，进入确认期并发送短信"),
    ("确认期", "待发放"): Transition((Role.OPERATOR,), "确认期满，生成发放名单"),
    ("待发放", "发放中"): Transition((Role.REVIEWER, Role.LEADER), "批准开始发放"),
    ("发放中", "已完成"): Transition((Role.OPERATOR, Role.REVIEWER), "发放完成"),
    **{(s, "已撤销"): Transition((Role.REVIEWER,), "撤销批次") for s in BEFORE_PAYMENT},
}

# the next state reached by a plain "advance"
NEXT = {"草稿": "审核", "审核": "公示", "公示": "确认期", "确认期": "待发放", "待发放": "发放中", "发放中": "已完成"}


def allowed(src: str, dst: str) -> Transition:
    if dst not in STATES:
        raise StateError(f"没有「{dst}」这个状态：状态应为 {'、'.join(STATES)}")
    t = TRANSITIONS.get((src, dst))
    if t is None:
        targets = [b for (a, b) in TRANSITIONS if a == src]
        where = "、".join(targets) if targets else "（已是最终状态）"
        raise StateError(f"发放批次不能从「{src}」直接变为「{dst}」：从「{src}」只能变为 {where}")
    return t

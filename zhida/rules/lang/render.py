"""Render an expression in Chinese for one unit, with the values it used.

``values`` maps every node of the expression to its value for that unit (rationals as
``Fraction``, missing as ``None``); an ``if`` shows only the branch that was taken.
"""

from __future__ import annotations

from collections.abc import Mapping

from zhida.rules.lang.display import show
from zhida.rules.lang.syntax import Binary, Bool, Call, If, In, Name, Neg, Node, Not, Num, SetLit, Str
from zhida.rules.lang.types import Symbol

OPS = {
    "+": "+",
    "-": "−",
    "*": "×",
    "/": "÷",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "==": "=",
    "!=": "≠",
    "and": "且",
    "or": "或",
}
PREC = {"or": 1, "and": 2, "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4, "+": 5, "-": 5, "*": 6, "/": 6}
FUNC_NAMES = {"min": "较小值", "max": "较大值", "abs": "绝对值", "coalesce": "取首个已知值", "known": "已知"}


class Renderer:
    def __init__(self, env: Mapping[str, Symbol], values: Mapping[Node, object]):
        self.env, self.values = env, values

    def __call__(self, node: Node) -> str:
        return self.render(node)

    def render(self, node: Node, parent_prec: int = 0) -> str:
        if isinstance(node, Num):
            return node.text
        if isinstance(node, Str):
            return f"「{node.value}」"
        if isinstance(node, Bool):
            return "是" if node.value else "否"
        if isinstance(node, SetLit):
            return "{" + "、".join(node.items) + "}"
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Neg):
            return "−" + self.render(node.operand, 9)
        if isinstance(node, Not):
            return f"并非（{self.render(node.operand)}）"
        if isinstance(node, In):
            verb = "不属于" if node.negate else "属于"
            return f"{self.render(node.item, 4)} {verb} {self.render(node.set, 4)}"
        if isinstance(node, If):
            return self.branch(node, parent_prec)
        if isinstance(node, Call):
            return self.call(node)
        assert isinstance(node, Binary)
        prec = PREC[node.op]
        right_prec = prec + 1 if node.op in ("-", "/") else prec
        text = f"{self.render(node.left, prec)} {OPS[node.op]} {self.render(node.right, right_prec)}"
        return f"({text})" if prec < parent_prec else text

    def name(self, node: Name) -> str:
        sym = self.env[node.name]
        value = show(self.values.get(node), sym.unit)
        if sym.kind == "param":
            return f"（{sym.label}：{value}）" if sym.type == "bool" else value
        return f"{sym.label} {value}"

    def branch(self, node: If, parent_prec: int) -> str:
        cond = self.values.get(node.cond)
        if cond is None:
            return f"（无法判定：{self.render(node.cond)}）"
        return self.render(node.then if cond else node.other, parent_prec)

    def call(self, node: Call) -> str:
        if node.func == "coalesce":
            for arg in node.args:
                if self.values.get(arg) is not None:
                    return self.render(arg)
            return self.render(node.args[-1])
        inner = "，".join(self.render(a) for a in node.args)
        return f"{FUNC_NAMES[node.func]}（{inner}）"


def render(node: Node, env: Mapping[str, Symbol], values: Mapping[Node, object]) -> str:
    return Renderer(env, values).render(node)


def live_nodes(node: Node, values: Mapping[Node, object]):
    """``node`` and its descendants, skipping the branch of an ``if`` not taken."""
    yield node
    if isinstance(node, If):
        yield from live_nodes(node.cond, values)
        cond = values.get(node.cond)
        branches = (node.then, node.other) if cond is None else ((node.then,) if cond else (node.other,))
        for b in branches:
            yield from live_nodes(b, values)
        return
    for child in node.children():
        yield from live_nodes(child, values)

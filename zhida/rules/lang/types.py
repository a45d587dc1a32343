"""Symbols and the type checker.

Types: ``number`` (exact rational), ``money`` (exact, in fen), ``bool``, ``text``, ``set``
(a constant set of texts).

>>> env = {"paid": Symbol("paid", "field", "money", "实缴"), "r": Symbol("r", "param", "number", "比例")}
>>> check(parse("paid * r"), env)
'money'
>>> check(parse("paid > r"), env)
Traceback (most recent call last):
...
zhida.rules.lang.syntax.ParseError: 不能比较金额与数值（实缴 > 比例）
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from zhida.rules.lang.syntax import (
    ARITH,
    COMPARE,
    LOGIC,
    Binary,
    Bool,
    Call,
    If,
    In,
    Name,
    Neg,
    Node,
    Not,
    Num,
    ParseError,
    SetLit,
    Str,
    parse,
)

TYPE_NAMES = {"number": "数值", "money": "金额", "bool": "是/否", "text": "文字", "set": "集合"}
NUMERIC = ("number", "money")


@dataclass(frozen=True)
class Symbol:
    """A name an expression may use.

    ``kind`` is field (input data), var (derived variable) or param (parameter);
    ``unit`` is how values are shown: percent, yuan, wan, person, month, count, plain.
    ``scale``: a number field stored as an integer of 10**-scale units.
    """

    name: str
    kind: str
    type: str
    label: str
    unit: str = "plain"
    scale: int = 0


def label_of(node: Node, env: Mapping[str, Symbol]) -> str:
    if isinstance(node, Name) and node.name in env:
        return env[node.name].label
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Str):
        return f'"{node.value}"'
    return "表达式"


class Checker:
    def __init__(self, env: Mapping[str, Symbol]):
        self.env = env
        self.types: dict[Node, str] = {}

    def check(self, node: Node) -> str:
        t = self._check(node)
        self.types[node] = t
        return t

    def _check(self, node: Node) -> str:
        if isinstance(node, Num):
            return "number"
        if isinstance(node, Str):
            return "text"
        if isinstance(node, Bool):
            return "bool"
        if isinstance(node, SetLit):
            return "set"
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Neg):
            return self.need(node.operand, NUMERIC, "取负")
        if isinstance(node, Not):
            return self.need(node.operand, ("bool",), "not")
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, In):
            self.need(node.item, ("text",), "in 的左边")
            self.need(node.set, ("set",), "in 的右边")
            return "bool"
        if isinstance(node, If):
            self.need(node.cond, ("bool",), "if 的条件")
            a, b = self.check(node.then), self.check(node.other)
            if a != b:
                raise ParseError(f"if 的两个分支类型不同：then 是{TYPE_NAMES[a]}，else 是{TYPE_NAMES[b]}", node.pos)
            return a
        if isinstance(node, Call):
            return self.call(node)
        raise ParseError("无法识别的表达式", getattr(node, "pos", 0))  # pragma: no cover

    def name(self, node: Name) -> str:
        sym = self.env.get(node.name)
        if sym is None:
            raise ParseError(f"未知字段 {node.name}", node.pos, suggest(node.name, self.env))
        return sym.type

    def need(self, node: Node, allowed: tuple[str, ...], what: str) -> str:
        t = self.check(node)
        if t not in allowed:
            want = "或".join(TYPE_NAMES[a] for a in allowed)
            raise ParseError(f"{what}应为{want}，{label_of(node, self.env)} 是{TYPE_NAMES[t]}", node.pos)
        return t

    def binary(self, node: Binary) -> str:
        op = node.op
        if op in LOGIC:
            self.need(node.left, ("bool",), op)
            self.need(node.right, ("bool",), op)
            return "bool"
        a, b = self.check(node.left), self.check(node.right)
        pair = f"（{label_of(node.left, self.env)} {op} {label_of(node.right, self.env)}）"
        if op in COMPARE:
            if {a, b} == {"money", "number"} and any(_is_zero(n) for n in (node.left, node.right)):
                return "bool"  # money compared with a literal 0
            if a != b:
                raise ParseError(f"不能比较{TYPE_NAMES[a]}与{TYPE_NAMES[b]}{pair}", node.pos)
            if a in ("set",) or (a in ("text", "bool") and op not in ("==", "!=")):
                raise ParseError(f"{TYPE_NAMES[a]}只能用 == 或 != 比较{pair}", node.pos)
            return "bool"
        assert op in ARITH
        if a not in NUMERIC or b not in NUMERIC:
            raise ParseError(f"算术运算只能用于数值或金额{pair}", node.pos)
        result = arith_type(op, a, b)
        if result is None:
            raise ParseError(
                f"不能计算{TYPE_NAMES[a]} {op} {TYPE_NAMES[b]}{pair}",
                node.pos,
                "金额只能与数值相乘，金额之间只能相加、相减或相除",
            )
        return result

    def call(self, node: Call) -> str:
        f, args = node.func, node.args
        if f not in FUNCTIONS:
            raise ParseError(f"未知函数 {f}", node.pos, suggest(f, FUNCTIONS))
        lo, hi = FUNCTIONS[f]
        if not lo <= len(args) <= hi:
            wanted = f"{lo}{'' if lo == hi else '个或更多'}"
            raise ParseError(f"函数 {f} 需要 {wanted} 个参数，实际 {len(args)} 个", node.pos)
        if f == "known":
            self.check(args[0])
            return "bool"
        types = [self.check(a) for a in args]
        if f in ("min", "max", "abs") and types[0] not in NUMERIC:
            raise ParseError(f"函数 {f} 只能用于数值或金额", node.pos)
        if len(set(types)) != 1:
            raise ParseError(f"函数 {f} 的参数类型不一致：{'、'.join(TYPE_NAMES[t] for t in types)}", node.pos)
        return types[0]


def _is_zero(node: Node) -> bool:
    return isinstance(node, Num) and node.value == 0


FUNCTIONS = {"min": (2, 9), "max": (2, 9), "abs": (1, 1), "coalesce": (2, 9), "known": (1, 1)}


def arith_type(op: str, a: str, b: str) -> str | None:
    if a == b == "number":
        return "number"
    if op in "+-":
        return a if a == b else None
    if op == "*":
        return "money" if "number" in (a, b) else None
    # division
    if a == "money":
        return "money" if b == "number" else "number"
    return None


def suggest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    if close:
        return f"您是不是要写 {close[0]}？"
    return "可用的名称：" + "、".join(sorted(choices)[:12])


def check(node: Node, env: Mapping[str, Symbol]) -> str:
    """Type-check ``node``; return its type or raise ParseError."""
    return Checker(env).check(node)


__all__ = ["TYPE_NAMES", "Checker", "Symbol", "check", "parse"]

"""Tokenizer, syntax tree and recursive-descent parser of policy expressions.

>>> parse("a + b")
Binary(op='+', left=Name(name='a', pos=0), right=Name(name='b', pos=4), pos=2)
>>> parse("a + 2 * b").right          # * binds tighter than +
Binary(op='*', left=Num(value=Decimal('2'), text='2', pos=4), right=Name(name='b', pos=8), pos=6)
>>> parse("5.5%").value
Decimal('0.055')
>>> parse("x <= 1 and not y in {\\"a\\", \\"b\\"}").op
'and'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


class ParseError(Exception):
    """A syntax or type error at character ``pos`` of an expression."""

    def __init__(self, message: str, pos: int = 0, hint: str = ""):
        super().__init__(message)
        self.message, self.pos, self.hint = message, pos, hint


@dataclass(frozen=True, eq=False)
class Node:
    @property
    def pos(self) -> int:
        """Offset of the node in the source text (every node kind stores it as its last field)."""
        raise NotImplementedError

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, eq=False)
class Num(Node):
    value: Decimal
    text: str
    pos: int = 0


@dataclass(frozen=True, eq=False)
class Str(Node):
    value: str
    pos: int = 0


@dataclass(frozen=True, eq=False)
class Bool(Node):
    value: bool
    pos: int = 0


@dataclass(frozen=True, eq=False)
class Name(Node):
    name: str
    pos: int = 0


@dataclass(frozen=True, eq=False)
class SetLit(Node):
    items: tuple[str, ...]
    pos: int = 0


@dataclass(frozen=True, eq=False)
class Neg(Node):
    operand: Node
    pos: int = 0

    def children(self):
        return (self.operand,)


@dataclass(frozen=True, eq=False)
class Not(Node):
    operand: Node
    pos: int = 0

    def children(self):
        return (self.operand,)


@dataclass(frozen=True, eq=False)
class Binary(Node):
    """Arithmetic (+ - * /), comparison (< <= > >= == !=) or logic (and, or)."""

    op: str
    left: Node
    right: Node
    pos: int = 0

    def children(self):
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class In(Node):
    item: Node
    set: Node
    negate: bool = False
    pos: int = 0

    def children(self):
        return (self.item, self.set)


@dataclass(frozen=True, eq=False)
class If(Node):
    cond: Node
    then: Node
    other: Node
    pos: int = 0

    def children(self):
        return (self.cond, self.then, self.other)


@dataclass(frozen=True, eq=False)
class Call(Node):
    func: str
    args: tuple[Node, ...]
    pos: int = 0

    def children(self):
        return self.args


ARITH = {"+", "-", "*", "/"}
COMPARE = {"<", "<=", ">", ">=", "==", "!="}
LOGIC = {"and", "or"}
KEYWORDS = {"and", "or", "not", "in", "if", "then", "else", "true", "false"}
# Chinese and typographic operator spellings accepted as written in policy documents
ALIASES = {"≤": "<=", "≥": ">=", "≠": "!=", "×": "*", "÷": "/", "−": "-", "（": "(", "）": ")", "，": ","}

TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d+)?%?)
    | (?P<str>"[^"]*"|'[^']*'|「[^」]*」)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<op><=|>=|==|!=|[-+*/<>(),{}]|[≤≥≠×÷−（），])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, name, op, kw, end
    text: str
    pos: int


def tokenize(src: str) -> list[Token]:
    """Split ``src`` into tokens; raise ParseError at the first character that fits none."""
    out, i = [], 0
    while i < len(src):
        if src[i:].strip() == "":
            break
        m = TOKEN.match(src, i)
        if not m or m.end() == i or m.lastgroup is None:
            j = i + len(src[i:]) - len(src[i:].lstrip())
            raise ParseError(f"无法识别的字符「{src[j]}」", j, '表达式只能包含字段名、数字、"文字"、运算符和括号')
        kind = m.lastgroup
        text = m.group(kind)
        pos = m.start(kind)
        if kind == "op":
            text = ALIASES.get(text, text)
        if kind == "name" and text in KEYWORDS:
            kind = "kw"
        out.append(Token(kind, text, pos))
        i = m.end()
    out.append(Token("end", "", len(src)))
    return out


class Parser:
    def __init__(self, src: str):
        self.src = src
        self.toks = tokenize(src)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def take(self) -> Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def accept(self, text: str) -> Token | None:
        if self.tok.text == text and self.tok.kind in ("op", "kw"):
            return self.take()
        return None

    def expect(self, text: str) -> Token:
        t = self.accept(text)
        if t is None:
            got = self.tok.text or "表达式结尾"
            raise ParseError(f"此处应为「{text}」，实际是「{got}」", self.tok.pos)
        return t

    def parse(self) -> Node:
        node = self.expr()
        if self.tok.kind != "end":
            hint = "两个值之间是否缺少运算符（and、or、+ …）？"
            raise ParseError(f"多余的内容「{self.tok.text}」", self.tok.pos, hint)
        return node

    def expr(self) -> Node:
        if (t := self.accept("if")) is not None:
            cond = self.expr()
            self.expect("then")
            then = self.expr()
            self.expect("else")
            return If(cond, then, self.expr(), t.pos)
        return self.logic("or", lambda: self.logic("and", self.negation))

    def logic(self, op: str, sub) -> Node:
        node = sub()
        while (t := self.accept(op)) is not None:
            node = Binary(op, node, sub(), t.pos)
        return node

    def negation(self) -> Node:
        if self.tok.text == "not" and self.toks[self.i + 1].text != "in":
            t = self.take()
            return Not(self.negation(), t.pos)
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        if self.tok.kind == "op" and self.tok.text in COMPARE:
            t = self.take()
            return Binary(t.text, left, self.sum(), t.pos)
        if self.tok.text == "not" and self.toks[self.i + 1].text == "in":
            t = self.take()
            self.take()
            return In(left, self.atom(), True, t.pos)
        if (t_in := self.accept("in")) is not None:
            return In(left, self.atom(), False, t_in.pos)
        return left

    def sum(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            t = self.take()
            node = Binary(t.text, node, self.term(), t.pos)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            t = self.take()
            node = Binary(t.text, node, self.unary(), t.pos)
        return node

    def unary(self) -> Node:
        if (t := self.accept("-")) is not None:
            return Neg(self.unary(), t.pos)
        return self.atom()

    def atom(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.take()
            if t.text.endswith("%"):
                return Num(Decimal(t.text[:-1]) / 100, t.text, t.pos)
            return Num(Decimal(t.text), t.text, t.pos)
        if t.kind == "str":
            self.take()
            return Str(t.text[1:-1], t.pos)
        if t.kind == "kw" and t.text in ("true", "false"):
            self.take()
            return Bool(t.text == "true", t.pos)
        if t.kind == "name":
            self.take()
            if self.accept("("):
                args = [] if self.tok.text == ")" else self.arguments()
                self.expect(")")
                return Call(t.text, tuple(args), t.pos)
            return Name(t.text, t.pos)
        if self.accept("("):
            node = self.expr()
            self.expect(")")
            return node
        if self.accept("{"):
            return self.set_literal(t.pos)
        raise ParseError(f"此处应为一个值，实际是「{t.text or '表达式结尾'}」", t.pos)

    def arguments(self) -> list[Node]:
        args = [self.expr()]
        while self.accept(","):
            args.append(self.expr())
        return args

    def set_literal(self, pos: int) -> SetLit:
        items = []
        while True:
            t = self.take()
            if t.kind != "str":
                raise ParseError("集合 {…} 中只能写加引号的文字", t.pos, '例如 {"机关事业单位", "僵尸企业"}')
            items.append(t.text[1:-1])
            if self.accept("}"):
                return SetLit(tuple(items), pos)
            self.expect(",")


def parse(src: str) -> Node:
    """Parse one expression into its syntax tree."""
    return Parser(str(src)).parse()


def walk(node: Node):
    """Yield ``node`` and all its descendants, parents first."""
    yield node
    for child in node.children():
        yield from walk(child)

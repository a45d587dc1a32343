"""Explain one unit's decision in Chinese, from a one-row evaluation of the same rules.

Every node of every expression is compiled as a column over the unit's row, so the
values shown are the values the vectorised evaluation used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import polars as pl

from zhida.money import format_yuan
from zhida.rules.evaluate import ELIGIBLE, INELIGIBLE, Evaluation, Plan, rule_col
from zhida.rules.lang.compile import Compiler, Plain, Rat
from zhida.rules.lang.display import show
from zhida.rules.lang.render import Renderer, live_nodes
from zhida.rules.lang.syntax import Name, Node, walk
from zhida.rules.period import Period
from zhida.rules.reasons import Values, unit_reasons
from zhida.rules.zeros import zero_text


@dataclass
class Explanation:
    uscc: str
    name: str
    status: str
    amount_fen: int
    reasons: list[dict]
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines)


def node_values(ev: Evaluation, row_frame: pl.DataFrame) -> dict[Node, object]:
    """Value of every node of every expression of the policy, for the single row."""
    policy = ev.policy
    plan = Plan(policy, ev.params, dict(ev.var_dens))
    compiler = Compiler(plan.resolve)
    roots = [v.node for v in policy.variables.values()] + [r.node for r in policy.rules] + [policy.amount.node]
    nodes = [n for root in roots for n in walk(root)]
    exprs, readers = [], {}
    for i, node in enumerate(nodes):
        value = compiler.compile(node)
        if isinstance(value, Rat):
            exprs += [value.num.alias(f"{i}n"), (pl.lit(value.den) if isinstance(value.den, int) else value.den)
                      .cast(pl.Int128).alias(f"{i}d")]
            readers[node] = ("rat", i)
        elif isinstance(value, Plain):
            exprs.append(value.expr.alias(f"{i}"))
            readers[node] = ("plain", i)
        else:
            readers[node] = ("const", value)
    row = row_frame.select(exprs).row(0, named=True) if exprs else {}
    out: dict[Node, object] = {}
    for node, (kind, ref) in readers.items():
        if kind == "rat":
            num, den = row[f"{ref}n"], row[f"{ref}d"]
            out[node] = None if num is None or not den else Fraction(num, den)
        else:
            out[node] = row[str(ref)] if kind == "plain" else ref
    return out


def explain_row(ev: Evaluation, uscc: str, period: Period, as_of) -> Explanation:
    """The explanation of the unit ``uscc`` (its row must be in ``ev.frame``)."""
    frame = ev.frame.filter(pl.col(ev.key) == uscc).head(1)
    row = frame.row(0, named=True)
    values = node_values(ev, frame)
    vals = Values(ev)
    reasons = unit_reasons(vals, row)
    ex = Explanation(uscc, row[ev.title], row["status"], int(row["amount_fen"]), reasons)
    ex.lines = Lines(ev, values, row, reasons, vals).build(period, as_of)
    return ex


class Lines:
    def __init__(self, ev: Evaluation, values: dict, row: dict, reasons: list[dict], vals: Values | None = None):
        self.ev, self.policy, self.values, self.row, self.reasons = ev, ev.policy, values, row, reasons
        self.vals = vals or Values(ev)
        self.render = Renderer(self.policy.env, values)

    def build(self, period: Period, as_of) -> list[str]:
        p = self.policy
        lines = [f"{p.name}（{p.id}）{period.chinese()}：{self.row[self.ev.title]}（{self.row[self.ev.key]}）",
                 "政策依据：" + "；".join(b.doc_no for b in p.legal_basis),
                 judging_date(p, period, as_of), "参数："]
        lines += [f"  {line}" for line in self.parameters()]
        live = self.live_names()
        shown = [v for v in p.variables.values() if v.name in live]
        if shown:
            lines.append("计算：")
            for v in shown:
                value, text = show(self.values.get(v.node), v.unit), self.render(v.node)
                lines.append(f"  {v.label} = {value}" if value in (text, text.split(" ")[-1]) else
                             f"  {v.label} = {text} = {value}")
        lines += self.rule_lines()
        lines.append(self.conclusion())
        return lines

    def live_names(self) -> set[str]:
        roots = [r.node for r in self.policy.rules] + [self.policy.amount.node]
        names: set[str] = set()
        todo = list(roots)
        while todo:
            for n in live_nodes(todo.pop(), self.values):
                if isinstance(n, Name) and n.name not in names:
                    names.add(n.name)
                    if n.name in self.policy.variables:
                        todo.append(self.policy.variables[n.name].node)
        return names

    def parameters(self) -> list[str]:
        out = []
        live = self.live_names()
        for name, dated in self.ev.params.items():
            if name not in live:
                continue
            p = self.policy.parameters[name]
            ref = f"，{dated.reference}" if dated.reference else ""
            out.append(f"{p.description} {show(dated.value, p.unit)}（自 {dated.effective} 起{ref}）")
        return out

    def rule_lines(self) -> list[str]:
        out = []
        for title, kind in (("条件：", "condition"), ("排除情形：", "exclusion")):
            rules = [r for r in self.policy.rules if r.kind == kind]
            if rules:
                out.append(title)
            for r, rs in zip(self.policy.rules, self.reasons):
                if r.kind != kind:
                    continue
                out.append(f"  {r.description}：{self.render(r.node)}：{self.verdict(r, rs)}")
        return out

    def verdict(self, rule, rs: dict) -> str:
        hit = self.row[rule_col(rule)]
        if hit is None:
            return "无法判定（" + self.undecided(rule, rs) + "）"
        if rule.kind == "condition":
            return "符合" if hit else "不符合"
        return "是，排除" if hit else "否"

    def undecided(self, rule, rs: dict) -> str:
        """Why ``rule`` (``None``: the amount) could not be decided: missing fields, zero divisors."""
        parts = ["缺少：" + "、".join(rs["missing"])] if rs.get("missing") else []
        zeros = self.vals.zeros(rule, self.row)
        if zeros:
            parts.append(zero_text(zeros))
        return "；".join(parts) or "缺少：计算所需数据"

    def conclusion(self) -> str:
        status, amount = self.row["status"], self.policy.amount
        if status == ELIGIBLE:
            return f"结论：符合。{amount.label} = {self.render(amount.node)} = {format_yuan(self.row['amount_fen'])} 元"
        if status == INELIGIBLE:
            failed = [r.description for r, rs in zip(self.policy.rules, self.reasons) if rs["passed"] is False]
            return f"结论：不符合（{'；'.join(failed)}），{amount.label} 0.00 元"
        missing = sorted({m for rs in self.reasons for m in rs.get("missing", [])})
        rules = [r for r, rs in zip(self.policy.rules, self.reasons) if rs["passed"] is None]
        zeros = {d.name: d for r in [*rules, None] for d in self.vals.zeros(r, self.row)}
        parts = [f"缺少数据：{'、'.join(missing)}"] if missing else []
        parts += [zero_text(list(zeros.values()))] if zeros else []
        return f"结论：待定，{'；'.join(parts) or '缺少数据：计算所需数据'}；补齐或核实后重新计算"


def judging_date(policy, period: Period, as_of) -> str:
    """The line stating what ``--as-of`` decides — only what really depends on it.

    Credit-list entries are judged at ``as_of``; arrears are the year-end 欠费金额 of the
    payment year the policy reads, whatever ``as_of`` is.
    """
    notes = []
    if "credit_entries" in policy.sources:
        notes.append("信用名单按此日判定")
    source = policy.sources.get("ui_payments")
    if source is not None and "arrears" in _fields_used(policy):
        notes.append(f"欠费按 {period.year + source.year_offset} 年末欠费金额判定")
    return f"判定日期：{as_of}" + (f"（{'；'.join(notes)}）" if notes else "")


def _fields_used(policy) -> set[str]:
    roots = [r.node for r in policy.rules] + [policy.amount.node]
    return {f for root in roots for f in policy.fields_behind(root)}

"""Eligibility of loan applications (贷款申请资格审查), declared as dated, cited rules.

Each ``Rule`` is one condition with its Chinese title, the parameters it uses (each dated
and cited in ``parameters.yaml``), a column expression over all applications at once and a
sentence rendering the values one application was judged on. A rule gives True (满足),
False (不满足) or null (尚无数据, e.g. no credit check imported yet; 不适用 when the rule does
not concern that kind of applicant is True). ``evaluate`` takes the input frame built by
``zhida.loans.inputs`` and returns one column per rule plus ``status``; ``explain`` renders
one row in Chinese, like the refund's explanation.

Statuses: 符合 (every rule True), 不符合 (some rule False), 待补充 (none False, some unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from zhida.loans import params
from zhida.loans.rates import BP, format_rate
from zhida.money import format_yuan

INDIVIDUAL, ENTERPRISE, PARTNERSHIP = "个人", "小微企业", "合伙"
ELIGIBLE, INELIGIBLE, PENDING = "符合", "不符合", "待补充"
PARAM_KEYS = ("cap.individual", "cap.enterprise", "cap.partnership_ratio", "term.individual_months",
              "term.enterprise_months", "loans.max_count", "age.min", "graduate.years", "hire.ratio_small",
              "hire.ratio_large", "hire.staff_threshold", "credit.consumer_max", "rate.cap_margin_bp")
SCALE = 10_000  # ratios as integers of 10⁻⁴


def param_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """The parameters in force on each application's submission day, in its region, as columns."""
    keys = frame.select("submitted_on", "region").unique()
    rows = []
    for day, region in keys.iter_rows():
        row = {"submitted_on": day, "region": region}
        for k in PARAM_KEYS:
            v = params.value(k, day, region)
            if k.startswith(("cap.individual", "cap.enterprise", "credit")):
                v = int(Decimal(v) * 100)
            elif isinstance(v, Decimal):
                v = int(v * SCALE)
            row["p_" + k.replace(".", "_")] = int(v)
        row["p_groups"] = list(params.value("groups", day, region))
        rows.append(row)
    table = pl.DataFrame(rows, schema_overrides={"submitted_on": pl.Date})
    return frame.join(table, on=["submitted_on", "region"], how="left")


C = pl.col


def _is(kind: str) -> pl.Expr:
    return C("kind") == kind


def _personal() -> pl.Expr:
    return C("kind") != ENTERPRISE


def _cap() -> pl.Expr:
    partner = pl.min_horizontal(C("partners") * C("p_cap_individual") * C("p_cap_partnership_ratio") // SCALE,
                                C("p_cap_enterprise"))
    return pl.when(_is(INDIVIDUAL)).then(C("p_cap_individual")).when(_is(ENTERPRISE)).then(
        C("p_cap_enterprise")).otherwise(partner)


def _term() -> pl.Expr:
    return pl.when(_is(ENTERPRISE)).then(C("p_term_enterprise_months")).otherwise(C("p_term_individual_months"))


def _hire_ratio() -> pl.Expr:
    return pl.when(C("staff") > C("p_hire_staff_threshold")).then(C("p_hire_ratio_large")).otherwise(C("p_hire_ratio_small"))


def _na(applies: pl.Expr, check: pl.Expr) -> pl.Expr:
    return pl.when(~applies).then(pl.lit(True)).otherwise(check)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    params: tuple[str, ...]
    expr: Callable[[], pl.Expr]
    text: Callable[[dict], str]
    pick: Callable[[dict], tuple[str, ...]] | None = None  # the parameters that bind for this row

    def cite(self, row: dict) -> str:
        keys = self.pick(row) if self.pick else self.params
        return "；".join(dict.fromkeys(params.parameter(k).cite() for k in keys))


def _wan(fen: int | None) -> str:
    return "—" if fen is None else f"{format_yuan(fen)} 元"


RULES: tuple[Rule, ...] = (
    Rule("group", "扶持对象", ("groups",),
         lambda: _na(_personal(), (C("groups").list.len() > 0)
                     & (C("groups").list.set_difference(C("p_groups")).list.len() == 0)),
         lambda r: f"人员类别 {'、'.join(r['groups'] or ['未填'])}，扶持对象为 {'、'.join(r['p_groups'])}"),
    Rule("graduate", "高校毕业生毕业年限", ("graduate.years",),
         lambda: _na(_personal() & C("graduate_on").is_not_null(),
                     C("submitted_on") <= C("graduate_on").dt.offset_by(C("p_graduate_years").cast(pl.Utf8) + "y")),
         lambda r: (f"毕业于 {r['graduate_on']}，申请日 {r['submitted_on']}，须在毕业 {r['p_graduate_years']} 年内"
                    if r["graduate_on"] else "不是高校毕业生，不适用")),
    Rule("age_min", "最低年龄", ("age.min",),
         lambda: _na(_personal(), C("age") >= C("p_age_min")),
         lambda r: f"申请时 {r['age']} 周岁，应满 {r['p_age_min']} 周岁" if r["age"] is not None else "不适用"),
    Rule("age_max", "贷款期内不超过法定退休年龄", ("retire.male", "retire.female"),
         lambda: _na(_personal(), C("maturity") <= C("retire_on")),
         lambda r: (f"贷款到期日 {r['maturity']}，法定退休日 {r['retire_on']}" if r["retire_on"] else "不适用")),
    Rule("hires", "小微企业新招用人员比例", ("hire.ratio_small", "hire.ratio_large", "hire.staff_threshold"),
         lambda: _na(_is(ENTERPRISE), C("new_hires") * SCALE >= _hire_ratio() * C("staff")),
         lambda r: (f"在职职工 {r['staff']} 人（{'超过' if (r['staff'] or 0) > r['p_hire_staff_threshold'] else '不超过'} "
                    f"{r['p_hire_staff_threshold']} 人，比例应不低于 {r['_ratio'] / 100:g}%），近 12 个月新招用符合条件人员 "
                    f"{r['new_hires']} 人" if r["kind"] == ENTERPRISE else "不是小微企业，不适用")),
    Rule("credit", "征信条件（借款人及配偶）", ("credit.consumer_max",),
         lambda: pl.when(~C("credit_known")).then(pl.lit(None, pl.Boolean)).otherwise(
             (C("other_loans_fen") == 0) & (C("consumer_fen") <= C("p_credit_consumer_max")) & ~C("bad_record")),
         lambda r: ("尚未导入征信查询结果" if not r["credit_known"] else
                    f"除豁免类贷款外的其他贷款余额 {_wan(r['other_loans_fen'])}（应为 0），消费贷款（含信用卡）余额 "
                    f"{_wan(r['consumer_fen'])}（应不超过 {_wan(r['p_credit_consumer_max'])}），"
                    f"不良记录：{'有' if r['bad_record'] else '无'}")),
    Rule("count", "累计贷款次数", ("loans.max_count",),
         lambda: C("loans_before") < C("p_loans_max_count"),
         lambda r: f"已获创业担保贷款 {r['loans_before']} 次，本次为第 {r['loans_before'] + 1} 次，最多 {r['p_loans_max_count']} 次"),
    Rule("cap", "贷款额度", ("cap.individual", "cap.enterprise", "cap.partnership_ratio"),
         lambda: C("amount_fen") <= _cap(),
         lambda r: f"申请 {_wan(r['amount_fen'])}，{r['kind']}上限 {_wan(r['_cap'])}"
         + (f"（{r['partners']} 名合伙人个人额度之和的 {r['p_cap_partnership_ratio'] / 100:g}%，且不超过小微企业上限）"
            if r["kind"] == PARTNERSHIP else ""),
         lambda r: {INDIVIDUAL: ("cap.individual",), ENTERPRISE: ("cap.enterprise",)}.get(
             r["kind"], ("cap.individual", "cap.partnership_ratio", "cap.enterprise"))),
    Rule("term", "贷款期限", ("term.individual_months", "term.enterprise_months"),
         lambda: C("months") <= _term(),
         lambda r: f"期限 {r['months']} 个月，{r['kind']}最长 {r['_term']} 个月",
         lambda r: ("term.enterprise_months",) if r["kind"] == ENTERPRISE else ("term.individual_months",)),
    Rule("rate", "利率上限", ("rate.cap_margin_bp",),
         lambda: C("rate") <= C("lpr") + C("p_rate_cap_margin_bp") * BP,
         lambda r: f"合同利率 {format_rate(r['rate'])}，上限 LPR {format_rate(r['lpr'])} + {r['p_rate_cap_margin_bp']} 个基点"
                   f" = {format_rate(r['lpr'] + r['p_rate_cap_margin_bp'] * BP)}"),
)


def evaluate(frame: pl.DataFrame) -> pl.DataFrame:
    """Every rule over every application of ``frame`` (see ``zhida.loans.inputs.COLUMNS``)."""
    f = param_columns(frame)
    f = f.with_columns(_cap().alias("_cap"), _term().alias("_term"), _hire_ratio().alias("_ratio"))
    f = f.with_columns([r.expr().alias("r_" + r.code) for r in RULES])
    rules = [C("r_" + r.code) for r in RULES]
    status = (pl.when(pl.any_horizontal([x == False for x in rules]))  # noqa: E712
              .then(pl.lit(INELIGIBLE))
              .when(pl.all_horizontal([x.is_not_null() for x in rules])).then(pl.lit(ELIGIBLE))
              .otherwise(pl.lit(PENDING)))
    return f.with_columns(status.alias("status"))


def mark(value: bool | None) -> str:
    return {True: "✓ 满足", False: "✗ 不满足", None: "？ 待补充"}[value]


def explain(row: dict) -> list[str]:
    """Chinese lines for one evaluated row: the decision, then each rule with its values and basis."""
    head = f"贷款申请 {row['number']}（{row['name']}，{row['kind']}）：{row['status']}"
    lines = [head]
    for r in RULES:
        lines.append(f"  {mark(row['r_' + r.code])} {r.title}：{r.text(row)}。依据：{r.cite(row)}")
    return lines


def failures(row: dict) -> list[str]:
    """Only the rules that failed, as Chinese sentences (for refusing a submission)."""
    return [f"{r.title}不满足：{r.text(row)}（依据：{r.cite(row)}）"
            for r in RULES if row["r_" + r.code] is False]

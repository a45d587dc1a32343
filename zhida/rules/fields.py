"""The input fields a policy may use, by data source.

Money fields hold integer fen; decimal fields hold integers scaled by ``10**scale``
(``insured_avg`` 25.50 is stored as 2550); both are exact.
"""

from __future__ import annotations

from zhida.rules.lang.types import Symbol


def _f(name, label, type_, unit="plain", scale=0, source="units") -> tuple[str, Symbol, str]:
    return name, Symbol(name, "field", type_, label, unit, scale), source


_FIELDS = [
    _f("uscc", "统一社会信用代码", "text"),
    _f("name", "单位名称", "text"),
    _f("unit_type", "单位类型", "text"),
    _f("industry_code", "行业代码", "text"),
    _f("industry_section", "行业门类", "text"),
    _f("size_class", "企业规模", "text"),
    _f("size_source", "规模来源", "text"),
    _f("township", "乡镇街道", "text"),
    _f("employees", "从业人员", "number", "person"),
    _f("revenue_wan", "营业收入", "number", "wan", 4),
    _f("assets_wan", "资产总额", "number", "wan", 4),
    _f("employer_paid", "单位实缴", "money", "yuan", source="ui_payments"),
    _f("employee_paid", "个人实缴", "money", "yuan", source="ui_payments"),
    _f("backpay", "补缴", "money", "yuan", source="ui_payments"),
    _f("months_paid", "缴费月数", "number", "month", source="ui_payments"),
    _f("insured_start", "年初参保人数", "number", "person", source="ui_payments"),
    _f("insured_end", "年末参保人数", "number", "person", source="ui_payments"),
    _f("insured_avg", "月均参保人数", "number", "person", 2, source="ui_payments"),
    _f("new_claimants", "新增领取失业保险金人数", "number", "person", source="ui_payments"),
    _f("arrears", "欠费金额", "money", "yuan", source="ui_payments"),
    _f("credit_listed", "列入信用名单", "bool", source="credit_entries"),
    _f("credit_lists", "所列名单", "text", source="credit_entries"),
    _f("output_wan", "本期工业总产值", "number", "wan", 4, source="industrial_output"),
    _f("prior_output_wan", "上年同期工业总产值", "number", "wan", 4, source="industrial_output"),
    _f("above_scale_recorded", "规上（填报）", "bool", source="industrial_output"),
]

FIELDS: dict[str, Symbol] = {name: sym for name, sym, _ in _FIELDS}
SOURCE_OF: dict[str, str] = {name: src for name, _, src in _FIELDS}
SOURCES = ("units", "ui_payments", "credit_entries", "industrial_output")


def fields_for(sources) -> dict[str, Symbol]:
    """The fields available to a policy that reads ``sources`` (units always)."""
    allowed = {"units", *sources}
    return {n: s for n, s in FIELDS.items() if SOURCE_OF[n] in allowed}

"""Import kinds of the stats package: ``indicators`` (long format) and ``targets``.

``indicators`` has the headers of the data-format notes (指标, 地区, 期间, 维度, 维度值,
数值, 单位, 同比(%)); ``targets`` has 指标, 地区, 年度, 目标值, 单位, 累计方式 (累计 for a
flow measured year to date, 时点 for a stock; empty → 时点 when the unit is %, else 累计).
"""

from __future__ import annotations

from collections import Counter

import polars as pl
from sqlalchemy import select

from zhida.errors import RowError
from zhida.imports.fields import DecimalField, Enum, PyField, Text, Year
from zhida.imports.spec import CheckContext, Column, ImportKind, register_kind
from zhida.imports.validate import ROW
from zhida.stats.models import IndicatorTarget, IndicatorValue
from zhida.stats.periods import FORMS, canonical_period
from zhida.stats.targets import FLOW, MODES, STOCK

KEY = ["indicator", "region", "period", "dimension", "member"]


def Period() -> PyField:
    return PyField(func=canonical_period, expected=f"应为期间：{FORMS}")


def _dimension_pairs(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    errors = []
    for r in frame.filter((pl.col("dimension") == "") != (pl.col("member") == "")).iter_rows(named=True):
        if r["dimension"]:
            errors.append(ctx.error(r[ROW], "member", None, f"填写了维度「{r['dimension']}」就必须填写维度值"))
        else:
            errors.append(ctx.error(r[ROW], "dimension", None, f"填写了维度值「{r['member']}」就必须填写维度（如 流向、贸易方式）"))
    return errors


def _value_without_unit(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    bad = frame.filter(pl.col("value").is_not_null() & pl.col("unit").fill_null("").eq(""))
    return [ctx.error(r[ROW], "unit", None, "填写了数值就必须填写单位（如 亿元、万元、家、%）")
            for r in bad.iter_rows(named=True)]


def _stored_units(ctx: CheckContext, frame: pl.DataFrame) -> dict[str, str]:
    """Unit of each indicator in the database, leaving out rows this file replaces."""
    names = frame.get_column("indicator").drop_nulls().unique().to_list()
    replaced = set(frame.select(KEY).iter_rows())
    q = select(IndicatorValue.indicator, IndicatorValue.region, IndicatorValue.period, IndicatorValue.dimension,
               IndicatorValue.member, IndicatorValue.unit).where(IndicatorValue.indicator.in_(names),
                                                                  IndicatorValue.value.is_not(None))
    units: dict[str, str] = {}
    for *key, unit in ctx.session.execute(q):
        if tuple(key) not in replaced and unit:
            units.setdefault(key[0], unit)
    return units


def _mixed_units(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    """One unit per indicator: in the file, and against what is already stored."""
    with_unit = frame.filter(pl.col("value").is_not_null() & pl.col("unit").fill_null("").ne(""))
    stored = _stored_units(ctx, frame)
    errors = []
    for (indicator,), group in with_unit.group_by(["indicator"], maintain_order=True):
        counts = Counter(group.get_column("unit").to_list())
        unit = stored.get(indicator) or counts.most_common(1)[0][0]
        where = "数据库中已有的" if indicator in stored else "本文件多数行的"
        for r in group.filter(pl.col("unit") != unit).iter_rows(named=True):
            errors.append(ctx.error(r[ROW], "unit", r["unit"],
                                    f"指标「{indicator}」的单位不一致：{where}单位是「{unit}」，同一指标只能用一种单位"))
    return errors


def check_indicators(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    return _dimension_pairs(frame, ctx) + _value_without_unit(frame, ctx) + _mixed_units(frame, ctx)


INDICATORS = register_kind(ImportKind(
    name="indicators",
    title="统计指标",
    columns=[
        Column("指标", "indicator", Text(max_len=100), required=True, aliases=("指标名称",)),
        Column("地区", "region", Text(max_len=50), required=True, aliases=("地区名称", "区域")),
        Column("期间", "period", Period(), required=True, note="2026、2026-Q1、2026-03 或 2026-01~02",
               aliases=("统计期间", "时期")),
        Column("维度", "dimension", Text(max_len=50), default="", note="合计行留空"),
        Column("维度值", "member", Text(max_len=100), default="", note="填写维度时必填"),
        Column("数值", "value", DecimalField(scale=4, min=None, what="数值"), note="可空（只公布增速时）",
               aliases=("本期值", "本期数")),
        Column("单位", "unit", Text(max_len=20), note="填写数值时必填：亿元、万元、元、个、家、% …",
               aliases=("计量单位",)),
        Column("同比(%)", "yoy_published", DecimalField(scale=4, min=None, what="同比增速"),
               note="公布的增速；填写后优先于计算值", aliases=("同比", "同比增长(%)", "同比增速(%)")),
    ],
    key=KEY,
    model=IndicatorValue,
    check=check_indicators,
    description="长表格式：每行一个数值。合计行的维度、维度值留空；分组行与同指标、地区、期间的合计行比较。",
))

def default_modes(frame: pl.DataFrame, session) -> pl.DataFrame:
    """Fill an empty 累计方式: 时点 for a target in %, 累计 otherwise."""
    derived = pl.when(pl.col("unit").fill_null("").str.strip_chars() == "%").then(pl.lit(STOCK)).otherwise(pl.lit(FLOW))
    return frame.with_columns(pl.col("mode").fill_null(derived))


TARGETS = register_kind(ImportKind(
    name="targets",
    title="年度目标",
    columns=[
        Column("指标", "indicator", Text(max_len=100), required=True, aliases=("指标名称",)),
        Column("地区", "region", Text(max_len=50), required=True, aliases=("地区名称", "区域")),
        Column("年度", "year", Year(), required=True, aliases=("年份",)),
        Column("目标值", "target", DecimalField(scale=4, min=None, what="目标值"), required=True,
               aliases=("年度目标", "目标")),
        Column("单位", "unit", Text(max_len=20), note="与该指标数据的单位相同", aliases=("计量单位",)),
        Column("累计方式", "mode", Enum(choices=MODES),
               note="累计：流量指标（如 新增高新技术企业），进度取年初至今的累计值（1月起的期间：2026-01~03、"
                    "2026-Q1、2026-01）；时点：存量或水平指标（如 覆盖率、平台注册企业），取当年最新一期的值。"
                    "留空时单位为 % 按时点，否则按累计"),
    ],
    key=["indicator", "region", "year"],
    model=IndicatorTarget,
    transform=default_modes,
    description="每个指标、地区、年度一个目标值；进度 = 年初至今累计值（累计）或当年最新值（时点）÷ 目标值。",
))

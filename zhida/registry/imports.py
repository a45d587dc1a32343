"""Import kinds of the registry: enterprises, ui-payments, credit-list, industrial-output.

Headers are those of the templates in the data-format notes; see ``docs/import-formats.md``.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import select

from zhida.errors import RowError
from zhida.imports.fields import Date, DecimalField, Digits, Enum, Int, Money, Phone, PyField, Text, Uscc, Year, YesNo
from zhida.imports.spec import CheckContext, Column, ImportKind, register_kind
from zhida.imports.validate import ROW
from zhida.registry.industry import parse_industry_code, section_of, size_row
from zhida.registry.models import CreditEntry, IndustrialOutput, UiPayment, Unit
from zhida.registry.sizeclass import CLASSES, classify_unit

UNIT_TYPES = ("企业", "社会团体", "基金会", "社会服务机构", "律师事务所", "会计师事务所", "个体工商户", "机关事业单位")
CREDIT_LISTS = ("严重失信主体名单", "失信被执行人", "拖欠农民工工资失信联合惩戒名单", "僵尸企业")
# what clerks write for the same column (header_key comparison: brackets of either width, spaces ignored)
USCC_ALIASES = ("USCC", "社会信用代码", "信用代码", "统一信用代码", "统一社会信用代码证", "统一代码", "社会统一信用代码")
USCC_COL = Column("统一社会信用代码", "uscc", Uscc(), required=True, aliases=USCC_ALIASES)


def registered_units(session) -> pl.Series:
    return pl.Series("uscc", session.scalars(select(Unit.uscc)).all(), dtype=pl.Utf8)


def check_units_exist(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    """Rows whose unit is not in the registry (import enterprises first)."""
    known = registered_units(ctx.session)
    missing = frame.filter(pl.col("uscc").is_not_null() & ~pl.col("uscc").is_in(known.implode()))
    return [ctx.error(r[ROW], "uscc", r["uscc"], "该单位未登记：请先导入单位基本信息（enterprises）")
            for r in missing.select(ROW, "uscc").iter_rows(named=True)]


# ---------------------------------------------------------------- enterprises

def derive_size(frame: pl.DataFrame, session) -> pl.DataFrame:
    """Industry section, size-standard row, and size class (recorded, else computed)."""
    sections: list[str | None] = []
    rows: list[str | None] = []
    classes: list[str | None] = []
    sources: list[str | None] = []
    for code, recorded, x, y, z in frame.select(
            "industry_code", "size_recorded", "employees", "revenue_wan", "assets_wan").iter_rows():
        sections.append(section_of(code) if code else None)
        rows.append(size_row(code) if code else None)
        if recorded:
            classes.append(recorded)
            sources.append("recorded")
            continue
        ftype = DecimalField()
        result = classify_unit(code, x, ftype.to_db(y), ftype.to_db(z)) if code else None
        classes.append(result.size_class if result else None)
        sources.append("computed" if result and result.size_class else None)
    return frame.with_columns(
        pl.Series("industry_section", sections, dtype=pl.Utf8),
        pl.Series("size_row", rows, dtype=pl.Utf8),
        pl.Series("size_class", classes, dtype=pl.Utf8),
        pl.Series("size_source", sources, dtype=pl.Utf8),
    )


ENTERPRISES = register_kind(ImportKind(
    name="enterprises",
    title="单位基本信息",
    columns=[
        USCC_COL,
        Column("单位名称", "name", Text(200), required=True, aliases=("企业名称", "单位全称", "名称")),
        Column("单位类型", "unit_type", Enum(choices=UNIT_TYPES), default="企业"),
        Column("行业代码", "industry_code", PyField(func=parse_industry_code, expected="应为 GB/T 4754-2017 行业代码"),
               note="如 C3311；只填门类字母也可"),
        Column("从业人员", "employees", Int(min=0)),
        Column("营业收入(万元)", "revenue_wan", DecimalField(what="营业收入（万元）")),
        Column("资产总额(万元)", "assets_wan", DecimalField(what="资产总额（万元）")),
        Column("企业规模", "size_recorded", Enum(choices=CLASSES), note="为空时按 2017 年划分办法计算"),
        Column("乡镇街道", "township", Text(50)),
        Column("联系人", "contact", Text(50)),
        Column("联系电话", "phone", Phone(), aliases=("电话", "手机号", "手机号码", "联系方式")),
        Column("开户银行", "bank_name", Text(100), aliases=("开户行", "开户银行名称", "开户行名称")),
        Column("对公账号", "account_no", Digits(8, 30), aliases=("银行账号", "账号", "开户账号", "对公账户", "基本户账号")),
    ],
    key=["uscc"],
    model=Unit,
    transform=derive_size,
    derived={"industry_section": Text(), "size_row": Text(), "size_class": Text(), "size_source": Text()},
))


# ---------------------------------------------------------------- ui-payments

def check_ui_payments(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    errors = check_units_exist(frame, ctx)
    over = frame.filter((pl.col("backpay_fen") > pl.col("employer_paid_fen") + pl.col("employee_paid_fen")).fill_null(False))
    for r in over.iter_rows(named=True):
        errors.append(ctx.error(r[ROW], "backpay_fen", f"{r['backpay_fen'] / 100:.2f}",
                                "补缴历年欠费及滞纳金已含在单位实缴和个人实缴中，不能大于两者之和"))
    return errors


UI_PAYMENTS = register_kind(ImportKind(
    name="ui-payments",
    title="失业保险缴费",
    columns=[
        Column("统一社会信用代码", "uscc", Uscc(), required=True, note="须已在单位基本信息中登记",
               aliases=USCC_ALIASES),
        Column("年度", "year", Year(), required=True, note="缴费所属年度", aliases=("缴费年度", "年份")),
        Column("单位实缴(元)", "employer_paid_fen", Money(), required=True),
        Column("个人实缴(元)", "employee_paid_fen", Money(), required=True),
        Column("补缴历年欠费及滞纳金(元)", "backpay_fen", Money(), default=0, note="已含在上两列中，计算返还时扣除"),
        Column("缴费月数", "months_paid", Int(min=0, max=12), required=True),
        Column("年初参保人数", "insured_start", Int(min=0), required=True),
        Column("年末参保人数", "insured_end", Int(min=0), required=True),
        Column("月均参保人数", "insured_avg", DecimalField(scale=2, what="月均参保人数"), required=True),
        Column("新增领取失业保险金人数", "new_claimants", Int(min=0), required=True),
        Column("欠费金额(元)", "arrears_fen", Money(), default=0, note="年末尚欠的失业保险费"),
    ],
    key=["uscc", "year"],
    model=UiPayment,
    check=check_ui_payments,
))


# ---------------------------------------------------------------- credit-list

def check_credit(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    bad = frame.filter((pl.col("removed_on") < pl.col("listed_on")).fill_null(False))
    return [ctx.error(r[ROW], "removed_on", r["removed_on"], f"移出日期不能早于列入日期 {r['listed_on']}")
            for r in bad.iter_rows(named=True)]


CREDIT_LIST = register_kind(ImportKind(
    name="credit-list",
    title="信用名单",
    columns=[
        USCC_COL,
        Column("名单类型", "list_type", Enum(choices=CREDIT_LISTS), required=True),
        Column("列入日期", "listed_on", Date(), required=True),
        Column("移出日期", "removed_on", Date(), note="仍在名单中时留空"),
    ],
    key=["uscc", "list_type", "listed_on"],
    model=CreditEntry,
    check=check_credit,
))


# ---------------------------------------------------------------- industrial-output

INDUSTRIAL_OUTPUT = register_kind(ImportKind(
    name="industrial-output",
    title="规上工业产值",
    columns=[
        Column("统一社会信用代码", "uscc", Uscc(), required=True, note="须已在单位基本信息中登记",
               aliases=USCC_ALIASES),
        Column("年度", "year", Year(), required=True, aliases=("年份",)),
        Column("季度", "quarter", Int(min=1, max=4), required=True),
        Column("工业总产值(万元)", "output_wan", DecimalField(what="工业总产值（万元）"), required=True,
               note="当季，现价"),
        Column("上年同期工业总产值(万元)", "prior_output_wan", DecimalField(what="上年同期工业总产值（万元）"),
               note="为空时取上年同季度的记录"),
        Column("规上", "above_scale", YesNo(), note="为空时：营业收入≥2000万元且行业为 B、C、D 门类即为规上"),
    ],
    key=["uscc", "year", "quarter"],
    model=IndustrialOutput,
    check=check_units_exist,
))

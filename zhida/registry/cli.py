"""``zhida unit show|search|regions``."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from zhida.cliutil import TableFormatOpt, command_group, db_session, emit
from zhida.registry.service import UnitPublic, get_unit, search_units

LABELS = {
    "uscc": "统一社会信用代码",
    "name": "单位名称",
    "unit_type": "单位类型",
    "industry_code": "行业代码",
    "industry_section_name": "门类",
    "size_row": "规模划分行业",
    "size_class": "企业规模",
    "size_source": "规模来源",
    "employees": "从业人员",
    "revenue_wan": "营业收入(万元)",
    "assets_wan": "资产总额(万元)",
    "township": "乡镇街道",
    "contact": "联系人",
    "phone_masked": "联系电话",
    "bank_name": "开户银行",
    "has_account": "已登记对公账号",
}
SOURCE = {"recorded": "登记", "computed": "按 2017 年划分办法计算"}


def _unit_table(data: dict[str, Any]) -> Table:
    """One unit as a two-column table (Chinese label, value)."""
    table = Table(show_header=False)
    for key, label in LABELS.items():
        value = data[key]
        if key == "size_source":
            value = SOURCE.get(value, value)
        if key == "has_account":
            value = "是" if value else "否"
        table.add_row(label, "" if value is None else str(value))
    return table


def unit_show(uscc: str, fmt: str = TableFormatOpt) -> None:
    """查看一个单位。"""
    with db_session() as s:
        data = UnitPublic.of(get_unit(s, uscc)).to_dict()
    emit(data, fmt, _unit_table(data))


def unit_search(
    query: str = typer.Argument("", help="名称关键字或代码前缀"),
    limit: int = typer.Option(20, "--limit"),
    fmt: str = TableFormatOpt,
) -> None:
    """按名称或代码查找单位。"""
    with db_session() as s:
        total, page = search_units(s, query, limit=limit)
        rows = [UnitPublic.of(u).to_dict() for u in page]
    table = Table(title=f"共 {total} 个单位")
    for col in ("统一社会信用代码", "单位名称", "乡镇街道", "企业规模"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["uscc"], r["name"], r["township"] or "", r["size_class"] or "")
    emit({"total": total, "units": rows}, fmt, table)


def unit_regions(
    sync: bool = typer.Option(False, "--sync", help="把行政区划文件写入数据库的 regions 表"),
    fmt: str = TableFormatOpt,
) -> None:
    """列出行政区划（县区代码及其乡镇街道）；--sync 写入数据库。"""
    from zhida.registry.regions import home_county, sync_table
    from zhida.registry.regions import table as region_table

    known = region_table()
    if sync:
        with db_session() as s:
            n = sync_table(s, known)
        typer.echo(f"已写入 regions 表：{len(known.counties)} 个县区，{n} 个乡镇街道")
    rows = [{"code": c.code, "name": c.name, "city": c.city, "townships": list(c.townships)} for c in known.counties]
    table = Table(title=f"行政区划（本地：{home_county().name}）")
    for col in ("区划代码", "县区", "所属市", "乡镇街道"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["code"]), str(r["name"]), str(r["city"]), "、".join(r["townships"]))
    emit({"home": home_county().code, "counties": rows}, fmt, table)


COMMANDS = (("show", unit_show), ("search", unit_search), ("regions", unit_regions))


def register(app: typer.Typer) -> None:
    """Add ``zhida unit …``."""
    app.add_typer(command_group("单位登记：查看与查找", COMMANDS), name="unit")

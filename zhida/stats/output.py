"""Rendering computed rows as JSON, a terminal table or an XLSX sheet (rounded here, once)."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from zhida import sheets
from zhida.stats.compute import Result, StatRow
from zhida.stats.wording import round_half_up

YOY_SOURCE_CN = {"computed": "计算", "published": "公布", None: ""}
BASE_SOURCE_CN = {"data": "数据", "derived": "由同比倒推", None: ""}
HEADERS = ["指标", "地区", "期间", "维度", "维度值", "数值", "单位", "同比(%)", "同比来源", "占比(%)",
           "贡献率(%)", "拉动(百分点)", "上年同期", "上年同期来源"]


def to_json(result: Result) -> str:
    return json.dumps([r.to_json() for r in result.rows], ensure_ascii=False, indent=2)


def _cell(v) -> str:
    r = round_half_up(v, 1)
    return "—" if r is None else str(r)


def _cells(r: StatRow) -> list[str]:
    return [r.indicator, r.region, r.period, r.dimension or "", r.name, _cell(r.value), r.unit or "",
            _cell(r.yoy_pct), YOY_SOURCE_CN[r.yoy_source], _cell(r.share_pct), _cell(r.contribution_pct),
            _cell(r.pull_pp), _cell(r.base_value), BASE_SOURCE_CN[r.base_source]]


def footer_lines(result: Result) -> list[str]:
    """Notes (what is undefined and why) and the 增长面, in Chinese."""
    lines = [f"注：{n}" for n in result.notes]
    b = result.breadth
    if b is not None:
        pct = "无法计算" if b.pct is None else f"{round_half_up(b.pct, 1)}%"
        lines.append(f"增长面：{b.members} 个维度值中 {b.grew} 个增长，增长面 {pct}")
    return lines


def to_table(result: Result) -> Table:
    first = result.rows[0]
    table = Table(title=f"{first.region} {first.period} {first.indicator}", show_lines=False)
    for h in HEADERS[4:]:
        table.add_column(h, justify="left" if h in ("维度值", "单位", "同比来源", "上年同期来源") else "right")
    for r in result.rows:
        table.add_row(*_cells(r)[4:])
    return table


def to_xlsx(result: Result, path: str | Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "指标计算"
    sheets.append(ws, HEADERS)
    for r in result.rows:
        cells = _cells(r)
        sheets.append(ws, [None if c == "—" else (float(c) if i in (5, 7, 9, 10, 11, 12) else c)
                   for i, c in enumerate(cells)])
    for line in footer_lines(result):
        sheets.append(ws, [line])
    return sheets.save(wb, path)

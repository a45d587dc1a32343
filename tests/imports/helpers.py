"""Writing small import files in every accepted form."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from zhida.identifiers import make_uscc

ENT_HEADERS = ["统一社会信用代码", "单位名称", "单位类型", "行业代码", "从业人员", "营业收入(万元)", "资产总额(万元)",
               "企业规模", "乡镇街道", "联系人", "联系电话", "开户银行", "对公账号"]
UI_HEADERS = ["统一社会信用代码", "年度", "单位实缴(元)", "个人实缴(元)", "补缴历年欠费及滞纳金(元)", "缴费月数",
              "年初参保人数", "年末参保人数", "月均参保人数", "新增领取失业保险金人数", "欠费金额(元)"]


def code(n: int) -> str:
    """A valid USCC numbered n."""
    return make_uscc(f"913715030{n:08d}")


def ent_row(n: int, **over) -> list:
    row = {"统一社会信用代码": code(n), "单位名称": f"聊城市茌平区测试{n}有限公司", "单位类型": "企业",
           "行业代码": "C3311", "从业人员": "50", "营业收入(万元)": "1200.5", "资产总额(万元)": "800",
           "企业规模": "", "乡镇街道": "振兴街道", "联系人": "王经理", "联系电话": "13800138000",
           "开户银行": "茌平农商行", "对公账号": "6228480012345678"}
    row.update(over)
    return [row[h] for h in ENT_HEADERS]


def ui_row(n: int, year: int = 2024, **over) -> list:
    row = {"统一社会信用代码": code(n), "年度": str(year), "单位实缴(元)": "120000.00", "个人实缴(元)": "40000",
           "补缴历年欠费及滞纳金(元)": "0", "缴费月数": "12", "年初参保人数": "100", "年末参保人数": "98",
           "月均参保人数": "99.5", "新增领取失业保险金人数": "1", "欠费金额(元)": ""}
    row.update(over)
    return [row[h] for h in UI_HEADERS]


def write_csv(path: Path, headers: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list], start_row: int = 1) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for _ in range(start_row - 1):
        ws.append([])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path

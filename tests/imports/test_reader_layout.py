"""The shared reader: header found under titles, merged two-row headers, aliases and header
spelling, 合计 rows, sheets, date systems, broken CSV quoting — each named in the result."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from tests.imports.helpers import ENT_HEADERS, code, ent_row
from zhida.errors import ImportRefused
from zhida.imports.engine import run_import
from zhida.imports.reader import read_table
from zhida.imports.spec import get_kind
from zhida.imports.validate import header_spec, match_headers

CASES = Path(__file__).parent / "data" / "fieldcases"
SPEC = header_spec(get_kind("enterprises"))


def xlsx(path: Path, rows: list[list], **book) -> Path:
    wb = Workbook()
    for k, v in book.items():
        setattr(wb, k, v)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("date1904", [False, True])
def test_date_cells_in_both_excel_date_systems(tmp_path, date1904):
    book = {"epoch": CALENDAR_MAC_1904} if date1904 else {}
    path = xlsx(tmp_path / "d.xlsx", [["统一社会信用代码", "名单类型", "列入日期"],
                                      [code(1), "失信被执行人", dt.datetime(2025, 6, 30, 14, 35)]], **book)
    assert read_table(path).data.row(0)[2] == "2025-06-30 14:35:00"


def test_header_spellings_aliases_and_ignored_columns(tmp_path):
    headers = ["序号", "社会信用代码", "企业\n名称", "联系\u00a0电话", "营业收入（万元）", "对公 账号"]
    path = tmp_path / "a.csv"
    path.write_text(",".join(f'"{h}"' for h in headers) + f"\n1,{code(1)},甲公司,13800138000,12.5,622848001234\n",
                    encoding="utf-8")
    table = read_table(path, SPEC)
    mapping, errors = match_headers(get_kind("enterprises"), table, ignore_unknown=False)
    assert errors == []
    assert [mapping[i].attr for i in sorted(mapping)] == ["uscc", "name", "phone", "revenue_wan", "account_no"]


def test_total_rows_only_when_the_word_stands_alone(tmp_path, engine):
    rows = [ENT_HEADERS, ent_row(1), ent_row(2, 单位名称="合计科技有限公司"), ["合计：", "", "", "", "70"], ["小 计"]]
    table = read_table(xlsx(tmp_path / "t.xlsx", rows), SPEC)
    assert table.row_numbers == [2, 3] and table.notes == ["第 4、5 行是合计/小计行，已跳过（不计入）"]


def test_xlsm_and_a_named_sheet(tmp_path, engine):
    path = xlsx(tmp_path / "a.xlsx", [["说明"], ["请从第二个工作表填写"]])
    wb = Workbook()
    wb.active.title = "封面"
    wb.active.append(["封面"])
    data = wb.create_sheet("单位")
    for r in (ENT_HEADERS, ent_row(1)):
        data.append(r)
    wb.save(path)
    macro = tmp_path / "a.xlsm"
    shutil.copy(path, macro)
    result = run_import("enterprises", macro, engine=engine, sheet="单位")
    assert result.inserted == 1 and result.notes == ["读取的是工作表「单位」（共 2 个工作表：封面、单位）"]


def test_unpaired_quote_and_a_folder_are_refused(tmp_path):
    bad = tmp_path / "q.csv"
    bad.write_text("统一社会信用代码,单位名称\n1,\"甲公司\n2,乙\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="第 2 行的英文双引号没有配对"):
        read_table(bad)
    with pytest.raises(ImportRefused, match="不是文件"):
        read_table(tmp_path)


def test_two_row_header_with_data_starting_below(tmp_path):
    table = read_table(CASES / "c03_two_row_merged_header.xlsx", header_spec(get_kind("ui-payments")))
    assert table.header_row == 1 and table.row_numbers == [3, 4, 5]
    assert table.headers[2:5] == ["单位实缴(元)", "个人实缴(元)", "补缴历年欠费及滞纳金(元)"]
    assert table.headers[6:9] == ["年初参保人数", "年末参保人数", "月均参保人数"]

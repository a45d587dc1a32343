"""Files built to exhaust the reader are refused in Chinese, fast, in little memory."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.imports.helpers import UI_HEADERS
from zhida.errors import ImportRefused
from zhida.imports.reader import read_table
from zhida.imports.xlsx import Limits

CASES = Path(__file__).parent / "data" / "fieldcases"
SMALL = Limits(rows=1000, columns=50, cell_chars=1000, unpacked_bytes=5 * 1024 * 1024)


def test_stray_cell_far_away_reads_only_used_cells():
    table = read_table(CASES / "c15c_stray_cell_row1048576_col200.xlsx")
    assert table.height == 1 and table.row_numbers == [2] and len(table.headers) == len(UI_HEADERS)


def test_zip_bomb_is_refused_by_the_unpacked_size(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(CASES / "c07_float_noise.xlsx") as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * (40 * 1024 * 1024))
            z.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 1024 * 1024  # a small file …
    with pytest.raises(ImportRefused, match="解压后超过 5 MB"):  # … that unpacks to 40 MB
        read_table(bomb, lim=SMALL)


def test_csv_with_a_million_columns_is_refused(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        read_table(wide)
    assert "第 1 行有 1000000 列，超过 500 列的上限" in str(err.value)


def test_too_many_rows_and_too_long_cells(tmp_path):
    many = tmp_path / "many.csv"
    many.write_text("a,b\n" + "1,2\n" * 1001, encoding="utf-8")
    with pytest.raises(ImportRefused, match="共 1001 行，超过 1000 行的上限"):
        read_table(many, lim=SMALL)
    long = tmp_path / "long.csv"
    long.write_text("a,b\n1,2\n3," + "x" * 1001 + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="第 3 行第 2 列有 1001 个字符，超过 1000 的上限"):
        read_table(long, lim=SMALL)


def test_undecodable_byte_names_line_and_offset(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes("代码,名称\n".encode("gbk") + b"1,\xff\xfe\xfd\n")
    with pytest.raises(ImportRefused) as err:
        read_table(bad)
    assert err.value.errors[0].row == 2 and "第 2 行（文件第 13 个字节）有无法识别的字节 0xFF" in str(err.value)


def test_web_probe_kills_only_the_child(tmp_path):
    from zhida.imports.probe import TOO_BIG, probe_file

    big = tmp_path / "big.csv"
    big.write_text("统一社会信用代码,单位名称\n" + "91371503449786904E,某公司\n" * 200_000, encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        probe_file("enterprises", big, None, memory_mb=60, display_name="big.csv")
    assert str(err.value) == f"big.csv：{TOO_BIG}"
    probe_file("enterprises", big, None, memory_mb=3000, display_name="big.csv")  # readable with room


def test_entity_expansion_in_a_sheet_is_refused(tmp_path):
    """A "billion laughs" sheet: expat stops the expansion; the reader says it cannot read the file."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    laughs = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(CASES / "c07_float_noise.xlsx") as src, zipfile.ZipFile(laughs, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'.encode()
                        + data.replace("<t>年度</t>".encode(), b"<t>&i;</t>", 1))
            z.writestr(item, data)
    with pytest.raises(ImportRefused, match="无法读取 Excel 文件"):
        read_table(laughs)

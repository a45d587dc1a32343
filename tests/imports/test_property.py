"""Random bytes, random Unicode and random XLSX cells: the reader and every field parser raise
only the project's own errors (``ZhidaError``), never a traceback."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhida.errors import ZhidaError
from zhida.imports import fields
from zhida.imports.reader import read_table
from zhida.imports.spec import all_kinds
from zhida.imports.validate import header_spec

SPEC = header_spec(all_kinds()["ui-payments"])
PARSERS = [c.ftype for k in all_kinds().values() for c in k.columns] + [fields.Money(), fields.Date()]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"f{suffix}"
        path.write_bytes(data)
        try:
            table = read_table(path, SPEC)
        except ZhidaError:
            return
        assert table.height == len(table.row_numbers)


@FAST
@given(st.binary(max_size=400), st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_random_bytes(data, suffix):
    _read(data, suffix)


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_behind_a_zip_header(data):
    _read(b"PK\x03\x04" + data, ".xlsx")
    _read(b"\xd0\xcf\x11\xe0" + data, ".xls")


@FAST
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=1, max_size=6),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_unicode_csv(rows, encoding):
    text = "统一社会信用代码,年度\n" + "\n".join(",".join(r) for r in rows)
    _read(text.encode(encoding, errors="replace"), ".csv")


CELLS = st.one_of(st.text(max_size=15), st.integers(-10**20, 10**20), st.floats(allow_nan=False),
                  st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)), st.none())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=1, max_size=5))
def test_random_xlsx_cells(rows):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "年度", "单位实缴(元)", "缴费月数"])
    try:
        for r in rows:
            ws.append([v if not (isinstance(v, float) and abs(v) > 1e300) else 0 for v in r])
    except IllegalCharacterError:
        return  # openpyxl cannot write such a file; nothing to read
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.xlsx"
        wb.save(path)
        _read(path.read_bytes(), ".xlsx")


@FAST
@given(st.lists(st.one_of(st.none(), st.text(max_size=25)), min_size=1, max_size=20))
def test_every_field_parser_on_random_text(values):
    series = pl.Series("x", values, dtype=pl.Utf8)
    for ftype in PARSERS:
        parsed, errors = ftype.parse(series)
        assert len(parsed) == len(errors) == len(values)
        assert all(e is None or isinstance(e, str) for e in errors.to_list())


DIGITISH = st.text(alphabet=st.sampled_from("0123456789０１２３４５６７８９٠١٢٣٤٥٦٧٨٩ -Xx,.'=\"E+"), max_size=22)


@FAST
@given(st.lists(st.one_of(st.none(), DIGITISH), min_size=1, max_size=20))
def test_identifiers_and_numbers_hold_only_ascii_digits(values):
    """No identifier digit comes from another script (Arabic-Indic digits match a Unicode \\d)."""
    series = pl.Series("x", values, dtype=pl.Utf8)
    for ftype in PARSERS:
        parsed, errors = ftype.parse(series)
        if ftype.is_code:
            accepted = [v for v, e in zip(parsed.to_list(), errors.to_list(), strict=False) if e is None and v is not None]
            assert all(v.isascii() and v.replace("-", "").isalnum() for v in accepted), accepted

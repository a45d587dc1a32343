"""Field types of import columns: parse a column of text cells, report bad cells.

``parse(series)`` takes a ``pl.Utf8`` series (null for an empty cell) and returns
``(values, errors)``: the typed values, and per row either null (fine) or a Chinese text
saying what was expected. Common types are vectorised (Polars); the rest parse each
distinct value once in Python.

Storage conventions: money in integer fen (``Money``); decimals as exact ``Decimal`` at
the database and as integers scaled by ``10**scale`` inside the import (``DecimalField``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import polars as pl

from zhida.identifiers import USCC_ALPHABET, USCC_WEIGHTS, validate_uscc
from zhida.imports import cells

OK = pl.lit(None, dtype=pl.Utf8)
DType = pl.DataType | type[pl.DataType]  # a Polars type, as an instance or a class


_PLAIN: dict[Callable[[pl.Expr], pl.Expr], str] = {cells.code: r"^[0-9A-Za-z]+$", cells.number: r"^-?[0-9]+(\.[0-9]+)?$"}


def _apply(s: pl.Series, clean: Callable[[pl.Expr], pl.Expr], plain: str | None = None) -> pl.Series:
    """Run one of the ``cells`` normalisers over a column.

    Cells already in the ``plain`` form (which the normaliser would leave as they are) skip it,
    so a clean million-row file pays one regex test per cell, not the whole normalisation.
    """
    plain = plain or _PLAIN.get(clean)
    if plain is None:
        return pl.select(clean(pl.lit(s))).to_series().alias(s.name)
    dirty = ~s.str.contains(plain).fill_null(True)
    if not dirty.any():
        return s
    idx = dirty.arg_true()
    fixed = pl.select(clean(pl.lit(s.gather(idx)))).to_series()
    return s.scatter(idx, fixed)


def _errors(bad: pl.Series | pl.Expr, message: str) -> pl.Series:
    return pl.select(pl.when(bad).then(pl.lit(message)).otherwise(OK)).to_series()


class FieldType:
    """Base: text kept as is (trimmed).

    ``is_code``: an identifier, account or phone column, where an Excel number cell that lost
    digits is refused with its real cause (``cells.LOST_DIGITS``) before any other check.
    """

    dtype: DType = pl.Utf8
    is_code = False
    rounded_zeros = False

    @property
    def expected(self) -> str:
        """What a cell of this type must hold, said to the clerk (``RowError.expected``)."""
        return "文本"

    def parse(self, s: pl.Series) -> tuple[pl.Series, pl.Series]:
        values = _apply(s, cells.text)
        return values, pl.Series([None] * len(s), dtype=pl.Utf8)

    def to_db(self, value):
        """Value of the parsed column → value for the database."""
        return value

    def from_db(self, value):
        """Value read from the database → comparable with the parsed column."""
        return value


@dataclass
class Text(FieldType):
    max_len: int = 200

    def parse(self, s):
        values = _apply(s, cells.text)
        bad = values.str.len_chars() > self.max_len
        return values, _errors(bad, f"文本过长：最多 {self.max_len} 个字符")


@dataclass
class Enum(FieldType):
    choices: tuple[str, ...] = ()

    @property
    def expected(self):
        return "应为以下之一：" + "、".join(self.choices)

    def parse(self, s):
        values = _apply(s, cells.text)
        bad = values.is_not_null() & ~values.is_in(list(self.choices))
        return values, _errors(bad, self.expected)


class Uscc(FieldType):
    """统一社会信用代码, upper-cased, check character verified (vectorised)."""

    expected = "18 位统一社会信用代码"
    is_code = True
    _pattern = "^[0-9A-HJ-NP-RTUWXY]{18}$"

    def parse(self, s):
        values = _apply(s, cells.code).str.to_uppercase()
        shape_ok = values.str.contains(self._pattern).fill_null(False)
        good = shape_ok.clone()
        if shape_ok.any():
            idx = shape_ok.arg_true()
            chars = np.frombuffer("".join(values.gather(idx).to_list()).encode("ascii"), dtype=np.uint8)
            digits = _USCC_LUT[chars.reshape(-1, 18)]
            total = digits[:, :17] @ _USCC_W
            check_ok = digits[:, 17] == (31 - total % 31) % 31
            good = good.scatter(idx, pl.Series(check_ok))
        bad = values.is_not_null() & ~good
        errors = pl.Series([None] * len(s), dtype=pl.Utf8)
        if bad.any():
            idx = bad.arg_true()
            msgs: dict[str, str | None] = {}
            for v in values.gather(idx).unique().to_list():
                try:
                    validate_uscc(v)
                    msgs[v] = None
                except ValueError as exc:
                    msgs[v] = str(exc)
            errors = errors.scatter(idx, [msgs[v] for v in values.gather(idx).to_list()])
        return values, errors


_USCC_LUT = np.zeros(256, dtype=np.int64)
for _i, _c in enumerate(USCC_ALPHABET):
    _USCC_LUT[ord(_c)] = _i
_USCC_W = np.array(USCC_WEIGHTS, dtype=np.int64)


@dataclass
class Int(FieldType):
    min: int | None = 0
    max: int | None = None
    dtype: DType = pl.Int64

    @property
    def expected(self):
        if self.min is not None and self.max is not None:
            return f"应为 {self.min}–{self.max} 的整数"
        if self.min is not None:
            return f"应为不小于 {self.min} 的整数"
        return "应为整数"

    def parse(self, s):
        text = _apply(s, cells.number).str.replace(r"\.0+$", "")
        shape = text.str.contains(r"^[+-]?[0-9]{1,15}$")
        values = pl.select(pl.when(shape).then(text).otherwise(None).cast(pl.Int64)).to_series()
        bad = text.is_not_null() & ~shape.fill_null(False)
        if self.min is not None:
            bad = bad | (values < self.min).fill_null(False)
        if self.max is not None:
            bad = bad | (values > self.max).fill_null(False)
        return values, _errors(bad, self.expected)


@dataclass
class DecimalField(FieldType):
    """A non-negative (by default) decimal with at most ``scale`` decimals, held scaled."""

    scale: int = 4
    min: Decimal | None = Decimal(0)
    what: str = "数字"
    dtype: DType = pl.Int64

    @property
    def expected(self):
        sign = "不小于 0 的" if self.min == 0 else ""
        return f"应为{sign}{self.what}，最多 {self.scale} 位小数"

    def parse(self, s):
        money = isinstance(self, Money)
        text = _apply(s, lambda e: cells.number(e, money), _PLAIN[cells.number]).str.replace(r"^([+-]?)\.", "${1}0.")
        digits = 15 - self.scale  # exact through every backend (SQLite keeps 15 significant digits)
        shape = text.str.contains(r"^[+-]?([0-9]+)(\.[0-9]*)?$")
        too_big = shape.fill_null(False) & ~text.str.contains(rf"^[+-]?0*[0-9]{{1,{digits}}}(\.[0-9]*)?$").fill_null(False)
        shape = shape & ~too_big
        parts = text.str.split_exact(".", 1)
        int_part = parts.struct.field("field_0").str.replace(r"^([+-]?)0+([0-9])", "${1}${2}")
        frac = parts.struct.field("field_1").fill_null("")
        too_precise = shape.fill_null(False) & (frac.str.strip_chars_end("0").str.len_chars() > self.scale)
        frac_scaled = frac.str.slice(0, self.scale).str.pad_end(self.scale, "0")
        negative = int_part.str.starts_with("-")
        magnitude = pl.select(
            pl.when(shape & ~too_precise)
            .then(int_part.str.replace(r"^[+-]", "") + frac_scaled)
            .otherwise(None)
            .cast(pl.Int64)
        ).to_series()
        values = pl.select(pl.when(negative).then(-magnitude).otherwise(magnitude)).to_series()
        bad_shape = text.is_not_null() & ~shape.fill_null(False)
        errors = _errors(bad_shape, f"应为{self.what}（不能含文字）")
        errors = pl.select(
            pl.when(too_precise).then(pl.lit(f"{self.what}最多 {self.scale} 位小数"))
            .when(too_big).then(pl.lit(f"{self.what}过大：整数部分最多 {digits} 位"))
            .otherwise(errors)
        ).to_series()
        if self.min is not None:
            below = (values < int(self.min * 10**self.scale)).fill_null(False)
            errors = pl.select(pl.when(below).then(pl.lit(f"{self.what}不能为负数")).otherwise(errors)).to_series()
        return values, errors

    def to_db(self, value):
        return None if value is None else Decimal(int(value)).scaleb(-self.scale)

    def from_db(self, value):
        return None if value is None else int(Decimal(value).scaleb(self.scale))


@dataclass
class Money(DecimalField):
    """Yuan with at most 2 decimals, held and stored as integer fen."""

    scale: int = 2
    what: str = "金额（元）"

    def to_db(self, value):
        return None if value is None else int(value)

    def from_db(self, value):
        return None if value is None else int(value)


def Year() -> Int:
    return Int(min=1990, max=2100)


@dataclass
class PyField(FieldType):
    """Parse each distinct value with ``func`` (returns the value or raises ValueError)."""

    func: Callable[[str], object] = str
    dtype: DType = pl.Utf8
    expected: str = "文本"
    clean: Callable[[pl.Expr], pl.Expr] = cells.text
    is_code: bool = False
    rounded_zeros: bool = False  # see ``cells.digits_lost``

    def parse(self, s):
        values = _apply(s, self.clean)
        cache: dict[str, tuple[object, str | None]] = {}
        for v in values.drop_nulls().unique().to_list():
            try:
                cache[v] = (self.func(v), None)
            except ValueError as exc:
                cache[v] = (None, str(exc) or self.expected)
        lst = values.to_list()
        parsed = [None if v is None else cache[v][0] for v in lst]
        errors = [None if v is None else cache[v][1] for v in lst]
        return pl.Series(parsed, dtype=self.dtype), pl.Series(errors, dtype=pl.Utf8)


EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMS = "YYYY-MM-DD、YYYY/M/D、YYYY年M月D日、YYYYMMDD 或 Excel 日期"
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                  r"(?:[ T]*\d{1,2}(?::\d{1,2}){1,2}(?:\.\d+)?|[ T]*\d{1,2}时(?:\d{1,2}分(?:\d{1,2}秒)?)?)?")
_MONTH_ONLY = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*月?")


def parse_date(text: str) -> dt.date:
    """A date as written by people or Excel (a time part is dropped).

    >>> [parse_date(t).isoformat() for t in ("2024/3/5", "2024-03-05", "45356", "20240305",
    ...  "2024年3月5日", "2024.03.05", "2024-3-5 14:35:00", "45356.60417", "２０２４．３．５")]
    ['2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05']
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
    ...
    ValueError: 日期 2024-02-30 不存在
    >>> parse_date("2025年12月")
    Traceback (most recent call last):
    ...
    ValueError: 只有年月「2025年12月」，缺少日：请填写完整日期，如 2025-12-01
    """
    t = text.translate(_HALF).strip(cells.SPACES)
    m = _YMD.fullmatch(t) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValueError(f"日期 {t} 不存在") from None
    if re.fullmatch(r"\d{5}(\.\d+)?", t):  # Excel serial date (1900 date system), time dropped
        serial = int(t.split(".")[0])
        if 20000 <= serial <= 80000:
            return EXCEL_EPOCH + dt.timedelta(days=serial)
    if _MONTH_ONLY.fullmatch(t):
        year, month = re.findall(r"\d+", t)
        raise ValueError(f"只有年月「{t}」，缺少日：请填写完整日期，如 {year}-{int(month):02d}-01")
    raise ValueError(f"应为日期（{_DATE_FORMS}）")


_HALF = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})


def Date() -> PyField:
    return PyField(func=parse_date, dtype=pl.Date, expected=f"应为日期（{_DATE_FORMS}）")


def _yes_no(text: str) -> bool:
    t = text.strip().lower()
    if t in ("是", "y", "yes", "true", "1"):
        return True
    if t in ("否", "n", "no", "false", "0"):
        return False
    raise ValueError("应为 是 或 否")


def YesNo() -> PyField:
    return PyField(func=_yes_no, dtype=pl.Boolean, expected="应为 是 或 否")


def _digits(lo: int, hi: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        t = re.sub(r"[\s-]", "", text)
        if not re.fullmatch(rf"[0-9]{{{lo},{hi}}}", t):
            raise ValueError(f"应为 {lo}–{hi} 位数字")
        return t

    return check


def Digits(lo: int, hi: int) -> PyField:
    return PyField(func=_digits(lo, hi), expected=f"应为 {lo}–{hi} 位数字", clean=cells.code, is_code=True,
                   rounded_zeros=True)


def Phone() -> PyField:
    from zhida.identifiers import validate_phone

    return PyField(func=validate_phone, expected="应为 11 位手机号或带区号的固定电话", clean=cells.code, is_code=True)


def IdNumber() -> PyField:
    from zhida.identifiers import validate_id_number

    return PyField(func=validate_id_number, expected="应为 18 位公民身份号码", clean=cells.code, is_code=True)

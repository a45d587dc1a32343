"""Request validation errors (FastAPI's ``RequestValidationError``, Pydantic's words) in Chinese.

Each error names the field by its label — the ``title`` of the route's parameter, else the
first clause of its ``description`` (``Query(description="年度")``), else a label the
console's routes share (``page`` 页码), else the parameter's own name — and says what the
value should be (整数, 日期, 数字, a range, a length …), with the value received (first 60
characters). ``zhida.web.errors`` turns the result into the one error shape of the API and pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request

# Pydantic's error types → what the value should be; ``{…}`` filled from the error's context
EXPECTED = {
    "missing": "不能为空",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字（如金额 200000.00）",
    "decimal_type": "应为数字（如金额 200000.00）",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为是或否（true 或 false）",
    "bool_type": "应为是或否（true 或 false）",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期 YYYY-MM-DD（不带时刻）",
    "date_type": "应为日期 YYYY-MM-DD",
    "datetime_parsing": "应为日期时间，如 2026-01-05T09:30:00",
    "datetime_from_date_parsing": "应为日期时间，如 2026-01-05T09:30:00",
    "datetime_type": "应为日期时间，如 2026-01-05T09:30:00",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "string_pattern_mismatch": "格式不对",
    "string_type": "应为文本",
    "string_unicode": "应为文本（UTF-8）",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "extra_forbidden": "不是可接受的字段",
    "uuid_parsing": "应为 UUID",
}
SHOWN = 60  # characters of a received value repeated in a message
SOURCES = {"body": "提交内容", "query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}
# labels of the parameter names the console's routes share, for a route that declares none
COMMON_LABELS = {"page": "页码", "size": "每页条数", "year": "年度", "month": "月份", "format": "导出格式",
                 "q": "搜索词", "state": "状态", "sort": "排序", "uscc": "统一社会信用代码", "months": "月数",
                 "to": "目标状态", "comment": "意见", "note": "说明", "reason": "理由", "id_number": "身份证号"}


@dataclass(frozen=True)
class Problem:
    """One refused request field: where (``query.year``), its label, the value, what it should be."""

    where: str
    label: str
    value: str | None
    expected: str

    def message(self) -> str:
        got = "" if self.value is None else f"，收到「{self.value}」"
        return f"「{self.label}」{self.expected}{got}"


def expected_of(error: Mapping[str, Any]) -> str:
    """What the value should be, in Chinese, for one Pydantic error (its type and context)."""
    text = EXPECTED.get(str(error.get("type", "")))
    if text is None:
        return "取值不合法"
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return text.format(**ctx)
    except (KeyError, IndexError):
        return text.split("{", 1)[0].strip() or "取值不合法"


def _shown(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _label_of(field: Any) -> str | None:
    info = getattr(field, "field_info", field)
    title = getattr(info, "title", None)
    if title:
        return str(title)
    description = str(getattr(info, "description", None) or "")
    return description.split("，", 1)[0].strip() or None


def _params(dependant: Any, source: str) -> Iterable[Any]:
    """The route's parameters from ``source`` (path, query, header, cookie, body), dependencies included."""
    yield from getattr(dependant, f"{source}_params", [])
    for sub in getattr(dependant, "dependencies", []):
        yield from _params(sub, source)


def _model_field_label(model: Any, name: str) -> str | None:
    if isinstance(model, type) and issubclass(model, BaseModel) and name in model.model_fields:
        return _label_of(model.model_fields[name])
    return None


def label_of(request: Request, loc: Sequence[Any]) -> str:
    """The Chinese label of the field at ``loc`` (``("query", "year")``), else its name."""
    if len(loc) < 2 or not isinstance(loc[1], str):  # the whole body, or a place in text that is not JSON
        return SOURCES.get(str(loc[0]) if loc else "", "请求")
    source, name = str(loc[0]), loc[1]
    dependant = getattr(request.scope.get("route"), "dependant", None)
    for param in _params(dependant, source) if dependant is not None else ():
        model = getattr(getattr(param, "field_info", None), "annotation", None)
        if getattr(param, "alias", None) == name:
            found = _model_field_label(model, str(loc[2])) if len(loc) >= 3 else _label_of(param)
            if found:
                return found
        elif source == "body":  # a single body model is not embedded: ("body", "<its field>")
            found = _model_field_label(model, name)
            if found:
                return found
    return COMMON_LABELS.get(name, name)


def problems(request: Request, errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Each validation error of ``request`` as a ``Problem`` in Chinese."""
    out = []
    for e in errors:
        loc = tuple(e.get("loc", ()))
        value = None if e.get("type") == "missing" else _shown(e.get("input"))
        out.append(Problem(".".join(str(p) for p in loc), label_of(request, loc), value, expected_of(e)))
    return out

"""Pydantic's validation errors said in Chinese: what a value should be, by the error's type.

One table for every edge that shows them — the web's request validation
(``zhida.web.validation``) and the CLI's option values (``zhida.cli``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

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

from zhida.pydantic_text import expected_of

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

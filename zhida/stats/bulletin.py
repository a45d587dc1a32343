"""Bulletins: Chinese paragraphs rendered from Jinja2 templates over computed figures.

A template sees ``region``, ``period`` (a ``Period``) and these functions:

- ``stat(indicator, dimension=None, member=None, region=None)``: a ``StatRow`` (the total
  when ``member`` is None);
- ``rows(indicator, dimension, region=None)``: the ``StatRow`` of every 维度值, largest first;
- ``breadth(indicator, dimension)``: the 增长面 (``Breadth``) of a dimension;
- ``has(indicator, dimension=None, member=None, region=None)``: whether that row exists;
- ``ratio(a, b)``: ``a ÷ b × 100`` of two rows' values (e.g. a share of the province);

and the filters ``yi``, ``wan``, ``growth``, ``pct``, ``pp``, ``pull``, ``gap`` of
``zhida.stats.wording`` (applied to a ``StatRow`` they take its value or its growth).
Lines are joined without spaces; an empty line starts a new paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from pathlib import Path

import jinja2

from zhida.errors import NotFound, ValidationFailed, ZhidaError
from zhida.stats import wording
from zhida.stats.compute import Breadth, Fact, Result, StatRow, compute_facts
from zhida.stats.periods import Period

Loader = Callable[[str, str, Period], list[Fact]]  # (indicator, region, period) → facts


def template_names() -> list[str]:
    """Names of the bulletin templates shipped with zhida."""
    root = resources.files("zhida.stats") / "templates"
    return sorted(p.name[:-3] for p in root.iterdir() if p.name.endswith(".j2"))


def template_titles() -> dict[str, str]:
    """{name: Chinese title} of the shipped bulletin templates, e.g. ``customs`` → 海关进出口公报.

    The title opens each template's leading comment, up to the first ``：``."""
    root = resources.files("zhida.stats") / "templates"
    titles = {}
    for name in template_names():
        found = re.match(r"\{#-?\s*([^：\n]+)：", (root / f"{name}.j2").read_text(encoding="utf-8"))
        titles[name] = found.group(1).strip() if found else name
    return titles


def known_templates() -> str:
    """The shipped templates for a message: 海关进出口公报（customs）、规上工业公报（industry）."""
    return "、".join(f"{title}（{name}）" for name, title in template_titles().items())


def template_source(name_or_path: str) -> tuple[str, str]:
    """(name, source) of a shipped template by name, or of a template file by path."""
    path = Path(name_or_path)
    if path.suffix == ".j2" or path.exists():
        if not path.is_file():
            raise NotFound(f"公报模板文件 {name_or_path} 不存在")
        return path.name, path.read_text(encoding="utf-8")
    shipped = resources.files("zhida.stats") / "templates" / f"{name_or_path}.j2"
    if not shipped.is_file():
        raise NotFound(f"没有名为「{name_or_path}」的公报模板：可用的有 {known_templates()}，或给出 .j2 文件路径")
    return name_or_path, shipped.read_text(encoding="utf-8")


def _value_of(x) -> Decimal | None:
    return x.value if isinstance(x, StatRow) else x


def _growth_of(x) -> Decimal | None:
    return x.yoy_pct if isinstance(x, StatRow) else x


def _amount(fn):
    def filt(x, unit: str | None = None, digits: int | None = None):
        unit = unit or (x.unit if isinstance(x, StatRow) else None) or ("亿元" if fn is wording.yi else "万元")
        kw = {} if digits is None else {"digits": digits}
        return fn(_value_of(x), unit, **kw)

    return filt


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(
        yi=_amount(wording.yi),
        wan=_amount(wording.wan),
        growth=lambda x, digits=1: wording.growth(_growth_of(x), digits),
        pct=lambda x, digits=1: wording.pct(x.share_pct if isinstance(x, StatRow) else x, digits),
        pp=lambda x, digits=1: wording.pp(x, digits),
        pull=lambda x, what="", digits=1: wording.pull(x.pull_pp if isinstance(x, StatRow) else x, what, digits),
    )
    env.globals["gap"] = lambda a, b, digits=1: wording.gap(_growth_of(a), _growth_of(b), digits)
    return env


class _Figures:
    """Computes (and caches) the results a template asks for."""

    def __init__(self, load: Loader, region: str, period: Period):
        self.load, self.region, self.period = load, region, period
        self._cache: dict[tuple, Result] = {}

    def result(self, indicator: str, dimension: str | None, region: str | None) -> Result:
        key = (indicator, dimension, region or self.region)
        if key not in self._cache:
            facts = self.load(indicator, key[2], self.period)
            self._cache[key] = compute_facts(facts, indicator, key[2], self.period, dimension)
        return self._cache[key]

    def stat(self, indicator, dimension=None, member=None, region=None) -> StatRow:
        res = self.result(indicator, dimension, region)
        if member is None:
            if res.total is None:
                raise NotFound(f"指标「{indicator}」地区「{region or self.region}」期间「{self.period}」没有合计行")
            return res.total
        return res.member(member)

    def rows(self, indicator, dimension, region=None) -> list[StatRow]:
        return [r for r in self.result(indicator, dimension, region).rows if r.member is not None]

    def breadth(self, indicator, dimension, region=None) -> Breadth:
        found = self.result(indicator, dimension, region).breadth
        if found is None:
            raise NotFound(f"指标「{indicator}」地区「{region or self.region}」期间「{self.period}」没有按「{dimension}」分组的数据")
        return found

    def has(self, indicator, dimension=None, member=None, region=None) -> bool:
        try:
            self.stat(indicator, dimension, member, region)
        except NotFound:
            return False
        return True


def ratio(a, b) -> Decimal | None:
    a, b = _value_of(a), _value_of(b)
    if a is None or b is None or b == 0:
        return None
    return Decimal(a) / Decimal(b) * 100


def _join_lines(text: str) -> str:
    paragraphs, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    return "\n\n".join(paragraphs)


def render(template: str, region: str, period: str | Period, load: Loader) -> str:
    """Render a bulletin template (shipped name or .j2 path) for one region and period."""
    p = period if isinstance(period, Period) else Period.parse(period)
    name, source = template_source(template)
    env = _environment()
    figures = _Figures(load, region, p)
    try:
        tpl = env.from_string(source)
        text = tpl.render(region=region, period=p, stat=figures.stat, rows=figures.rows,
                          breadth=figures.breadth, has=figures.has, ratio=ratio)
    except ZhidaError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationFailed(f"公报模板 {name} 第 {exc.lineno} 行语法错误：{exc.message}") from exc
    except jinja2.UndefinedError as exc:
        raise ValidationFailed(f"公报模板 {name} 引用了不存在的名称：{exc.message}") from exc
    return _join_lines(text)

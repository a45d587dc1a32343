"""Administrative divisions (行政区划): counties by GB/T 2260 code and their 乡镇街道, as data.

The divisions come from ``zhida/registry/data/regions.csv`` (茌平区 371503 and 阳谷县
371521 ship with the package) plus the file named by ``ZHIDA_REGIONS_FILE``; the
deployment's own county is ``ZHIDA_REGION_COUNTY``. The ``regions`` table mirrors the
files for SQL (``sync_table``). No list of places lives in code: township validation,
policy jurisdiction, the demo and every chart by township read this table.

>>> t = load_table()
>>> t.county("371503").name, t.county("371521").townships[:2]
('茌平区', ('博济桥街道', '侨润街道'))
>>> t.county_of_township("韩屯镇"), t.county_of_township("火星")
('371503', None)
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from zhida.errors import ConfigError

DATA_FILE = Path(__file__).parent / "data" / "regions.csv"
COLUMNS = ("county_code", "county_name", "city_name", "township", "kind")
KINDS = ("街道", "镇", "乡")
_CODE = re.compile(r"^[1-8]\d{5}$")


@dataclass(frozen=True)
class County:
    """A county-level division: GB/T 2260 code, name, prefecture, and its 乡镇街道 in order."""

    code: str
    name: str
    city: str
    townships: tuple[str, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class RegionTable:
    """Every county known to the deployment, in file order."""

    counties: tuple[County, ...]

    def county(self, code: str) -> County | None:
        return next((c for c in self.counties if c.code == code), None)

    def county_of_township(self, township: str | None) -> str | None:
        """The county code of a 乡镇街道 name (``None`` if unknown or ambiguous)."""
        found = [c.code for c in self.counties if township in c.townships]
        return found[0] if len(found) == 1 else None

    def covers(self, codes: tuple[str, ...], county_code: str | None) -> bool:
        """Whether a unit in ``county_code`` is inside a jurisdiction of division codes: a code
        matches itself and every division below it (``3715`` or ``371500`` covers ``371503``)."""
        if not codes:
            return True
        if county_code is None:
            return False
        return any(county_code.startswith(c.rstrip("0") if c.endswith("00") else c) for c in codes)


def parse(text: str, source: str) -> list[tuple[str, str, str, str, str]]:
    """The rows of a regions CSV; raise ConfigError naming file, row, column and value."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(h.strip() for h in next(reader, ()))
    if header != COLUMNS:
        raise ConfigError(f"行政区划文件 {source} 第 1 行：表头应为 {','.join(COLUMNS)}，实际是 {','.join(header)}")
    rows = []
    for n, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        cells = [c.strip() for c in row] + [""] * (len(COLUMNS) - len(row))
        code, county, city, town, kind = cells[:5]
        if not _CODE.match(code):
            raise ConfigError(f"行政区划文件 {source} 第 {n} 行「county_code」列：「{code}」不是 6 位 GB/T 2260 区划代码")
        if not county or not town:
            raise ConfigError(f"行政区划文件 {source} 第 {n} 行：县区名称和乡镇街道名称不能为空")
        if kind not in KINDS:
            raise ConfigError(f"行政区划文件 {source} 第 {n} 行「kind」列：「{kind}」应为 {'、'.join(KINDS)}")
        rows.append((code, county, city, town, kind))
    return rows


def build(rows: list[tuple[str, str, str, str, str]]) -> RegionTable:
    order: dict[str, list] = {}
    for code, county, city, town, kind in rows:
        entry = order.setdefault(code, [county, city, [], []])
        if town not in entry[2]:
            entry[2].append(town)
            entry[3].append(kind)
    return RegionTable(tuple(County(code, e[0], e[1], tuple(e[2]), tuple(e[3])) for code, e in order.items()))


def load_table(extra: str | Path | None = None) -> RegionTable:
    """The shipped divisions plus those of ``extra`` (a county in both is taken from ``extra``)."""
    rows = parse(DATA_FILE.read_text("utf-8"), DATA_FILE.name)
    if extra:
        path = Path(extra)
        if not path.is_file():
            raise ConfigError(f"ZHIDA_REGIONS_FILE 指向的文件 {path} 不存在")
        added = parse(path.read_text("utf-8-sig"), path.name)
        replaced = {r[0] for r in added}
        rows = [r for r in rows if r[0] not in replaced] + added
    return build(rows)


@lru_cache(maxsize=4)
def _cached(extra: str) -> RegionTable:
    return load_table(extra or None)


def table() -> RegionTable:
    """The deployment's divisions (shipped file + ``ZHIDA_REGIONS_FILE``), loaded once."""
    import os

    from zhida.config import get_settings

    extra: str | Path | None
    try:
        extra = get_settings().regions_file
    except ConfigError:  # reported, in Chinese, where the settings are used; modules importing
        extra = os.environ.get("ZHIDA_REGIONS_FILE")  # the table must not fail at import
    return _cached(str(extra) if extra else "")


def home_county() -> County:
    """The deployment's own county (``ZHIDA_REGION_COUNTY``, default 371503 茌平区)."""
    from zhida.config import get_settings

    code = get_settings().region_county
    county = table().county(code)
    if county is None:
        known = "、".join(f"{c.code} {c.name}" for c in table().counties)
        raise ConfigError(f"ZHIDA_REGION_COUNTY={code} 不在行政区划表中（已知：{known}）；请在 ZHIDA_REGIONS_FILE 中补充该县区")
    return county


def home_townships() -> tuple[str, ...]:
    """The 乡镇街道 of the deployment's county, in the county's order (for charts and forms)."""
    return home_county().townships


def township_order(names) -> list[str]:
    """``names`` sorted as the home county lists them; unknown names after, by name."""
    rank = {t: i for i, t in enumerate(home_townships())}
    return sorted(names, key=lambda t: (rank.get(t, len(rank)), t or ""))


def sync_table(session, regions: RegionTable | None = None) -> int:
    """Replace the rows of the ``regions`` table by ``regions`` (default: ``table()``); the count."""
    from sqlalchemy import delete

    from zhida.registry.models import Region

    regions = regions or table()
    session.execute(delete(Region))
    rows = [Region(county_code=c.code, county_name=c.name, city_name=c.city, township=t, kind=k, position=i)
            for c in regions.counties for i, (t, k) in enumerate(zip(c.townships, c.kinds, strict=False))]
    session.add_all(rows)
    session.flush()
    return len(rows)

"""Regions as data: the divisions table from the shipped file, the home county setting, the
``regions`` table in the database, and township validation reading it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from zhida.config import Settings
from zhida.db import session_scope
from zhida.errors import ConfigError
from zhida.jobs.vocab import DISTRICTS, parse_township
from zhida.registry.models import Region
from zhida.registry.regions import load_table, sync_table


def test_shipped_counties_and_their_townships():
    t = load_table()
    assert [(c.code, c.name, len(c.townships)) for c in t.counties] == [("371503", "茌平区", 14), ("371521", "阳谷县", 18)]
    assert t.county("371503").townships[0] == "振兴街道" and t.county("371521").kinds.count("街道") == 3
    assert DISTRICTS["阳谷县"] == t.county("371521").townships  # township validation reads the table
    assert parse_township(" 韩屯镇 ") == "韩屯镇"
    with pytest.raises(ValueError, match="不在茌平区、阳谷县的乡镇街道中"):
        parse_township("火星镇")


def test_home_county_is_a_setting(monkeypatch):
    from zhida.registry import regions

    monkeypatch.setattr("zhida.config.get_settings", lambda: Settings(region_county="371521"))
    assert regions.home_county().name == "阳谷县" and regions.home_townships()[0] == "博济桥街道"
    monkeypatch.setattr("zhida.config.get_settings", lambda: Settings(region_county="110101"))
    with pytest.raises(ConfigError, match="ZHIDA_REGION_COUNTY=110101 不在行政区划表中"):
        regions.home_county()
    with pytest.raises(ValueError):
        Settings(region_county="3715")


def test_regions_table_mirrors_the_files(engine):
    with session_scope(engine) as s:
        assert sync_table(s) == 32
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Region).where(Region.county_code == "371521")) == 18
        first = s.scalars(select(Region).where(Region.county_code == "371503").order_by(Region.position)).first()
        assert (first.township, first.kind, first.city_name) == ("振兴街道", "街道", "聊城市")
        assert sync_table(s) == 32  # replacing, not adding
        assert s.scalar(select(func.count()).select_from(Region)) == 32

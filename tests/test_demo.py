"""The synthetic district: seeded, importable as is, a plausible mix."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from zhida.db import session_scope
from zhida.demo.generate import generate
from zhida.identifiers import is_valid_uscc
from zhida.imports.engine import run_import
from zhida.imports.reader import read_table
from zhida.registry.models import CreditEntry, IndustrialOutput, UiPayment, Unit

ORDER = ["enterprises", "ui-payments", "credit-list", "industrial-output"]


def test_same_seed_same_files(tmp_path):
    a, b, c = generate(tmp_path / "a", 200, 7), generate(tmp_path / "b", 200, 7), generate(tmp_path / "c", 200, 8)
    for kind in ("ui-payments", "credit-list", "industrial-output"):
        assert a[kind].read_bytes() == b[kind].read_bytes()
        assert a[kind].read_bytes() != c[kind].read_bytes()


def test_demo_district_imports_cleanly(engine, tmp_path):
    files = generate(tmp_path, 400, 42)
    for kind in ORDER:
        assert run_import(kind, files[kind], engine=engine).inserted > 0
    with session_scope(engine) as s:
        units = s.scalars(select(Unit)).all()
        assert len(units) == 400 and all(is_valid_uscc(u.uscc) for u in units)
        sizes = Counter(u.size_class for u in units)
        assert sizes["微型"] > 0 and sizes["小型"] > sizes["大型"] and sizes["中型"] > 0
        types = Counter(u.unit_type for u in units)
        assert types["企业"] > 300 and len(types) >= 2
        assert {u.industry_section for u in units} >= {"C", "F", "G"}
        years = dict(s.execute(select(UiPayment.year, func.count()).group_by(UiPayment.year)).all())
        assert set(years) == {2024, 2025} and years[2024] > 300
        assert s.scalar(select(func.count()).select_from(CreditEntry)) >= 3
        quarters = s.execute(select(IndustrialOutput.year, IndustrialOutput.quarter).distinct()).all()
        assert len(quarters) == 8  # two years of quarterly output


def test_credit_list_is_gbk_and_enterprises_xlsx(tmp_path):
    files = generate(tmp_path, 100, 1)
    assert read_table(files["credit-list"]).encoding == "gb18030"
    assert read_table(files["enterprises"]).encoding == "xlsx"


def test_demo_places_are_consistent():
    """A unit named after a township is in that township; every unit is in the home county's."""
    import random

    from zhida.demo.generate import make_units
    from zhida.registry.regions import home_county

    county = home_county()
    units = make_units(3000, random.Random(42))
    named = [u for u in units if any(t in u.name for t in county.townships)]
    assert named, "the seed makes some township centres"
    assert all(u.township in u.name for u in named)
    assert {u.township for u in units} <= set(county.townships)
    assert all(u.uscc[2:8] == county.code for u in units)

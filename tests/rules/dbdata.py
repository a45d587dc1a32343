"""Hand-made rows for database-backed tests of the rules engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhida.identifiers import make_uscc
from zhida.registry.models import CreditEntry, IndustrialOutput, UiPayment, Unit


def uscc(n: int) -> str:
    return make_uscc(f"91371500MA{n:07d}")


def ui(code: str, year: int = 2024, **kw) -> UiPayment:
    base = dict(employer_paid_fen=12_000_000, employee_paid_fen=4_000_000, backpay_fen=0, months_paid=12,
                insured_start=200, insured_end=200, insured_avg=Decimal("200"), new_claimants=0, arrears_fen=0)
    return UiPayment(uscc=code, year=year, **{**base, **kw})


def populate(session) -> dict[str, str]:
    """Six units covering each outcome of 稳岗返还 and 稳发展奖励; returns name → uscc."""
    codes = {k: uscc(i) for i, k in enumerate(
        ["small", "large", "layoff", "listed", "delisted", "institution", "nosize", "factory", "shop"], 1)}
    units = [
        Unit(uscc=codes["small"], name="甲小型公司", size_class="小型", township="振兴街道", industry_section="C"),
        Unit(uscc=codes["large"], name="乙大型集团", size_class="大型", township="振兴街道", industry_section="C"),
        Unit(uscc=codes["layoff"], name="丙裁员公司", size_class="中型", township="信发街道"),
        Unit(uscc=codes["listed"], name="丁失信公司", size_class="小型"),
        Unit(uscc=codes["delisted"], name="戊已移出公司", size_class="微型"),
        Unit(uscc=codes["institution"], name="己事业单位", unit_type="机关事业单位"),
        Unit(uscc=codes["nosize"], name="庚缺规模公司"),
        Unit(uscc=codes["factory"], name="辛制造公司", size_class="大型", industry_section="C", township="阿城镇",
             revenue_wan=Decimal("80000.5")),
        Unit(uscc=codes["shop"], name="壬商店", size_class="微型", industry_section="F", township="七级镇"),
    ]
    session.add_all(units)
    session.flush()
    session.add_all([
        ui(codes["small"]), ui(codes["small"], year=2025, employer_paid_fen=1),
        ui(codes["large"]),
        ui(codes["layoff"], insured_avg=Decimal("199.99"), new_claimants=11),
        ui(codes["listed"]), ui(codes["delisted"]), ui(codes["institution"]),
        ui(codes["nosize"]),
        CreditEntry(uscc=codes["listed"], list_type="失信被执行人", listed_on=dt.date(2024, 5, 1)),
        CreditEntry(uscc=codes["delisted"], list_type="严重失信主体名单", listed_on=dt.date(2024, 5, 1),
                    removed_on=dt.date(2025, 3, 1)),
        IndustrialOutput(uscc=codes["factory"], year=2026, quarter=1, output_wan=Decimal("60000.1234"),
                         prior_output_wan=None, above_scale=None),
        IndustrialOutput(uscc=codes["factory"], year=2025, quarter=1, output_wan=Decimal("50000"),
                         prior_output_wan=None, above_scale=True),
    ])
    session.flush()
    return codes

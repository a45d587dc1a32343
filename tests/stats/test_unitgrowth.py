"""增长面 over enterprises from industrial_output: prior from the row or from last year's row,
规上 derived when empty (both sides of 2000 万元), units without a base left out."""

from decimal import Decimal as D

from zhida.db import session_scope
from zhida.identifiers import make_uscc
from zhida.registry.models import IndustrialOutput, Unit
from zhida.stats import service


def unit(n, revenue, section="C"):
    return Unit(uscc=make_uscc(f"913715030{n:08d}"), name=f"测试{n}", unit_type="企业", industry_section=section,
                revenue_wan=D(revenue))


def output(u, year, q, value, prior=None, above=None):
    return IndustrialOutput(uscc=u.uscc, year=year, quarter=q, output_wan=D(value),
                            prior_output_wan=None if prior is None else D(prior), above_scale=above)


def test_unit_breadth(engine):
    units = [unit(i, "5000") for i in range(6)] + [unit(6, "1999.99"), unit(7, "2000"), unit(8, "9000", section="F")]
    with session_scope(engine) as s:
        s.add_all(units)
        s.flush()
        s.add_all([
            output(units[0], 2026, 1, "120", prior="100"),  # grew (prior in the row)
            output(units[1], 2026, 1, "90", prior="100"),  # fell
            output(units[2], 2026, 1, "100", prior="100"),  # flat: not grown
            output(units[3], 2026, 1, "130"), output(units[3], 2025, 1, "100"),  # grew (last year's row)
            output(units[4], 2026, 1, "50"),  # no base: left out
            output(units[5], 2026, 1, "50", above=False, prior="10"),  # not 规上 by flag
            output(units[6], 2026, 1, "200", prior="100"),  # 1999.99 万元: not 规上
            output(units[7], 2026, 1, "200", prior="100"),  # 2000 万元: 规上, grew
            output(units[8], 2026, 1, "200", prior="100"),  # section F: not industry
        ])
    with session_scope(engine) as s:
        res = service.unit_growth_breadth(s, 2026, 1)
        only_f = service.unit_growth_breadth(s, 2026, 1, section="F")
    assert (res.breadth.grew, res.breadth.members, res.without_base) == (3, 5, 1)
    assert res.breadth.pct == D(60)
    assert only_f.breadth.members == 0 and only_f.breadth.pct is None

"""The demo data loads through the import machinery and the generated bulletins reproduce the
figures published for 聊城, Jan–Feb 2026 — computed from data and rounded once.

Where round-once differs from the print, the test says why (see zhida/stats/demo/README.md).
"""

import datetime as dt
import json
from decimal import Decimal as D

import pytest

from zhida.db import session_scope
from zhida.errors import NotFound, ValidationFailed
from zhida.stats import service
from zhida.stats.wording import round_half_up

REGION, PERIOD = "聊城市", "2026-01~02"


@pytest.fixture
def demo(engine):
    results = service.load_demo(engine)
    assert [r.inserted for r in results] == [46, 20, 5, 5]
    return engine


def test_customs_bulletin_reproduces_the_published_figures(demo):
    with session_scope(demo) as s:
        text = service.render_bulletin(s, "customs", REGION, PERIOD)
    for piece in ["进出口总值146.4亿元，同比增长47.7%",
                  "出口69.1亿元，同比增长60.2%", "进口77.3亿元，同比增长38.1%",
                  "一般贸易进出口103.9亿元，增长33.4%，占全市进出口总值的71.0%",  # printed "71%": whole percent
                  "加工贸易进出口38.7亿元，增长1倍，占全市进出口总值的26.4%",
                  "保税物流进出口3.8亿元，增长93.8%，占全市进出口总值的2.6%",
                  "国有企业进出口75.8亿元，增长89.3%", "民营企业进出口50.8亿元，增长14.4%",
                  "外商投资企业进出口19.8亿元，增长34.8%",
                  "对拉美进出口50.4亿元，增长43.4%", "对非洲进出口28.0亿元，增长1.2倍",
                  "对东盟进出口10.5亿元，增长4.2%", "对澳大利亚进出口10.7亿元，下降17.1%",
                  "机电产品增长47.9%", "钢材增长74.9%", "农产品增长13.6%", "劳密产品增长27.3%",
                  "基本有机化学产品增长56.1%", "肥料增长9.1倍",
                  "进口金属矿及矿砂75.0亿元，增长41.4%，占进口总值的97.0%",
                  "增速比山东省高37.8个百分点，占山东省进出口总值的2.7%"]:
        assert piece in text, piece
    assert text.startswith("前2个月，聊城市")


def test_industry_bulletin_reproduces_the_published_figures(demo):
    with session_scope(demo) as s:
        text = service.render_bulletin(s, "industry", REGION, PERIOD)
        eq = service.compute_result(s, "规上工业增加值", REGION, PERIOD, "行业").member("装备制造业")
    assert "规模以上工业增加值同比增长8.1%" in text
    assert "装备制造业增加值同比增长20.6%，增速比全部规上工业高12.5个百分点" in text
    # The page prints "贡献率达52%" (whole percent). Computed once from the data it is 52.4%,
    # which rounds to the printed 52; an exact 52.0% could not also give the printed pull 4.3
    # (52% × 8.1 = 4.2), so the page's 52 is itself a rounding of a value in [52.15, 52.5).
    assert "贡献率为52.4%" in text and round_half_up(eq.contribution_pct, 0) == 52
    assert "拉动规上工业增长4.3个百分点" in text
    assert D("4.25") <= eq.pull_pp < D("4.35")
    assert "8个行业大类中，7个增加值同比增长，增长面为87.5%" in text


def test_compute_json_of_the_demo(demo):
    with session_scope(demo) as s:
        rows = [r.to_json() for r in service.compute(s, "进出口总值", REGION, PERIOD, "贸易方式")]
    assert [r["member"] for r in rows] == [None, "一般贸易", "加工贸易", "保税物流"]
    assert [r["share_pct"] for r in rows] == [100.0, 71.0, 26.4, 2.6]
    assert all(r["yoy_source"] == "published" for r in rows)
    json.dumps(rows)  # plain JSON


def test_targets_from_the_page_with_progress(demo):
    with session_scope(demo) as s:
        city = {p.indicator: p for p in service.target_progress(s, REGION, 2026, dt.date(2026, 3, 15))}
        zone = {p.indicator: p for p in service.target_progress(s, "聊城经开区", 2026, dt.date(2026, 3, 15))}
        early = service.target_progress(s, REGION, 2026, dt.date(2026, 2, 27))
    assert {k: (v.target, v.unit) for k, v in city.items()} == {
        "规上工业企业数字化转型覆盖率": (D(98), "%"), "智能工厂": (D(50), "个"), "平台注册企业": (D(1000), "家")}
    assert {k: (v.target, v.unit) for k, v in zone.items()} == {"新增高新技术企业": (D(20), "家"),
                                                                "过亿元招商项目": (D(40), "个")}
    # 2 of 12 months elapsed: 16.7%. 9 of 50 (18%) keeps pace; 2 of 20 (10%) does not.
    assert city["智能工厂"].completion_pct == D(18) and city["智能工厂"].on_track is True
    assert zone["新增高新技术企业"].completion_pct == D(10) and zone["新增高新技术企业"].on_track is False
    assert zone["过亿元招商项目"].on_track is True and city["平台注册企业"].to_json()["completion_pct"] == 41.2
    # before the end of February the Jan–Feb figures are not known yet
    assert all(p.value is None and p.on_track is None and "尚无" in p.note for p in early)


def test_target_set_and_unit_mismatch(demo):
    with session_scope(demo) as s:
        service.set_target(s, "智能工厂", REGION, 2026, D(60), "个")
    with session_scope(demo) as s:
        [p] = [p for p in service.target_progress(s, REGION, 2026, dt.date(2026, 3, 1)) if p.indicator == "智能工厂"]
        assert p.completion_pct == D(15) and p.on_track is False  # 15% < 16.7%
        service.set_target(s, "智能工厂", REGION, 2026, D(60), "家")
        with pytest.raises(ValidationFailed, match="单位「家」与数据的单位「个」不一致"):
            service.target_progress(s, REGION, 2026, dt.date(2026, 3, 1))


def test_charts_and_catalogue(demo):
    with session_scope(demo) as s:
        bar = service.chart_options(s, "bar", "进出口总值", REGION, PERIOD, "企业性质")
        line = service.chart_options(s, "line", "进出口总值", REGION)
        infos = service.list_indicators(s)
        with pytest.raises(ValidationFailed, match="未知的图表类型"):
            service.chart_options(s, "pie", "进出口总值", REGION)
    assert bar["xAxis"]["data"] == ["国有企业", "民营企业", "外商投资企业"]
    assert bar["series"][0]["data"] == [75.8, 50.8, 19.8] and bar["series"][1]["data"] == [89.3, 14.4, 34.8]
    assert line["xAxis"]["data"] == ["2025年1—2月", "2026年1—2月"] and line["series"][0]["data"] == [99.1, 146.4]
    json.dumps(bar), json.dumps(line)
    trade = next(i for i in infos if i.indicator == "进出口总值" and i.region == REGION)
    assert trade.periods == ["2026-01~02", "2025-01~02"] and trade.unit == "亿元"
    assert trade.dimensions == ["企业性质", "国别地区", "流向", "贸易方式"]


def test_bulletin_template_errors_are_chinese(demo, tmp_path):
    with session_scope(demo) as s:
        with pytest.raises(NotFound, match="没有名为「nosuch」的公报模板：可用的有 海关进出口公报（customs）、规上工业公报（industry）"):
            service.render_bulletin(s, "nosuch", REGION, PERIOD)
        with pytest.raises(NotFound, match="期间「2024-01~02」没有数据"):
            service.render_bulletin(s, "customs", REGION, "2024-01~02")
        with pytest.raises(ValidationFailed, match="格式不对"):
            service.render_bulletin(s, "customs", REGION, "2026-1")
        own = tmp_path / "own.j2"
        own.write_text('{% set t = stat("进出口总值") %}{{ region }}{{ t|yi }}，{{ t|growth }}；'
                       '{{ stat("进出口总值", "流向", "出口")|pull("外贸增长") }}。', encoding="utf-8")
        assert service.render_bulletin(s, str(own), REGION, PERIOD) == "聊城市146.4亿元，增长47.7%；拉动外贸增长26.2个百分点。"
        broken = tmp_path / "broken.j2"
        broken.write_text("{% if %}", encoding="utf-8")
        with pytest.raises(ValidationFailed, match=r"broken\.j2 第 1 行语法错误"):
            service.render_bulletin(s, str(broken), REGION, PERIOD)
        undefined = tmp_path / "undef.j2"
        undefined.write_text("{{ nosuch }}", encoding="utf-8")
        with pytest.raises(ValidationFailed, match="引用了不存在的名称"):
            service.render_bulletin(s, str(undefined), REGION, PERIOD)
